import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from adapter import CryptotickerAdapter  # noqa: E402
from nexus_adapter import MockTransport  # noqa: E402


class ToolTests(unittest.TestCase):
    def test_tools_exist(self):
        names = [t.name for t in CryptotickerAdapter(transport=MockTransport([]), env={}).list_tools()]
        self.assertEqual(names, ["get_coin", "list_coins", "search_coins"])


if __name__ == "__main__":
    unittest.main()
