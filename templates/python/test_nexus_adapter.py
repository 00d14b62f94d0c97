"""Tests of the module runtime (stdlib unittest; offline: HTTP goes to MockTransport or loopback servers)."""
from __future__ import annotations

import http.server
import io
import json
import os
import queue
import socket
import socketserver
import subprocess
import sys
import textwrap
import threading
import time
import unittest
from typing import Literal, Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nexus_adapter as na  # noqa: E402
from nexus_adapter import (  # noqa: E402
    BaseAdapter, HTTPClient, HTTPError, MCPServer, MockTransport, OAuth2ClientCredentials, OAuth2RefreshToken,
    RateLimiter, ToolError, check_cancelled, paginate_cursor, paginate_link, paginate_offset, paginate_pages,
    parse_link_header, register_adapter, tool,
)


class Sample(BaseAdapter[dict]):
    name = "sample"
    version = "1.2.3"

    @tool
    def greet(self, who: str, times: int = 1, loud: bool = False) -> str:
        """Greets someone by name.

        Args:
            who: The person to greet.
            times (int): How many greetings,
                at most ten.
        """
        text = " ".join(["hello " + who] * times)
        return text.upper() if loud else text

    @tool(name="shape_info", sensitive=True)
    def shape(self, kind: Literal["circle", "square"], size: Optional[float] = None, tags: list[str] = []) -> dict:
        """Describes a shape."""
        return {"kind": kind, "size": size, "tags": tags}

    @tool
    def explode(self) -> str:
        """Always fails."""
        raise RuntimeError("boom")

    @tool
    def refuse(self) -> str:
        """Fails the way tools should."""
        raise ToolError("city not found: Atlantis")

    @tool
    def wait_for_cancel(self, seconds: float = 5.0) -> str:
        """Blocks until cancelled."""
        self.started.set()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                check_cancelled()
            except na.Cancelled:
                self.saw_cancel.set()
                raise
            time.sleep(0.01)
        return "finished"

    def __init__(self, **kw):
        self.started, self.saw_cancel = threading.Event(), threading.Event()
        super().__init__(transport=MockTransport(), env={}, **kw)


def run_server(lines, adapter=None, page_size=100):
    out = io.BytesIO()
    server = MCPServer(adapter or Sample(), output=out, page_size=page_size)
    server.serve([line if isinstance(line, (bytes, str)) else json.dumps(line) for line in lines])
    return [json.loads(x) for x in out.getvalue().decode().splitlines()]


def req(i, method, params=None):
    m = {"jsonrpc": "2.0", "id": i, "method": method}
    if params is not None:
        m["params"] = params
    return m


