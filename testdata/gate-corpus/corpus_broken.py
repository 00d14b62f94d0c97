"""broken/: modules with one honest mistake each. The gate must reject every one; the category is the check
that should catch it first (null = any rejection will do)."""

HANDWRITTEN_SERVER = '''"""A hand-written MCP server (no nexus_adapter) whose tool {flaw}."""
import json
import sys


def answer(msg_id, result):
    sys.stdout.write(json.dumps({{"jsonrpc": "2.0", "id": msg_id, "result": result}}) + "\\n")
    sys.stdout.flush()


TOOLS = [{{"name": "lookup", "description": "Look a word up.", "inputSchema": {schema}}}]

for line in sys.stdin:
    msg = json.loads(line)
    method, msg_id = msg.get("method"), msg.get("id")
    if method == "initialize":
        answer(msg_id, {{"protocolVersion": "2025-06-18", "capabilities": {{"tools": {{}}}},
                        "serverInfo": {{"name": "handwritten", "version": "1.0.0"}}}})
    elif method == "tools/list":
        answer(msg_id, {{"tools": TOOLS}})
    elif method == "tools/call":
        args = msg["params"]["arguments"]
        word = args["word"]
        answer(msg_id, {{"content": [{{"type": "text", "text": word.upper()}}]}})
    elif method == "ping":
        answer(msg_id, {{}})
'''

HANDWRITTEN_TESTS = '''import os
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
'''


def make(goods, edit, manifest_edit):
    b = goods["bookshelf"]
    w = goods["weatherdesk"]
    r = goods["repohub"]
    c = goods["cinemadb"]
    t = goods["tasklane"]
    out = {}
    out["syntax_error"] = (edit(b, "adapter.py", "    def get_book(self, book_id: str) -> dict:",
                                "    def get_book(self, book_id: str) -> dict\n"), "syntax")
    out["syntax_error_in_tests"] = (edit(w, "test_adapter.py", "    def test_get_maps_fields(self):",
                                         "    def test_get_maps_fields(self)"), "syntax")
    out["empty_tool_description"] = (edit(r, "adapter.py", "    @tool\n    def get_repo",
                                          "    @tool(description=\" \")\n    def get_repo"), "protocol")
    out["bad_tool_name"] = (edit(c, "adapter.py", "    @tool\n    def get_movie",
                                 "    @tool(name=\"get movie\")\n    def get_movie"), "protocol")
    out["crashes_on_bad_args"] = ({
        "manifest.json": goods["openlibrary_lite"]["manifest.json"],
        "adapter.py": HANDWRITTEN_SERVER.format(
            flaw="crashes on a missing argument", schema='{"type": "object", "properties": {"word": '
            '{"type": "string"}}, "required": ["word"]}'),
        "test_adapter.py": HANDWRITTEN_TESTS}, "protocol")
    out["bad_input_schema"] = ({
        "manifest.json": goods["openlibrary_lite"]["manifest.json"],
        "adapter.py": HANDWRITTEN_SERVER.format(flaw="declares a non-object inputSchema",
                                                schema='{"type": "string"}'),
        "test_adapter.py": HANDWRITTEN_TESTS}, "protocol")
    # A hand-written server may write its protocol to stdout, but a log line there breaks the protocol.
    chatty = HANDWRITTEN_SERVER.format(flaw="logs to stdout", schema='{"type": "object", "properties": {"word": '
                                       '{"type": "string"}}, "required": ["word"]}')
    chatty = chatty.replace("for line in sys.stdin:", "print(\"lookup server starting\", flush=True)\n\n"
                            "for line in sys.stdin:").replace('        word = args["word"]',
                                                              '        word = args.get("word")\n'
                                                              '        if not isinstance(word, str):\n'
                                                              '            answer(msg_id, {"content": [], "isError": True})\n'
                                                              '            continue')
    out["handwritten_logs_to_stdout"] = ({
        "manifest.json": goods["openlibrary_lite"]["manifest.json"], "adapter.py": chatty,
        "test_adapter.py": HANDWRITTEN_TESTS}, "protocol")
    # Every test skipped: nothing was checked.
    out["all_tests_skipped"] = (edit(goods["museumcat"], "test_adapter.py", "\nclass ToolTests(unittest.TestCase):",
                                     "\n@unittest.skip(\"later\")\nclass ToolTests(unittest.TestCase):"), "test")
    out["no_tools"] = (edit(edit(edit(t, "adapter.py", "    @tool\n    def list_tasks", "    def list_tasks"),
                                 "adapter.py", "    @tool\n    def get_task", "    def get_task"),
                            "adapter.py", "    @tool\n    def search_tasks", "    def search_tasks"), "protocol")
    out["prints_to_stdout"] = (edit(goods["podcastly"], "adapter.py", "        data = self._get(\"/search\"",
                                    "        print(\"searching\", text)\n        data = self._get(\"/search\""), "policy")
    out["undeclared_host"] = (edit(goods["jobboard"], "adapter.py", 'API = "https://api.jobboard.example/v3"',
                                   'API = "https://api.jobboard-v3.example/v3"'), "policy")
    out["manifest_missing_test_file"] = (manifest_edit(goods["museumcat"], lambda m: m.pop("test_file")),
                                         "manifest")
    out["manifest_bad_version"] = (manifest_edit(goods["transitfeed"], lambda m: m.update(version="one")),
                                   "manifest")
    out["manifest_missing_description"] = (manifest_edit(goods["bugtracker"], lambda m: m.pop("description")),
                                           "manifest")
    out["entry_point_missing"] = (manifest_edit(goods["petclinic"], lambda m: m.update(entry_point="main.py")),
                                  "manifest")
    out["failing_test"] = (edit(goods["recipebox"], "test_adapter.py", '["a1", "c3"])', '["a1", "b2"])'), "test")
    out["tests_import_missing_name"] = (edit(goods["spacelaunch"], "test_adapter.py",
                                             "from adapter import API, SpacelaunchAdapter",
                                             "from adapter import API, SpacelaunchAdapter, LaunchCache"), "test")
    # Toothless: the tests only look at the tool list, so every mutant survives.
    toothless = dict(goods["cryptoticker"])
    toothless["test_adapter.py"] = '''import os
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
'''
    out["toothless_tests"] = (toothless, "mutation")
    # Half the teeth: the tests never check the pagination, errors or search parameters.
    weak = edit(goods["weatherdesk"], "test_adapter.py", "    def test_list_reads_every_page(self):",
                "    def _skip_list_reads_every_page(self):")
    weak = edit(weak, "test_adapter.py", "    def test_missing_station_is_actionable(self):",
                "    def _skip_missing_station_is_actionable(self):")
    weak = edit(weak, "test_adapter.py", "    def test_rejected_credentials_say_what_to_do(self):",
                "    def _skip_rejected_credentials_say_what_to_do(self):")
    weak = edit(weak, "test_adapter.py", "    def test_credential_is_sent(self):",
                "    def _skip_credential_is_sent(self):")
    out["weak_tests"] = (weak, "mutation")
    # The tests call the real API instead of the mock: offline they cannot pass.
    out["tests_need_network"] = (edit(goods["bookshelf"], "test_adapter.py",
                                      '        self.assertEqual(adapter().call_tool("get_book", {"book_id": "a1"}),',
                                      '        live = BookshelfAdapter(env={"BOOKSHELF_API_KEY": "k-123"})\n'
                                      '        self.assertEqual(live.call_tool("get_book", {"book_id": "a1"}),'), "test")
    return out
