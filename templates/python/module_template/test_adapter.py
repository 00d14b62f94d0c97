"""TEMPLATE tests: offline tool tests on recorded responses, then the real process over MCP stdio."""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from adapter import API, ExampleItemsAdapter  # noqa: E402
from nexus_adapter import MockTransport, StdioClient, ToolError  # noqa: E402


def routes():
    with open(os.path.join(HERE, "tests", "fixtures", "items_pages.json")) as fh:
        pages = json.load(fh)["pages"]
    out = [{"method": "GET", "url": API + "/items", "query": {"page": str(n)}, "json": body}
           for n, body in enumerate(pages, start=1)]
    out.append({"method": "GET", "url": API + "/items/a1", "json": pages[0]["items"][0]})
    out.append({"method": "GET", "url": API + "/items/zz", "status": 404, "json": {"error": "no such item"}})
    return out


def adapter(key="k-123", transport=None):
    return ExampleItemsAdapter(transport=transport or MockTransport(routes()),
                               env={"EXAMPLE_ITEMS_API_KEY": key} if key else {})


class ToolTests(unittest.TestCase):
    def test_list_items_reads_every_page(self):
        mock = MockTransport(routes())
        self.assertEqual([i["id"] for i in adapter(transport=mock).call_tool("list_items", {})], ["a1", "b2", "c3"])
        self.assertEqual(len(mock.requests), 3)
        self.assertEqual(mock.requests[0].headers["Authorization"], "Bearer k-123")

    def test_errors_are_actionable(self):
        with self.assertRaisesRegex(ToolError, "not found"):
            adapter().call_tool("get_item", {"item_id": "zz"})
        with self.assertRaisesRegex(ToolError, "EXAMPLE_ITEMS_API_KEY is empty"):
            adapter(key=None).call_tool("list_items", {})


class ProcessTests(unittest.TestCase):
    def test_module_process_speaks_mcp(self):
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp, True)
        path = os.path.join(tmp, "http.json")
        with open(path, "w") as fh:
            json.dump({"routes": routes()}, fh)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "TZ": "UTC", "HOME": tmp,
               "EXAMPLE_ITEMS_API_KEY": "k-123", "NEXUS_MOCK_HTTP": path}
        with StdioClient(["python3", "adapter.py"], cwd=HERE, env=env) as c:
            c.initialize()
            self.assertEqual([t["name"] for t in c.list_tools()], ["get_item", "list_items"])
            r = c.call("get_item", {"item_id": "a1"})
            self.assertEqual(r["structuredContent"]["name"], "alpha")
            self.assertEqual(c.close(), 0)


if __name__ == "__main__":
    unittest.main()
