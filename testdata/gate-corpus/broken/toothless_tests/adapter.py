"""Crypto Ticker: reads coins from the Crypto Ticker API"""
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

API = "https://api.cryptoticker.example/v1"


@register_adapter
class CryptotickerAdapter(BaseAdapter[dict]):
    """reads coins from the Crypto Ticker API"""

    name = "cryptoticker"

    def _get(self, path: str, params: dict | None = None):
        headers = {"X-Api-Key": self.credential("api_key")}
        try:
            return self.http.get_json(API + path, params=params, headers=headers)
        except HTTPError as exc:
            if exc.status == 401:
                raise ToolError("Crypto Ticker rejected the credentials (401): set them with "
                                "`nexus creds set cryptoticker api_key`.")
            if exc.status == 404:
                raise ToolError(f"not found: {path}")
            raise

    @tool
    def list_coins(self, query: str = "", max_items: int = 50) -> list:
        """List coins, optionally filtered by a text, across every page.

        Args:
            query: Only coins whose symbol contains this text.
            max_items: Stop after this many coins (1-500).
        """
        if not 1 <= max_items <= 500:
            raise ToolError(f"max_items must be between 1 and 500, got {max_items}")
        def fetch(cursor):
            data = self._get("/coins", {"q": query or None, "cursor": cursor})
            return data["items"], data.get("next")
        rows = paginate_cursor(fetch, max_items=max_items)
        return [{"id": row["id"], "symbol": row["symbol"]} for row in rows]

    @tool
    def get_coin(self, coin_id: str) -> dict:
        """Read one coin with its details.

        Args:
            coin_id: The coin's id, as list_coins returns it.
        """
        if not coin_id.strip():
            raise ToolError("coin_id is empty: pass an id from list_coins")
        data = self._get(f"/coins/{coin_id}")
        return {"id": data["id"], "symbol": data["symbol"], "price": data.get("price")}

    @tool
    def search_coins(self, text: str, limit: int = 10) -> list:
        """Search coins by free text and return the matching ids, best first.

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
    serve(CryptotickerAdapter)
