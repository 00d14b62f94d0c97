"""The local embedder's request checks (scripts/minilm-embed.py), stdlib only: numpy is stubbed, since reading a
request never needs it. Run by scripts/python-tests.sh."""
import importlib.util
import io
import os
import sys
import types
import unittest

sys.modules.setdefault("numpy", types.ModuleType("numpy"))
_spec = importlib.util.spec_from_file_location(
    "minilm_embed", os.path.join(os.path.dirname(os.path.abspath(__file__)), "minilm-embed.py"))
embed = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(embed)


def ask(body=b'{"input": ["a", "b"]}', **headers):
    h = {"Content-Length": str(len(body))}
    h.update({k.replace("_", "-"): v for k, v in headers.items()})
    return embed.read_request(h, io.BytesIO(body))


class ReadRequestTests(unittest.TestCase):
    def code(self, **kw):
        with self.assertRaises(embed.BadRequest) as c:
            ask(**kw)
        return c.exception.code

    def test_a_string_or_a_list_of_strings_is_read(self):
        self.assertEqual(ask(), ["a", "b"])
        self.assertEqual(ask(b'{"input": "one"}'), ["one"])

    def test_a_negative_length_is_refused_before_reading_instead_of_waiting_for_the_connection_to_close(self):
        self.assertEqual(self.code(Content_Length="-1"), 413)

    def test_a_body_over_the_cap_or_without_a_length_is_refused(self):
        self.assertEqual(self.code(Content_Length=str(embed.MAX_BODY + 1)), 413)
        self.assertEqual(self.code(Content_Length="lots"), 411)

    def test_a_web_page_cannot_use_the_embedder(self):
        self.assertEqual(self.code(Origin="https://evil.example"), 403)
        self.assertEqual(self.code(Origin="http://127.0.0.1.evil.example"), 403)
        self.assertEqual(ask(Origin="http://127.0.0.1:8089"), ["a", "b"])

    def test_anything_but_strings_and_too_many_texts_are_refused(self):
        self.assertEqual(self.code(body=b'{"input": [1, 2]}'), 400)
        self.assertEqual(self.code(body=b'{"input": {"a": 1}}'), 400)
        self.assertEqual(self.code(body=b"not json"), 400)
        many = ('{"input": [' + ",".join(['"x"'] * (embed.MAX_TEXTS + 1)) + "]}").encode()
        self.assertEqual(self.code(body=many), 413)


if __name__ == "__main__":
    unittest.main()
