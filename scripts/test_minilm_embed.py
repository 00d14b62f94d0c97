"""The local embedder (scripts/minilm-embed.py): its request checks, stdlib only (numpy is stubbed, since reading a
request never needs it), and the int8 backend's answers over real HTTP, run by the installed embedder's Python
(scripts/embedder.sh setup; skipped, saying why, where it is not installed). Run by scripts/python-tests.sh."""
import importlib.util
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import types
import unittest
import urllib.request

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

    def test_a_lone_surrogate_that_no_tokenizer_can_encode_becomes_a_question_mark(self):
        self.assertEqual(ask(b'{"input": ["ok \\ud800 broken", "fine"]}'), ["ok ? broken", "fine"])

    def test_anything_but_strings_and_too_many_texts_are_refused(self):
        self.assertEqual(self.code(body=b'{"input": [1, 2]}'), 400)
        self.assertEqual(self.code(body=b'{"input": {"a": 1}}'), 400)
        self.assertEqual(self.code(body=b"not json"), 400)
        many = ('{"input": [' + ",".join(['"x"'] * (embed.MAX_TEXTS + 1)) + "]}").encode()
        self.assertEqual(self.code(body=many), 413)


def embedder_python():
    """The Python of the embedder `scripts/embedder.sh setup` installed (NEXUS_EMBEDDER_PYTHON overrides it), or
    None with the reason, when it is missing or lacks the packages the onnx backends need."""
    home = os.environ.get("NEXUS_HOME") or os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share"), "nexus")
    py = os.environ.get("NEXUS_EMBEDDER_PYTHON") or os.path.join(home, "embedder", "venv", "bin", "python")
    if not os.access(py, os.X_OK):
        return None, f"no embedder at {py} (scripts/embedder.sh setup installs it)"
    check = subprocess.run([py, "-c", "import onnx, onnxruntime, tokenizers, safetensors, all_minilm_l6_v2"],
                           capture_output=True, text=True)
    if check.returncode != 0:
        return None, f"{py} lacks the embedder's packages: {check.stderr.strip().splitlines()[-1:]}"
    return py, ""


class Int8BackendTests(unittest.TestCase):
    """`serve --backend onnx-int8` over loopback, from a fresh cache (it builds its graphs from the packaged
    weights)."""

    @classmethod
    def setUpClass(cls):
        py, why = embedder_python()
        if not py:
            print(f"skipped Int8BackendTests: {why}", file=sys.stderr)
            raise unittest.SkipTest(why)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            cls.port = s.getsockname()[1]
        cls.cache = tempfile.TemporaryDirectory()
        log = os.path.join(cls.cache.name, "server.log")
        with open(log, "w") as out:  # a file, not a pipe nobody reads: a full pipe would stall the server
            cls.server = subprocess.Popen(
                [py, os.path.join(os.path.dirname(os.path.abspath(__file__)), "minilm-embed.py"), "serve",
                 "--port", str(cls.port), "--backend", "onnx-int8"],
                env=dict(os.environ, XDG_CACHE_HOME=cls.cache.name), stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and cls.server.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", cls.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        with open(log) as f:
            said = f.read()[-2000:]
        cls.tearDownClass()
        raise AssertionError(f"the int8 embedder did not listen within 300 s; it said:\n{said}")

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()
        cls.server.wait()
        cls.cache.cleanup()

    def post(self, texts):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}/v1/embeddings",
                                     json.dumps({"input": texts}).encode(), {"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.load(r)

    def test_a_texts_int8_vector_does_not_depend_on_the_texts_sent_beside_it(self):
        alone = self.post(["open a pull request"])
        beside = self.post(["open a pull request", "whats everyone been saying in #incidents in the last hour, "
                            "and can you summarise the thread about the failed deploy of the billing service " * 3])
        self.assertEqual(alone["data"][0]["embedding"], beside["data"][0]["embedding"])
        self.assertEqual(len(alone["data"][0]["embedding"]), 384)

    def test_a_tool_description_with_a_lone_surrogate_gets_a_vector_instead_of_a_hung_connection(self):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}/v1/embeddings",
                                     b'{"input": ["ok \\ud800 broken", "fine"]}', {"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            self.assertEqual([len(d["embedding"]) for d in json.load(r)["data"]], [384, 384])

    def test_the_int8_model_answers_under_its_own_name_so_nexus_keys_its_vectors_apart(self):
        self.assertEqual(self.post(["x"])["model"], "all-MiniLM-L6-v2-int8-per-channel")
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/v1/models", timeout=10) as r:
            self.assertEqual(json.load(r)["data"][0]["id"], "all-MiniLM-L6-v2-int8-per-channel")


if __name__ == "__main__":
    unittest.main()
