"""Offline tests for recipebox: recorded responses served by MockTransport (no network)."""
from __future__ import annotations

import os
import sys
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from adapter import API, RecipeboxAdapter  # noqa: E402
from nexus_adapter import MockTransport, ToolError  # noqa: E402

ROWS = [{"id": "a1", "name": "alpha", "minutes": "x"}, {"id": "b2", "name": "beta", "minutes": "y"},
        {"id": "c3", "name": "gamma", "minutes": "z"}]


def routes():
    out = [{"method": "GET", "url": API + "/recipes", "query": {"cursor": "p2"},
            "json": {"items": ROWS[2:], "next": None}},
           {"method": "GET", "url": API + "/recipes", "json": {"items": ROWS[:2], "next": "p2"}}]
    out.append({"method": "GET", "url": API + "/recipes/a1", "json": ROWS[0]})
    out.append({"method": "GET", "url": API + "/recipes/zz", "status": 404, "json": {"error": "no such recipe"}})
    out.append({"method": "GET", "url": API + "/recipes/locked", "status": 401, "json": {"error": "bad key"}})
    out.append({"method": "GET", "url": API + "/search", "query": {"text": "al"},
                "json": {"results": [{"id": "a1"}, {"id": "c3"}, {"id": "b2"}]}})
    return out


def adapter(mock=None, key="k-123"):
    return RecipeboxAdapter(transport=mock or MockTransport(routes()), env={"RECIPEBOX_API_KEY": key} if True else {})


def query_of(request):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(request.url).query))


class ToolTests(unittest.TestCase):
    def test_list_reads_every_page(self):
        mock = MockTransport(routes())
        rows = adapter(mock).call_tool("list_recipes", {})
        self.assertEqual(rows, [{"id": r["id"], "name": r["name"]} for r in ROWS])
        self.assertGreaterEqual(len(mock.requests), 2)

    def test_list_stops_at_max_items(self):
        self.assertEqual([r["id"] for r in adapter().call_tool("list_recipes", {"max_items": 2})], ["a1", "b2"])

    def test_list_refuses_bad_bounds(self):
        for bad in (0, 501):
            with self.assertRaisesRegex(ToolError, "max_items"):
                adapter().call_tool("list_recipes", {"max_items": bad})
        self.assertEqual(len(adapter().call_tool("list_recipes", {"max_items": 500})), 3)

    def test_get_maps_fields(self):
        self.assertEqual(adapter().call_tool("get_recipe", {"recipe_id": "a1"}),
                         {"id": "a1", "name": "alpha", "minutes": "x"})

    def test_missing_recipe_is_actionable(self):
        with self.assertRaisesRegex(ToolError, "not found"):
            adapter().call_tool("get_recipe", {"recipe_id": "zz"})
        with self.assertRaisesRegex(ToolError, "empty"):
            adapter().call_tool("get_recipe", {"recipe_id": " "})

    def test_rejected_credentials_say_what_to_do(self):
        with self.assertRaisesRegex(ToolError, "rejected"):
            adapter().call_tool("get_recipe", {"recipe_id": "locked"})

    def test_search_sends_text_and_limit(self):
        mock = MockTransport(routes())
        self.assertEqual(adapter(mock).call_tool("search_recipes", {"text": "al", "limit": 2}), ["a1", "c3"])
        self.assertEqual(query_of(mock.requests[-1])["limit"], "2")
        with self.assertRaisesRegex(ToolError, "2 characters"):
            adapter().call_tool("search_recipes", {"text": "a"})
        with self.assertRaisesRegex(ToolError, "at most 50"):
            adapter().call_tool("search_recipes", {"text": "al", "limit": 51})
        self.assertEqual(len(adapter().call_tool("search_recipes", {"text": "al", "limit": 50})), 3)

    def test_credential_is_sent(self):
        mock = MockTransport(routes())
        adapter(mock).call_tool("get_recipe", {"recipe_id": "a1"})
        self.assertEqual(query_of(mock.requests[0]).get("api_key"), "k-123")


if __name__ == "__main__":
    unittest.main()
