"""Museum Catalogue: reads objects from the Museum Catalogue API"""
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

API = "https://collections.museum.example/public"


@register_adapter
class MuseumcatAdapter(BaseAdapter[dict]):
    """reads objects from the Museum Catalogue API"""

    name = "museumcat"

    def _get(self, path: str, params: dict | None = None):
        headers = {"Accept": "application/json"}
        try:
            return self.http.get_json(API + path, params=params, headers=headers)
        except HTTPError as exc:
            if exc.status == 401:
                raise ToolError("Museum Catalogue rejected the credentials (401): set them with "
                                "`nexus creds set museumcat api_key`.")
            if exc.status == 404:
                raise ToolError(f"not found: {path}")
            raise

    @tool
    def list_objects(self, query: str = "", max_items: int = 50) -> list:
        """List objects, optionally filtered by a text, across every page.

        Args:
            query: Only objects whose label contains this text.
            max_items: Stop after this many objects (1-500).
        """
        if not 1 <= max_items <= 500:
            raise ToolError(f"max_items must be between 1 and 500, got {max_items}")
        fetch = lambda offset, limit: self._get("/objects", {"q": query or None, "offset": offset, "limit": limit})["items"]  # noqa: E731
        rows = paginate_offset(fetch, limit=2, max_items=max_items)
        return [{"id": row["id"], "label": row["label"]} for row in rows]

    @tool
    def get_object(self, object_id: str) -> dict:
        """Read one object with its details.

        Args:
            object_id: The object's id, as list_objects returns it.
        """
        if not object_id.strip():
            raise ToolError("object_id is empty: pass an id from list_objects")
        data = self._get(f"/objects/{object_id}")
        return {"id": data["id"], "label": data["label"], "period": data.get("period")}

    @tool
    def search_objects(self, text: str, limit: int = 10) -> list:
        """Search objects by free text and return the matching ids, best first.

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
    serve(MuseumcatAdapter)
