"""Bookshelf: reads books from the Bookshelf API"""
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

API = "https://api.bookshelf.example/v1"


@register_adapter
class BookshelfAdapter(BaseAdapter[dict]):
    """reads books from the Bookshelf API"""

    name = "bookshelf"

    def _get(self, path: str, params: dict | None = None):
        headers = {"Authorization": f"Bearer {self.credential('api_key')}"}
        try:
            return self.http.get_json(API + path, params=params, headers=headers)
        except HTTPError as exc:
            if exc.status == 401:
                raise ToolError("Bookshelf rejected the credentials (401): set them with "
                                "`nexus creds set bookshelf api_key`.")
            if exc.status == 404:
                raise ToolError(f"not found: {path}")
            raise

    @tool
    def list_books(self, query: str = "", max_items: int = 50) -> list:
        """List books, optionally filtered by a text, across every page.

        Args:
            query: Only books whose title contains this text.
            max_items: Stop after this many books (1-500).
        """
        if not 1 <= max_items <= 500:
            raise ToolError(f"max_items must be between 1 and 500, got {max_items}")
        fetch = lambda page: self._get("/books", {"q": query or None, "page": page})["items"]  # noqa: E731
        rows = paginate_pages(fetch, max_items=max_items)
        return [{"id": row["id"], "title": row["title"]} for row in rows]

    @tool
    def get_book(self, book_id: str) -> dict:
        """Read one book with its details.

        Args:
            book_id: The book's id, as list_books returns it.
        """
        if not book_id.strip():
            raise ToolError("book_id is empty: pass an id from list_books")
        data = self._get(f"/books/{book_id}")
        return {"id": data["id"], "title": data["title"], "author": data.get("author")}

    @tool
    def search_books(self, text: str, limit: int = 10) -> list:
        """Search books by free text and return the matching ids, best first.

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
    serve(BookshelfAdapter)
