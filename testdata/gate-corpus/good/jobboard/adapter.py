"""JobBoard: reads jobs from the JobBoard API"""
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

API = "https://api.jobboard.example/v3"


@register_adapter
class JobboardAdapter(BaseAdapter[dict]):
    """reads jobs from the JobBoard API"""

    name = "jobboard"

    def _get(self, path: str, params: dict | None = None):
        headers = {"Authorization": f"Bearer {self.credential('api_key')}"}
        try:
            return self.http.get_json(API + path, params=params, headers=headers)
        except HTTPError as exc:
            if exc.status == 401:
                raise ToolError("JobBoard rejected the credentials (401): set them with "
                                "`nexus creds set jobboard api_key`.")
            if exc.status == 404:
                raise ToolError(f"not found: {path}")
            raise

    @tool
    def list_jobs(self, query: str = "", max_items: int = 50) -> list:
        """List jobs, optionally filtered by a text, across every page.

        Args:
            query: Only jobs whose role contains this text.
            max_items: Stop after this many jobs (1-500).
        """
        if not 1 <= max_items <= 500:
            raise ToolError(f"max_items must be between 1 and 500, got {max_items}")
        def fetch(cursor):
            data = self._get("/jobs", {"q": query or None, "cursor": cursor})
            return data["items"], data.get("next")
        rows = paginate_cursor(fetch, max_items=max_items)
        return [{"id": row["id"], "role": row["role"]} for row in rows]

    @tool
    def get_job(self, job_id: str) -> dict:
        """Read one job with its details.

        Args:
            job_id: The job's id, as list_jobs returns it.
        """
        if not job_id.strip():
            raise ToolError("job_id is empty: pass an id from list_jobs")
        data = self._get(f"/jobs/{job_id}")
        return {"id": data["id"], "role": data["role"], "company": data.get("company")}

    @tool
    def search_jobs(self, text: str, limit: int = 10) -> list:
        """Search jobs by free text and return the matching ids, best first.

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
    serve(JobboardAdapter)
