import NexusCore

/// A module for the farm's api_key_header scenario that passes the whole gate, the scenario's acceptance checks
/// included, and a variant that names its credential `api_key` where the request said `api_key_auth`: its own
/// tests pass, but the judge cannot give it the key, so it fails the contract check (what a repair must fix).
enum EvolveFixture {
    static let manifest = #"""
        {
          "name": "evolve_api_key_header", "version": "1.0.0", "category": "demo", "platform": "inventory",
          "display_name": "Farm Inventory", "description": "Lists the inventory's items and reads one by id.",
          "entry_point": "adapter.py", "class_name": "InventoryAdapter", "requires_api_key": true,
          "api_key_instructions": "The farm's key", "python_dependencies": [],
          "test_file": "test_adapter.py", "health_status": "healthy", "created_by": "executor_agent",
          "created_at": "2026-12-07T00:00:00Z", "build_provider": "", "validation_results": {},
          "runtime": {"protocol": "mcp-stdio", "command": ["python3", "adapter.py"]},
          "credentials": [{"name": "api_key_auth", "env": "FARM_API_KEY", "instructions": "The farm's key"}],
          "network": {"allow": ["127.0.0.1:18301"]}, "rate_limit_per_minute": 60, "sensitive_tools": []
        }

        """#

    static let adapter = #"""
        """Farm inventory: list the items and read one by id."""
        from __future__ import annotations

        from nexus_adapter import BaseAdapter, HTTPError, ToolError, register_adapter, serve, tool

        API = "http://127.0.0.1:18301/v1"


        @register_adapter
        class InventoryAdapter(BaseAdapter[dict]):
            """The inventory's items."""

            name = "evolve_api_key_header"

            def _get(self, path: str, params: dict | None = None):
                headers = {"X-API-Key": self.credential("api_key_auth")}
                try:
                    return self.http.get_json(API + path, params=params, headers=headers)
                except HTTPError as exc:
                    if exc.status == 404:
                        raise ToolError(f"404: no such item: {path}")
                    raise

            @tool
            def list_items(self, in_stock: bool = False) -> list:
                """List the items.

                Args:
                    in_stock: Only items in stock.
                """
                return self._get("/items", {"in_stock": "true"} if in_stock else None)

            @tool
            def get_item(self, id: str) -> dict:
                """Read one item.

                Args:
                    id: The item's id.
                """
                return self._get(f"/items/{id}")


        if __name__ == "__main__":
            serve(InventoryAdapter)

        """#

    static let tests = #"""
        """Offline tests on mocked HTTP."""
        from __future__ import annotations

        import os
        import sys
        import unittest

        HERE = os.path.dirname(os.path.abspath(__file__))
        sys.path.insert(0, HERE)
        from adapter import API, InventoryAdapter  # noqa: E402
        from nexus_adapter import MockTransport, ToolError  # noqa: E402

        ITEMS = [{"id": "a1", "name": "anvil", "stock": 3}, {"id": "b2", "name": "bellows", "stock": 0}]
        ROUTES = [
            {"method": "GET", "url": API + "/items", "query": {"in_stock": "true"}, "json": ITEMS[:1]},
            {"method": "GET", "url": API + "/items", "json": ITEMS},
            {"method": "GET", "url": API + "/items/a1", "json": ITEMS[0]},
            {"method": "GET", "url": API + "/items/zz", "status": 404, "json": {"error": "no"}},
        ]


        def adapter(mock=None):
            return InventoryAdapter(transport=mock or MockTransport(ROUTES), env={"FARM_API_KEY": "k-1"})


        class InventoryTests(unittest.TestCase):
            def test_list_items_sends_the_key(self):
                mock = MockTransport(ROUTES)
                self.assertEqual(adapter(mock).call_tool("list_items", {}), ITEMS)
                self.assertEqual(mock.requests[0].headers["X-API-Key"], "k-1")

            def test_list_items_in_stock(self):
                self.assertEqual(adapter().call_tool("list_items", {"in_stock": True}), ITEMS[:1])

            def test_get_item(self):
                self.assertEqual(adapter().call_tool("get_item", {"id": "a1"}), ITEMS[0])

            def test_missing_item_is_a_404_error(self):
                with self.assertRaisesRegex(ToolError, "404"):
                    adapter().call_tool("get_item", {"id": "zz"})


        if __name__ == "__main__":
            unittest.main()

        """#

    static let good: [(String, String)] = [
        ("manifest.json", manifest), ("adapter.py", adapter), ("test_adapter.py", tests),
    ]

    /// The credential named `api_key`: the contract check cannot fill FARM_API_KEY, every call fails.
    static var wrongCredentialName: [(String, String)] {
        good.map {
            (
                $0.0,
                $0.1.replacingFirst(#"credential("api_key_auth")"#, with: #"credential("api_key")"#)
                    .replacingFirst(#""name": "api_key_auth""#, with: #""name": "api_key""#)
            )
        }
    }

    /// Tests that take a minute: the round is still in the gate when Ctrl-C arrives.
    static var slowTests: [(String, String)] {
        good.map {
            $0.0 == "test_adapter.py"
                ? (
                    $0.0,
                    $0.1.replacingFirst(
                        "    def test_get_item(self):\n",
                        with: "    def test_get_item(self):\n        import time\n        time.sleep(60)\n")
                ) : $0
        }
    }
}