class SchemaTests(unittest.TestCase):
    def test_schema_comes_from_signature_annotations_and_docstring(self):
        spec = Sample().get_tool("greet")
        self.assertEqual(spec.description, "Greets someone by name.")
        props = spec.input_schema["properties"]
        self.assertEqual(props["who"], {"type": "string", "description": "The person to greet."})
        self.assertEqual(props["times"], {"type": "integer", "description": "How many greetings, at most ten.",
                                          "default": 1})
        self.assertEqual(props["loud"], {"type": "boolean", "default": False})
        self.assertEqual(spec.input_schema["required"], ["who"])
        self.assertNotIn("additionalProperties", spec.input_schema)  # Gemini rejects it; checked server-side

    def test_literal_optional_and_list_annotations(self):
        spec = Sample().get_tool("shape_info")
        props = spec.input_schema["properties"]
        self.assertEqual(props["kind"], {"enum": ["circle", "square"], "type": "string"})
        self.assertEqual(props["size"], {"type": "number"})
        self.assertEqual(props["tags"]["type"], "array")
        self.assertEqual(props["tags"]["items"], {"type": "string"})
        self.assertEqual(spec.input_schema["required"], ["kind"])
        self.assertTrue(spec.sensitive)

    def test_arguments_are_validated_with_messages_naming_the_argument(self):
        a = Sample()
        with self.assertRaisesRegex(ToolError, "missing required argument 'who'"):
            a.call_tool("greet", {})
        with self.assertRaisesRegex(ToolError, "argument 'times' must be integer"):
            a.call_tool("greet", {"who": "x", "times": "3"})
        with self.assertRaisesRegex(ToolError, "unknown argument 'whom'"):
            a.call_tool("greet", {"whom": "x"})
        with self.assertRaisesRegex(ToolError, "must be one of"):
            a.call_tool("shape_info", {"kind": "hexagon"})
        self.assertEqual(a.call_tool("greet", {"who": "ann", "times": 2.0}), "hello ann hello ann")

    def test_register_adapter_records_the_class(self):
        @register_adapter
        class Registered(BaseAdapter[str]):
            name = "registered_test"
        self.assertIs(na.ADAPTER_REGISTRY["registered_test"], Registered)

    def test_malformed_manifest_entries_are_ignored_not_fatal(self):
        a = Sample(config=na.AdapterConfig(manifest={"credentials": ["x", {"env": "NO_NAME"}, {"name": "k", "env": "K"}],
                                                     "rate_limit_per_minute": "lots"}))
        self.assertEqual(a.config.credentials, {"k": None})
        self.assertIsNone(a.http.rate_limiter)

    def test_missing_credential_explains_how_to_set_it(self):
        a = Sample()
        a.config.manifest = {"credentials": [{"name": "api_key", "env": "X_KEY", "instructions": "Get one at x"}]}
        with self.assertRaisesRegex(ToolError, r"X_KEY is empty.*nexus creds set sample api_key.*Get one at x"):
            a.credential("api_key")


