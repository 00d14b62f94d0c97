"""Offline tests for bookshelf: recorded responses served by MockTransport (no network)."""
from __future__ import annotations

import os
import sys
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from adapter import API, BookshelfAdapter  # noqa: E402
from nexus_adapter import MockTransport, ToolError  # noqa: E402

ROWS = [{"id": "a1", "title": "alpha", "author": "x"}, {"id": "b2", "title": "beta", "author": "y"},
        {"id": "c3", "title": "gamma", "author": "z"}]


def routes():
    out = [{"method": "GET", "url": API + "/books", "query": {"page": str(n)}, "json": {"items": body}}
           for n, body in enumerate([ROWS[:2], ROWS[2:], []], start=1)]
    out.append({"method": "GET", "url": API + "/books/a1", "json": ROWS[0]})
    out.append({"method": "GET", "url": API + "/books/zz", "status": 404, "json": {"error": "no such book"}})
    out.append({"method": "GET", "url": API + "/books/locked", "status": 401, "json": {"error": "bad key"}})
    out.append({"method": "GET", "url": API + "/search", "query": {"text": "al"},
                "json": {"results": [{"id": "a1"}, {"id": "c3"}, {"id": "b2"}]}})
    return out


def adapter(mock=None, key="k-123"):
    return BookshelfAdapter(transport=mock or MockTransport(routes()), env={"BOOKSHELF_API_KEY": key} if True else {})


def query_of(request):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(request.url).query))


class ToolTests(unittest.TestCase):
    def test_list_reads_every_page(self):
        mock = MockTransport(routes())
        rows = adapter(mock).call_tool("list_books", {})
        self.assertEqual(rows, [{"id": r["id"], "title": r["title"]} for r in ROWS])
        self.assertGreaterEqual(len(mock.requests), 2)

    def test_list_stops_at_max_items(self):
        self.assertEqual([r["id"] for r in adapter().call_tool("list_books", {"max_items": 2})], ["a1", "b2"])

    def test_list_refuses_bad_bounds(self):
        for bad in (0, 501):
            with self.assertRaisesRegex(ToolError, "max_items"):
                adapter().call_tool("list_books", {"max_items": bad})
        self.assertEqual(len(adapter().call_tool("list_books", {"max_items": 500})), 3)

    def test_get_maps_fields(self):
        live = BookshelfAdapter(env={"BOOKSHELF_API_KEY": "k-123"})
        self.assertEqual(live.call_tool("get_book", {"book_id": "a1"}),
                         {"id": "a1", "title": "alpha", "author": "x"})

    def test_missing_book_is_actionable(self):
        with self.assertRaisesRegex(ToolError, "not found"):
            adapter().call_tool("get_book", {"book_id": "zz"})
        with self.assertRaisesRegex(ToolError, "empty"):
            adapter().call_tool("get_book", {"book_id": " "})

    def test_rejected_credentials_say_what_to_do(self):
        with self.assertRaisesRegex(ToolError, "rejected"):
            adapter().call_tool("get_book", {"book_id": "locked"})

    def test_search_sends_text_and_limit(self):
        mock = MockTransport(routes())
        self.assertEqual(adapter(mock).call_tool("search_books", {"text": "al", "limit": 2}), ["a1", "c3"])
        self.assertEqual(query_of(mock.requests[-1])["limit"], "2")
        with self.assertRaisesRegex(ToolError, "2 characters"):
            adapter().call_tool("search_books", {"text": "a"})
        with self.assertRaisesRegex(ToolError, "at most 50"):
            adapter().call_tool("search_books", {"text": "al", "limit": 51})
        self.assertEqual(len(adapter().call_tool("search_books", {"text": "al", "limit": 50})), 3)

    def test_credential_is_sent(self):
        mock = MockTransport(routes())
        adapter(mock).call_tool("get_book", {"book_id": "a1"})
        self.assertEqual(mock.requests[0].headers.get("Authorization"), "Bearer k-123")


if __name__ == "__main__":
    unittest.main()
