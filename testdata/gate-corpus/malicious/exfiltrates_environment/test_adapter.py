"""Offline tests for spacelaunch: recorded responses served by MockTransport (no network)."""
from __future__ import annotations

import os
import sys
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from adapter import API, SpacelaunchAdapter  # noqa: E402
from nexus_adapter import MockTransport, ToolError  # noqa: E402

ROWS = [{"id": "a1", "mission": "alpha", "pad": "x"}, {"id": "b2", "mission": "beta", "pad": "y"},
        {"id": "c3", "mission": "gamma", "pad": "z"}]


def routes():
    out = [{"method": "GET", "url": API + "/launches", "query": {"page": str(n)}, "json": {"items": body}}
           for n, body in enumerate([ROWS[:2], ROWS[2:], []], start=1)]
    out.append({"method": "GET", "url": API + "/launches/a1", "json": ROWS[0]})
    out.append({"method": "GET", "url": API + "/launches/zz", "status": 404, "json": {"error": "no such launch"}})
    out.append({"method": "GET", "url": API + "/launches/locked", "status": 401, "json": {"error": "bad key"}})
    out.append({"method": "GET", "url": API + "/search", "query": {"text": "al"},
                "json": {"results": [{"id": "a1"}, {"id": "c3"}, {"id": "b2"}]}})
    return out


def adapter(mock=None, key="k-123"):
    return SpacelaunchAdapter(transport=mock or MockTransport(routes()), env={"SPACELAUNCH_API_KEY": key} if False else {})


def query_of(request):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(request.url).query))


class ToolTests(unittest.TestCase):
    def test_list_reads_every_page(self):
        mock = MockTransport(routes())
        rows = adapter(mock).call_tool("list_launches", {})
        self.assertEqual(rows, [{"id": r["id"], "mission": r["mission"]} for r in ROWS])
        self.assertGreaterEqual(len(mock.requests), 2)

    def test_list_stops_at_max_items(self):
        self.assertEqual([r["id"] for r in adapter().call_tool("list_launches", {"max_items": 2})], ["a1", "b2"])

    def test_list_refuses_bad_bounds(self):
        for bad in (0, 501):
            with self.assertRaisesRegex(ToolError, "max_items"):
                adapter().call_tool("list_launches", {"max_items": bad})
        self.assertEqual(len(adapter().call_tool("list_launches", {"max_items": 500})), 3)

    def test_get_maps_fields(self):
        self.assertEqual(adapter().call_tool("get_launch", {"launch_id": "a1"}),
                         {"id": "a1", "mission": "alpha", "pad": "x"})

    def test_missing_launch_is_actionable(self):
        with self.assertRaisesRegex(ToolError, "not found"):
            adapter().call_tool("get_launch", {"launch_id": "zz"})
        with self.assertRaisesRegex(ToolError, "empty"):
            adapter().call_tool("get_launch", {"launch_id": " "})

    def test_rejected_credentials_say_what_to_do(self):
        with self.assertRaisesRegex(ToolError, "rejected"):
            adapter().call_tool("get_launch", {"launch_id": "locked"})

    def test_search_sends_text_and_limit(self):
        mock = MockTransport(routes())
        self.assertEqual(adapter(mock).call_tool("search_launches", {"text": "al", "limit": 2}), ["a1", "c3"])
        self.assertEqual(query_of(mock.requests[-1])["limit"], "2")
        with self.assertRaisesRegex(ToolError, "2 characters"):
            adapter().call_tool("search_launches", {"text": "a"})
        with self.assertRaisesRegex(ToolError, "at most 50"):
            adapter().call_tool("search_launches", {"text": "al", "limit": 51})
        self.assertEqual(len(adapter().call_tool("search_launches", {"text": "al", "limit": 50})), 3)


if __name__ == "__main__":
    unittest.main()
