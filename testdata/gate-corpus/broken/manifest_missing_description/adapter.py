"""Bug Tracker: reads issues from the Bug Tracker API"""
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
from nexus_adapter import BaseAdapter, HTTPError, ToolError, paginate_offset, register_adapter, serve, tool  # noqa: E402

API = "https://bugs.tracker.example/rest"


@register_adapter
class BugtrackerAdapter(BaseAdapter[dict]):
    """reads issues from the Bug Tracker API"""

    name = "bugtracker"

    def _get(self, path: str, params: dict | None = None):
        headers = {"Authorization": "token " + self.credential("api_key")}
        try:
            return self.http.get_json(API + path, params=params, headers=headers)
        except HTTPError as exc:
            if exc.status == 401:
                raise ToolError("Bug Tracker rejected the credentials (401): set them with "
                                "`nexus creds set bugtracker api_key`.")
            if exc.status == 404:
                raise ToolError(f"not found: {path}")
            raise

    @tool
    def list_issues(self, query: str = "", max_items: int = 50) -> list:
        """List issues, optionally filtered by a text, across every page.

        Args:
            query: Only issues whose subject contains this text.
            max_items: Stop after this many issues (1-500).
        """
        if not 1 <= max_items <= 500:
            raise ToolError(f"max_items must be between 1 and 500, got {max_items}")
        fetch = lambda offset, limit: self._get("/issues", {"q": query or None, "offset": offset, "limit": limit})["items"]  # noqa: E731
        rows = paginate_offset(fetch, limit=2, max_items=max_items)
        return [{"id": row["id"], "subject": row["subject"]} for row in rows]

    @tool
    def get_issue(self, issue_id: str) -> dict:
        """Read one issue with its details.

        Args:
            issue_id: The issue's id, as list_issues returns it.
        """
        if not issue_id.strip():
            raise ToolError("issue_id is empty: pass an id from list_issues")
        data = self._get(f"/issues/{issue_id}")
        return {"id": data["id"], "subject": data["subject"], "severity": data.get("severity")}

    @tool
    def search_issues(self, text: str, limit: int = 10) -> list:
        """Search issues by free text and return the matching ids, best first.

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
    serve(BugtrackerAdapter)
