"""The challenge farm's shared server: a deterministic HTTP API on 127.0.0.1 that logs each request as a JSON line.

Each scenario's server.py declares its routes and calls ``run(routes)``. Standard library only (http.server),
the same language as the modules it tests, so a scenario is a few dozen lines and runs anywhere nexus does.
Usage: python3 server.py [--port N] [--seed N] [--log FILE]   (the request log goes to stdout by default)
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Request:
    def __init__(self, handler, method, state, rng):
        self.method, self.state, self.rng = method, state, rng
        split = urllib.parse.urlsplit(handler.path)
        self.raw_path = split.path
        self.path = urllib.parse.unquote(split.path)
        self.query = {k: v[-1] for k, v in urllib.parse.parse_qs(split.query, keep_blank_values=True).items()}
        self.headers = handler.headers
        length = int(handler.headers.get("Content-Length") or 0)
        self.body = handler.rfile.read(length) if length else b""
        self.params: dict = {}
        self.base = f"http://{handler.server.server_address[0]}:{handler.server.server_address[1]}"

    def json(self):
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None


def reply(status=200, body=None, headers=None):
    return status, body, headers or {}


def error(status, message, headers=None):
    return status, {"message": message}, headers or {}


class Farm:
    def __init__(self, routes, seed):
        self.routes = [(m, re.compile("^" + p + "$"), f) for m, p, f in routes]
        self.state: dict = {}
        self.lock = threading.Lock()
        self.rng = random.Random(seed)
        self.log_lock = threading.Lock()
        self.log = sys.stdout
        self.folder = os.path.dirname(os.path.abspath(sys.argv[0]))

    def handle(self, handler, method):
        started = time.monotonic()
        req = Request(handler, method, self.state, self.rng)
        status, body, headers = 404, {"message": f"no route for {method} {req.raw_path}"}, {}
        if method == "GET" and req.raw_path == "/openapi.yaml":  # every scenario serves its own spec
            with open(os.path.join(self.folder, "openapi.yaml"), "rb") as fh:
                status, body, headers = 200, fh.read(), {}
        for m, pattern, func in self.routes:
            match = pattern.match(req.raw_path)
            if m == method and match:
                req.params = {k: urllib.parse.unquote(v) for k, v in match.groupdict().items()}
                with self.lock:
                    status, body, headers = func(req)
                break
        delay = headers.pop("X-Farm-Delay", None)
        if delay:
            time.sleep(float(delay))
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        for k, v in headers.items():
            handler.send_header(k, str(v))
        handler.end_headers()
        handler.wfile.write(data)
        line = {"ts": round(time.time(), 3), "method": method, "path": req.raw_path, "query": req.query,
                "status": status, "bytes": len(data), "ms": round((time.monotonic() - started) * 1000, 1)}
        with self.log_lock:
            self.log.write(json.dumps(line, ensure_ascii=False) + "\n")
            self.log.flush()


def run(routes, default_port, setup=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=default_port)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--log", default="")
    args = ap.parse_args()
    farm = Farm(routes, args.seed)
    if args.log:
        farm.log = open(args.log, "a", encoding="utf-8")
    if setup:
        setup(farm.state, args)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def do_GET(self):
            farm.handle(self, "GET")

        def do_POST(self):
            farm.handle(self, "POST")

        def do_PUT(self):
            farm.handle(self, "PUT")

        def do_PATCH(self):
            farm.handle(self, "PATCH")

        def do_DELETE(self):
            farm.handle(self, "DELETE")

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"farm: listening on http://127.0.0.1:{server.server_address[1]} (seed {args.seed})", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