class ServerTests(unittest.TestCase):
    def test_initialize_echoes_a_supported_version_and_describes_the_server(self):
        r = run_server([req(1, "initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                              "clientInfo": {"name": "t", "version": "0"}})])
        self.assertEqual(r[0]["id"], 1)
        res = r[0]["result"]
        self.assertEqual(res["protocolVersion"], "2025-06-18")
        self.assertEqual(res["serverInfo"], {"name": "sample", "version": "1.2.3"})
        self.assertIn("tools", res["capabilities"])

    def test_initialize_with_unknown_version_answers_the_latest(self):
        r = run_server([req(1, "initialize", {"protocolVersion": "1999-01-01"})])
        self.assertEqual(r[0]["result"]["protocolVersion"], na.SUPPORTED_PROTOCOL_VERSIONS[0])

    def test_tools_list_pages_with_cursor(self):
        r = run_server([req(1, "tools/list")], page_size=2)
        first = r[0]["result"]
        self.assertEqual([t["name"] for t in first["tools"]], ["explode", "greet"])
        names = [t["name"] for t in first["tools"]]
        cursor = first["nextCursor"]
        while cursor:
            page = run_server([req(2, "tools/list", {"cursor": cursor})], page_size=2)[0]["result"]
            names += [t["name"] for t in page["tools"]]
            cursor = page.get("nextCursor")
        self.assertEqual(names, ["explode", "greet", "refuse", "shape_info", "wait_for_cancel"])
        bad = run_server([req(3, "tools/list", {"cursor": "!!nope"})])[0]
        self.assertEqual(bad["error"]["code"], -32602)

    def test_tools_call_returns_text_content(self):
        r = run_server([req(1, "tools/call", {"name": "greet", "arguments": {"who": "bo", "loud": True}})])
        self.assertEqual(r[0]["result"], {"content": [{"type": "text", "text": "HELLO BO"}], "isError": False})

    def test_dict_results_are_json_text_and_structured_content(self):
        r = run_server([req(1, "tools/call", {"name": "shape_info", "arguments": {"kind": "circle", "size": 2}})])
        res = r[0]["result"]
        self.assertEqual(json.loads(res["content"][0]["text"]), {"kind": "circle", "size": 2, "tags": []})
        self.assertEqual(res["structuredContent"]["kind"], "circle")

    def test_async_generator_and_dataclass_results(self):
        import dataclasses
        import datetime

        @dataclasses.dataclass
        class Point:
            x: int
            when: datetime.date

        class Mixed(BaseAdapter[dict]):
            name = "mixed"

            @tool
            async def later(self, n: int) -> int:
                """Async tool."""
                return n * 2

            @tool
            def counted(self, n: int):
                """Generator tool."""
                yield from range(n)

            @tool
            def point(self) -> Point:
                """Dataclass result."""
                return Point(1, datetime.date(2026, 1, 2))

        a = Mixed(transport=MockTransport(), env={})
        self.assertEqual(a.call_tool("later", {"n": 4}), 8)
        self.assertEqual(a.call_tool("counted", {"n": 3}), [0, 1, 2])
        r = run_server([req(1, "tools/call", {"name": "point"}), req(2, "tools/call", {"name": "later",
                                                                                    "arguments": {"n": 5}})], a)
        by_id = {m["id"]: m["result"] for m in r}
        self.assertEqual(by_id[1]["structuredContent"], {"x": 1, "when": "2026-01-02"})
        self.assertEqual(by_id[2]["content"][0]["text"], "10")

    def test_exceptions_become_error_results_and_the_loop_continues(self):
        r = run_server([req(1, "tools/call", {"name": "explode"}), req(2, "tools/call", {"name": "refuse"}),
                        req(3, "tools/call", {"name": "greet", "arguments": {"times": 2}}), req(4, "ping")])
        by_id = {m["id"]: m for m in r}
        self.assertTrue(by_id[1]["result"]["isError"])
        self.assertIn("RuntimeError: boom", by_id[1]["result"]["content"][0]["text"])
        self.assertEqual(by_id[2]["result"]["content"][0]["text"], "city not found: Atlantis")
        self.assertIn("missing required argument 'who'", by_id[3]["result"]["content"][0]["text"])
        self.assertEqual(by_id[4]["result"], {})

    def test_unknown_tool_and_method_are_protocol_errors(self):
        r = run_server([req(1, "tools/call", {"name": "nope"}), req(2, "resources/list")])
        self.assertEqual(r[0]["error"]["code"], -32602)
        self.assertIn("nope", r[0]["error"]["message"])
        self.assertEqual(r[1]["error"]["code"], -32601)

    def test_malformed_lines_get_parse_errors_and_notifications_get_nothing(self):
        r = run_server(["{not json", b"\xff\xfe\n", "[1,2]", json.dumps({"id": 5, "method": "ping"}),
                        {"jsonrpc": "2.0", "method": "notifications/initialized"}, "", req(6, "ping"),
                        req({"x": 1}, "ping"), req(None, "ping")])
        self.assertEqual([m["error"]["code"] for m in r[:4]], [-32700, -32700, -32600, -32600])
        self.assertTrue(all(m["id"] is None for m in r[:3]))
        self.assertEqual(r[3]["id"], 5)
        self.assertEqual(r[4], {"jsonrpc": "2.0", "id": 6, "result": {}})
        self.assertEqual([m["error"]["code"] for m in r[5:]], [-32600, -32600])
        self.assertEqual(len(r), 7)

    def test_cancelled_call_stops_and_gets_no_response_while_ping_is_answered(self):
        adapter = Sample()
        inbox: queue.Queue = queue.Queue()

        def lines():
            while (item := inbox.get()) is not None:
                yield json.dumps(item)

        out = io.BytesIO()
        server = MCPServer(adapter, output=out)
        t = threading.Thread(target=server.serve, args=(lines(),))
        t.start()
        inbox.put(req(7, "tools/call", {"name": "wait_for_cancel", "arguments": {"seconds": 5}}))
        self.assertTrue(adapter.started.wait(2))
        inbox.put(req(8, "ping"))
        inbox.put({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 7,
                                                                                      "reason": "user"}})
        inbox.put(None)
        t.join(5)
        self.assertFalse(t.is_alive())
        self.assertTrue(adapter.saw_cancel.is_set())
        msgs = [json.loads(x) for x in out.getvalue().decode().splitlines()]
        self.assertEqual(msgs, [{"jsonrpc": "2.0", "id": 8, "result": {}}])

    def test_serve_as_a_subprocess_keeps_stdout_clean_of_prints(self):
        here = os.path.dirname(os.path.abspath(__file__))
        script = textwrap.dedent("""
            import nexus_adapter as na
            @na.register_adapter
            class Noisy(na.BaseAdapter[str]):
                name = "noisy"
                @na.tool
                def shout(self, text: str) -> str:
                    \"\"\"Prints then answers.\"\"\"
                    print("stray print")
                    return text.upper()
            na.serve()
        """)
        msgs = "\n".join(json.dumps(m) for m in [
            req(1, "initialize", {"protocolVersion": "2025-11-25"}),
            {"jsonrpc": "2.0", "method": "notifications/initialized"},
            req(2, "tools/call", {"name": "shout", "arguments": {"text": "hi"}})]) + "\n"
        proc = subprocess.run([sys.executable, "-c", script], input=msgs.encode(), capture_output=True, timeout=20,
                              env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": here})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        out = [json.loads(x) for x in proc.stdout.decode().splitlines()]
        self.assertEqual(out[1]["result"]["content"][0]["text"], "HI")
        self.assertIn(b"stray print", proc.stderr)


    def test_calls_still_running_at_end_of_input_are_answered_before_exit(self):
        here = os.path.dirname(os.path.abspath(__file__))
        script = textwrap.dedent("""
            import time
            import nexus_adapter as na
            class Slow(na.BaseAdapter[str]):
                name = "slow"
                @na.tool
                def nap(self, seconds: float) -> str:
                    \"\"\"Sleeps, then answers.\"\"\"
                    time.sleep(seconds)
                    return f"slept {seconds}"
            na.serve(Slow)
        """)
        calls = "".join(json.dumps(req(i, "tools/call", {"name": "nap", "arguments": {"seconds": 0.05 * i}})) + "\n"
                        for i in range(1, 7))
        for _ in range(3):
            proc = subprocess.run([sys.executable, "-c", script], input=calls.encode(), capture_output=True,
                                  timeout=30, env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": here})
            self.assertEqual(proc.returncode, 0, proc.stderr)
            answers = sorted(json.loads(x)["id"] for x in proc.stdout.decode().splitlines())
            self.assertEqual(answers, [1, 2, 3, 4, 5, 6])


class HTTPTests(unittest.TestCase):
    def client(self, transport, **kw):
        self.slept = []
        return HTTPClient(transport=transport, sleep=self.slept.append, **kw)

    def test_retry_after_is_honoured_then_success(self):
        mock = MockTransport()
        mock.add("GET", "https://api.x/items", responses=[
            {"status": 429, "headers": {"Retry-After": "7"}}, {"status": 503}, {"json": {"ok": True}}])
        http = self.client(mock)
        self.assertEqual(http.get_json("https://api.x/items", params={"q": "a b", "skip": None}), {"ok": True})
        self.assertEqual(self.slept[0], 7.0)
        self.assertEqual(len(self.slept), 2)
        self.assertEqual(mock.requests[0].url, "https://api.x/items?q=a+b")

    def test_retry_after_http_date(self):
        when = time.time() + 30
        import email.utils
        value = email.utils.formatdate(when, usegmt=True)
        self.assertAlmostEqual(na.parse_retry_after(value, now=when - 30), 30, delta=1.5)
        self.assertIsNone(na.parse_retry_after("soon"))

    def test_errors_after_retries_name_status_url_and_message_without_secrets(self):
        mock = MockTransport()
        mock.add("GET", "https://api.x/w", status=401, json={"message": "Invalid API key"})
        mock.add("GET", "https://api.x/busy", status=503, body="down")
        http = self.client(mock, retries=2)
        with self.assertRaises(HTTPError) as cm:
            http.get("https://api.x/w", params={"appid": "SECRET123"})
        self.assertEqual(cm.exception.status, 401)
        self.assertIn("Invalid API key", str(cm.exception))
        self.assertNotIn("SECRET123", str(cm.exception))
        with self.assertRaisesRegex(HTTPError, "HTTP 503: down"):
            http.get("https://api.x/busy")
        self.assertEqual(len(self.slept), 2)

    def test_unrouted_mock_request_fails_loudly(self):
        http = self.client(MockTransport(), retries=0)
        with self.assertRaisesRegex(HTTPError, "no route for GET https://nowhere"):
            http.get("https://nowhere/")

    def test_mock_transport_loads_fixture_file_and_matches_query(self):
        path = os.path.join(self._tmp(), "fx.json")
        with open(path, "w") as fh:
            json.dump({"routes": [{"method": "GET", "url": "https://a/b", "query": {"page": "2"}, "json": [2]},
                                  {"method": "GET", "url": "https://a/b", "json": [1]}]}, fh)
        http = self.client(na.default_transport({"NEXUS_MOCK_HTTP": path}))
        self.assertEqual(http.get_json("https://a/b", params={"page": 2}), [2])
        self.assertEqual(http.get_json("https://a/b"), [1])

    def _tmp(self):
        import tempfile
        d = tempfile.mkdtemp()
        self.addCleanup(lambda: __import__("shutil").rmtree(d, ignore_errors=True))
        return d

    def test_real_http_over_loopback_with_retry(self):
        hits = []

        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                if len(hits) == 1:
                    self.send_response(503)
                    self.send_header("Retry-After", "0")
                    self.end_headers()
                    return
                body = json.dumps({"path": self.path, "ua": self.headers["User-Agent"]}).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        srv = socketserver.TCPServer(("127.0.0.1", 0), H)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        self.addCleanup(srv.server_close)
        self.addCleanup(srv.shutdown)
        http_client = HTTPClient(transport=na.UrllibTransport(env={}), user_agent="ua-test")
        data = http_client.get_json(f"http://127.0.0.1:{srv.server_address[1]}/v1?x=1")
        self.assertEqual(data, {"path": "/v1?x=1", "ua": "ua-test"})
        self.assertEqual(len(hits), 2)

    def _proxy(self, refuse_with=None):
        """A CONNECT proxy on loopback: refuses with (status line, body) or tunnels bytes both ways."""
        seen = []

        class Proxy(socketserver.StreamRequestHandler):
            def handle(self):
                request_line = self.rfile.readline().decode().strip()
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                seen.append(request_line)
                if refuse_with:
                    status, body = refuse_with
                    self.wfile.write(f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\n\r\n{body}".encode())
                    return
                host, port = request_line.split()[1].rsplit(":", 1)
                upstream = socket.create_connection((host, int(port)))
                self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                self.wfile.flush()

                def pump(src, dst):
                    try:
                        while data := src.recv(65536):
                            dst.sendall(data)
                    except OSError:
                        pass
                    finally:
                        for s_ in (src, dst):
                            try:
                                s_.shutdown(socket.SHUT_RDWR)
                            except OSError:
                                pass
                t = threading.Thread(target=pump, args=(upstream, self.connection), daemon=True)
                t.start()
                pump(self.connection, upstream)
                t.join(5)
                upstream.close()

        srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Proxy)
        srv.daemon_threads = True
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        self.addCleanup(srv.server_close)
        self.addCleanup(srv.shutdown)
        return f"http://127.0.0.1:{srv.server_address[1]}", seen

    def test_proxy_refusal_reason_in_status_line_is_surfaced(self):
        proxy, seen = self._proxy(("403 host api.evil.test is not in the module's network allowlist", ""))
        transport = na.UrllibTransport(env={"HTTPS_PROXY": proxy})
        with self.assertRaises(HTTPError) as cm:
            HTTPClient(transport=transport, retries=0).get("https://api.evil.test/data")
        self.assertEqual(cm.exception.status, 403)
        self.assertIn("not in the module's network allowlist", str(cm.exception))
        self.assertEqual(seen, ["CONNECT api.evil.test:443 HTTP/1.1"])

    def test_proxy_refusal_reason_in_body_is_surfaced_and_not_retried(self):
        proxy, seen = self._proxy(("403 Forbidden", "nexus egress: api.evil.test not allowed for module demo"))
        with self.assertRaisesRegex(HTTPError, "403 Forbidden nexus egress: api.evil.test not allowed"):
            HTTPClient(transport=na.UrllibTransport(env={"https_proxy": proxy})).get("https://api.evil.test/x")
        self.assertEqual(len(seen), 1)

    def test_https_goes_through_the_proxy_tunnel_to_a_tls_server(self):
        import shutil
        import ssl
        import tempfile
        if not shutil.which("openssl"):
            self.skipTest("openssl not installed")
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d, True)
        cert, key = os.path.join(d, "c.pem"), os.path.join(d, "k.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
                       check=True, capture_output=True, timeout=60)

        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = json.dumps({"path": self.path, "auth": self.headers.get("Authorization")}).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_ctx.load_cert_chain(cert, key)
        srv.socket = server_ctx.wrap_socket(srv.socket, server_side=True)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        self.addCleanup(srv.server_close)
        self.addCleanup(srv.shutdown)
        proxy, seen = self._proxy()
        client_ctx = ssl.create_default_context(cafile=cert)
        transport = na.UrllibTransport(env={"HTTPS_PROXY": proxy}, ssl_context=client_ctx)
        port = srv.server_address[1]
        data = HTTPClient(transport=transport).get_json(f"https://localhost:{port}/v1/items?page=2",
                                                        headers={"Authorization": "Bearer t"})
        self.assertEqual(data, {"path": "/v1/items?page=2", "auth": "Bearer t"})
        self.assertEqual(seen, [f"CONNECT localhost:{port} HTTP/1.1"])
        with self.assertRaisesRegex(HTTPError, "TLS certificate not trusted"):
            HTTPClient(transport=na.UrllibTransport(env={"HTTPS_PROXY": proxy})).get(f"https://localhost:{port}/")

    def test_rate_limiter_spaces_calls(self):
        now = [0.0]
        waits = []

        def sleep(s):
            waits.append(s)
            now[0] += s

        rl = RateLimiter(60, burst=2, clock=lambda: now[0], sleep=sleep)
        for _ in range(4):
            rl.acquire()
        self.assertEqual(len(waits), 2)
        self.assertAlmostEqual(sum(waits), 2.0, places=5)


class OAuthTests(unittest.TestCase):
    def test_client_credentials_token_is_cached_and_expired_token_is_refreshed_once(self):
        mock = MockTransport()
        mock.add("POST", "https://auth.x/token", responses=[{"json": {"access_token": "t1", "expires_in": 3600}},
                                                            {"json": {"access_token": "t2", "expires_in": 3600}}])
        mock.add("GET", "https://api.x/me", responses=[{"json": {"n": 1}}, {"json": {"n": 2}}, {"status": 401},
                                                       {"json": {"n": 3}}])
        env = {"CID": "id", "CSECRET": "sec"}
        token_http = HTTPClient(transport=mock, sleep=lambda s: None)
        auth = OAuth2ClientCredentials("https://auth.x/token", "CID", "CSECRET", scope="read", http=token_http, env=env)
        api = HTTPClient(transport=mock, auth=auth, sleep=lambda s: None)
        self.assertEqual(api.get_json("https://api.x/me"), {"n": 1})
        self.assertEqual(api.get_json("https://api.x/me"), {"n": 2})
        self.assertEqual(api.get_json("https://api.x/me"), {"n": 3})
        posts = [r for r in mock.requests if r.method == "POST"]
        self.assertEqual(len(posts), 2)
        self.assertIn(b"grant_type=client_credentials", posts[0].body)
        self.assertIn(b"scope=read", posts[0].body)
        gets = [r.headers["Authorization"] for r in mock.requests if r.method == "GET"]
        self.assertEqual(gets, ["Bearer t1", "Bearer t1", "Bearer t1", "Bearer t2"])

    def test_persistent_401_is_not_retried_forever(self):
        mock = MockTransport()
        mock.add("POST", "https://auth.x/token", json={"access_token": "t", "expires_in": 60})
        mock.add("GET", "https://api.x/me", status=401, json={"message": "revoked"})
        env = {"CID": "id", "CSECRET": "sec", "RT": "r0"}
        auth = OAuth2RefreshToken("https://auth.x/token", "CID", "CSECRET", "RT", http=HTTPClient(transport=mock),
                                  env=env)
        with self.assertRaisesRegex(HTTPError, "HTTP 401: revoked"):
            HTTPClient(transport=mock, auth=auth).get("https://api.x/me")
        self.assertEqual(len([r for r in mock.requests if r.method == "POST"]), 2)
        self.assertIn(b"refresh_token=r0", mock.requests[0].body)

    def test_refresh_token_rotation_and_missing_env(self):
        mock = MockTransport()
        mock.add("POST", "https://auth.x/token", json={"access_token": "a", "refresh_token": "r1", "expires_in": 1})
        clock = [0.0]
        auth = OAuth2RefreshToken("https://auth.x/token", "CID", "CSECRET", "RT", http=HTTPClient(transport=mock),
                                  env={"CID": "i", "CSECRET": "s", "RT": "r0"}, clock=lambda: clock[0])
        auth.token()
        self.assertEqual(auth.refresh_token, "r1")
        clock[0] = 100
        auth.token()
        self.assertIn(b"refresh_token=r1", mock.requests[1].body)
        with self.assertRaisesRegex(ToolError, "RT is not set"):
            OAuth2RefreshToken("https://auth.x/token", "CID", "CSECRET", "RT", env={"CID": "i", "CSECRET": "s"})


class PaginationTests(unittest.TestCase):
    def test_link_header_parsing(self):
        links = parse_link_header('<https://a/x?page=2>; rel="next", <https://a/x?page=5>; rel="last"')
        self.assertEqual(links, {"next": "https://a/x?page=2", "last": "https://a/x?page=5"})
        self.assertEqual(parse_link_header(""), {})

    def test_follows_link_headers_across_pages(self):
        mock = MockTransport()
        mock.add("GET", "https://a/x", query={"page": "2"}, json=[3, 4],
                 headers={"Link": '<https://a/x?page=3>; rel="next"'})
        mock.add("GET", "https://a/x", query={"page": "3"}, json=[5])
        mock.add("GET", "https://a/x", json=[1, 2], headers={"Link": '<https://a/x?page=2>; rel="next"'})
        http = HTTPClient(transport=mock)
        self.assertEqual(list(paginate_link(http, "https://a/x", params={"per_page": 2})), [1, 2, 3, 4, 5])
        self.assertEqual(list(paginate_link(http, "https://a/x", max_items=3)), [1, 2, 3])

    def test_page_offset_and_cursor_helpers(self):
        data = list(range(7))
        self.assertEqual(list(paginate_pages(lambda p: data[(p - 1) * 3:p * 3])), data)
        self.assertEqual(list(paginate_offset(lambda o, n: data[o:o + n], limit=3)), data)
        self.assertEqual(list(paginate_offset(lambda o, n: data[o:o + n], limit=3, max_items=4)), data[:4])

        def fetch(cursor):
            i = int(cursor or 0)
            return data[i:i + 2], (str(i + 2) if i + 2 < len(data) else None)
        self.assertEqual(list(paginate_cursor(fetch)), data)
        self.assertEqual(list(paginate_cursor(lambda c: ([1], "same"))), [1, 1])


if __name__ == "__main__":
    unittest.main()
