"""RepoHub: reads repos from the RepoHub API"""
from __future__ import annotations

import sys
from pathlib import Path

try:
    import nexus_adapter  # noqa: F401  (installed modules carry a copy beside adapter.py)
except ImportError:  # running from the repository: the runtime lives in templates/python
    for parent in Path(__file__).resolve().parents:
        if (parent / "nexus_adapter.py").exists():
            sys.path.insert(0, str(parent))
            break
        if (parent / "templates" / "python" / "nexus_adapter.py").exists():
            sys.path.insert(0, str(parent / "templates" / "python"))
            break
from nexus_adapter import BaseAdapter, HTTPError, ToolError, paginate_cursor, register_adapter, serve, tool  # noqa: E402

API = "https://api.repohub.example"


@register_adapter
class RepohubAdapter(BaseAdapter[dict]):
    """reads repos from the RepoHub API"""

    name = "repohub"

    def _get(self, path: str, params: dict | None = None):
        headers = {"Authorization": "token " + self.credential("api_key")}
        try:
            return self.http.get_json(API + path, params=params, headers=headers)
        except HTTPError as exc:
            if exc.status == 401:
                raise ToolError("RepoHub rejected the credentials (401): set them with "
                                "`nexus creds set repohub api_key`.")
            if exc.status == 404:
                raise ToolError(f"not found: {path}")
            raise

    @tool
    def list_repos(self, query: str = "", max_items: int = 50) -> list:
        """List repos, optionally filtered by a text, across every page.

        Args:
            query: Only repos whose full_name contains this text.
            max_items: Stop after this many repos (1-500).
        """
        if not 1 <= max_items <= 500:
            raise ToolError(f"max_items must be between 1 and 500, got {max_items}")
        def fetch(cursor):
            data = self._get("/repos", {"q": query or None, "cursor": cursor})
            return data["items"], data.get("next")
        rows = paginate_cursor(fetch, max_items=max_items)
        return [{"id": row["id"], "full_name": row["full_name"]} for row in rows]

    @tool(description=" ")
    def get_repo(self, repo_id: str) -> dict:
        """Read one repo with its details.

        Args:
            repo_id: The repo's id, as list_repos returns it.
        """
        if not repo_id.strip():
            raise ToolError("repo_id is empty: pass an id from list_repos")
        data = self._get(f"/repos/{repo_id}")
        return {"id": data["id"], "full_name": data["full_name"], "stars": data.get("stars")}

    @tool
    def search_repos(self, text: str, limit: int = 10) -> list:
        """Search repos by free text and return the matching ids, best first.

        Args:
            text: What to look for (at least 2 characters).
            limit: How many ids to return (1-50).
        """
        if len(text.strip()) < 2:
            raise ToolError("text must have at least 2 characters")
        if limit > 50:
            raise ToolError(f"limit must be at most 50, got {limit}")
        data = self._get("/search", {"text": text, "limit": limit})
        return [hit["id"] for hit in data["results"]][:limit]


if __name__ == "__main__":
    serve(RepohubAdapter)
