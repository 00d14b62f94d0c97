"""Transit Feed: reads routes from the Transit Feed API"""
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
from nexus_adapter import BaseAdapter, HTTPError, ToolError, paginate_pages, register_adapter, serve, tool  # noqa: E402

API = "https://api.transitfeed.example/v1"


@register_adapter
class TransitfeedAdapter(BaseAdapter[dict]):
    """reads routes from the Transit Feed API"""

    name = "transitfeed"

    def _get(self, path: str, params: dict | None = None):
        headers = {"X-Api-Key": self.credential("api_key")}
        try:
            return self.http.get_json(API + path, params=params, headers=headers)
        except HTTPError as exc:
            if exc.status == 401:
                raise ToolError("Transit Feed rejected the credentials (401): set them with "
                                "`nexus creds set transitfeed api_key`.")
            if exc.status == 404:
                raise ToolError(f"not found: {path}")
            raise

    @tool
    def list_routes(self, query: str = "", max_items: int = 50) -> list:
        """List routes, optionally filtered by a text, across every page.

        Args:
            query: Only routes whose short_name contains this text.
            max_items: Stop after this many routes (1-500).
        """
        if not 1 <= max_items <= 500:
            raise ToolError(f"max_items must be between 1 and 500, got {max_items}")
        fetch = lambda page: self._get("/routes", {"q": query or None, "page": page})["items"]  # noqa: E731
        rows = paginate_pages(fetch, max_items=max_items)
        return [{"id": row["id"], "short_name": row["short_name"]} for row in rows]

    @tool
    def get_route(self, route_id: str) -> dict:
        """Read one route with its details.

        Args:
            route_id: The route's id, as list_routes returns it.
        """
        if not route_id.strip():
            raise ToolError("route_id is empty: pass an id from list_routes")
        data = self._get(f"/routes/{route_id}")
        return {"id": data["id"], "short_name": data["short_name"], "operator": data.get("operator")}

    @tool
    def search_routes(self, text: str, limit: int = 10) -> list:
        """Search routes by free text and return the matching ids, best first.

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
    serve(TransitfeedAdapter)
