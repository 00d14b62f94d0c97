"""TEMPLATE module: a REST API with an API key and page-number pagination. Copy this folder, then:

1. manifest.json: name, display_name, description, credentials[].env, network.allow, sensitive_tools.
2. Here: API, the auth header, and one @tool method per action. Type-annotate every argument and document it
   in the docstring's Args: section; that becomes the tool's JSON Schema the model sees.
3. Raise ToolError with a sentence the user can act on; any other exception becomes a generic error result.
4. test_adapter.py: record real responses as JSON under tests/fixtures/ and serve them with MockTransport.
"""
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

API = "https://api.example.com/v1"


@register_adapter
class ExampleItemsAdapter(BaseAdapter[dict]):
    """TEMPLATE: one line on what the module gives the user."""

    name = "example_items"

    def _get(self, path: str, params: dict | None = None):
        headers = {"Authorization": f"Bearer {self.credential('api_key')}"}
        try:
            return self.http.get_json(API + path, params=params, headers=headers)
        except HTTPError as exc:
            if exc.status == 401:
                raise ToolError("Example rejected the API key (401): set it with "
                                "`nexus creds set example_items api_key`.")
            if exc.status == 404:
                raise ToolError(f"not found: {path}")
            raise

    @tool
    def list_items(self, query: str = "", max_items: int = 100) -> list:
        """List items, optionally filtered by a search text, across all pages.

        Args:
            query: Only items whose name contains this text.
            max_items: Stop after this many items (1-1000).
        """
        if not 1 <= max_items <= 1000:
            raise ToolError(f"max_items must be between 1 and 1000, got {max_items}")
        fetch = lambda page: self._get("/items", {"q": query or None, "page": page, "per_page": 50})["items"]  # noqa: E731
        return [{"id": i["id"], "name": i["name"]} for i in paginate_pages(fetch, max_items=max_items)]

    @tool
    def get_item(self, item_id: str) -> dict:
        """Read one item with all its fields.

        Args:
            item_id: The item's id, as list_items returns it.
        """
        return self._get(f"/items/{item_id}")


if __name__ == "__main__":
    serve(ExampleItemsAdapter)
