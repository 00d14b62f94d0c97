import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


class ServerTests(unittest.TestCase):
    def test_tools_are_declared(self):
        with open(os.path.join(HERE, "adapter.py"), encoding="utf-8") as fh:
            self.assertIn("lookup", fh.read())


if __name__ == "__main__":
    unittest.main()
