#!/usr/bin/env python3
"""A small OTLP/HTTP receiver for tests: accepts POST /v1/traces with the JSON encoding, checks every
field against OTLP's ExportTraceServiceRequest, and appends what it decoded to a JSON Lines file.

    otlp_receiver.py OUT.jsonl [--status N] [--delay SECONDS] [--port-file FILE]

Prints its port on the first line of stdout (or writes it to FILE, atomically), then serves on 127.0.0.1
until killed. Each request becomes
one line in OUT: {"ok": true, "validator": ..., "resource": {...}, "spans": [...]} with attributes decoded
to plain values, or {"ok": false, "error": "..."} (answered 400). With opentelemetry-proto installed the
body is also parsed by protobuf's json_format into the real message type (ids turned from OTLP/JSON's hex
into proto3 JSON's base64 first), so an unknown or misspelt field fails there too.
"""
import base64
import http.server
import json
import re
import sys
import threading
import time

HEX32 = re.compile(r"^[0-9a-f]{32}$")
HEX16 = re.compile(r"^[0-9a-f]{16}$")
DIGITS = re.compile(r"^[0-9]+$")
INTSTR = re.compile(r"^-?[0-9]+$")

try:
    from google.protobuf import json_format
    from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

    HAVE_PROTO = True
except ImportError:  # the schema check below still runs
    HAVE_PROTO = False


class Invalid(Exception):
    pass


def need(cond, what):
    if not cond:
        raise Invalid(what)


def only(obj, allowed, where):
    need(isinstance(obj, dict), f"{where}: expected an object")
    extra = set(obj) - set(allowed)
    need(not extra, f"{where}: unknown field(s) {sorted(extra)}")


def value(v, where):
    only(v, ["stringValue", "intValue", "doubleValue", "boolValue", "arrayValue", "kvlistValue", "bytesValue"], where)
    need(len(v) == 1, f"{where}: exactly one value field")
    (k, x), = v.items()
    if k == "stringValue":
        need(isinstance(x, str), f"{where}: stringValue must be a string")
        return x
    if k == "intValue":
        need(isinstance(x, str) and INTSTR.match(x), f"{where}: intValue must be a decimal string")
        return int(x)
    if k == "doubleValue":
        need(isinstance(x, (int, float)) or x in ("NaN", "Infinity", "-Infinity"), f"{where}: doubleValue")
        return float(x)
    if k == "boolValue":
        need(isinstance(x, bool), f"{where}: boolValue must be true or false")
        return x
    raise Invalid(f"{where}: {k} is not used by nexus")


def attributes(items, where):
    need(isinstance(items, list), f"{where}: attributes must be a list")
    out = {}
    for i, kv in enumerate(items):
        only(kv, ["key", "value"], f"{where}[{i}]")
        need(isinstance(kv.get("key"), str) and kv["key"], f"{where}[{i}]: key")
        out[kv["key"]] = value(kv.get("value"), f"{where}[{i}].value")
    return out


def time_ns(x, where):
    need(isinstance(x, str) and DIGITS.match(x), f"{where}: must be a decimal string of nanoseconds")
    return int(x)


def span(s, where):
    only(s, ["traceId", "spanId", "parentSpanId", "name", "kind", "startTimeUnixNano", "endTimeUnixNano",
             "attributes", "events", "status", "traceState", "flags", "links", "droppedAttributesCount",
             "droppedEventsCount", "droppedLinksCount"], where)
    need(HEX32.match(s.get("traceId", "")) and s["traceId"] != "0" * 32, f"{where}: traceId must be 32 hex digits")
    need(HEX16.match(s.get("spanId", "")) and s["spanId"] != "0" * 16, f"{where}: spanId must be 16 hex digits")
    if "parentSpanId" in s:
        need(HEX16.match(s["parentSpanId"]), f"{where}: parentSpanId must be 16 hex digits")
    need(isinstance(s.get("name"), str) and s["name"], f"{where}: name")
    need(s.get("kind") in (0, 1, 2, 3, 4, 5), f"{where}: kind must be a SpanKind number")
    start = time_ns(s.get("startTimeUnixNano"), f"{where}.startTimeUnixNano")
    end = time_ns(s.get("endTimeUnixNano"), f"{where}.endTimeUnixNano")
    need(end >= start, f"{where}: ends before it starts")
    events = []
    for i, e in enumerate(s.get("events", [])):
        only(e, ["timeUnixNano", "name", "attributes", "droppedAttributesCount"], f"{where}.events[{i}]")
        events.append({"time": time_ns(e.get("timeUnixNano"), f"{where}.events[{i}]"), "name": e.get("name"),
                       "attributes": attributes(e.get("attributes", []), f"{where}.events[{i}].attributes")})
    status = s.get("status", {})
    only(status, ["code", "message"], f"{where}.status")
    need(status.get("code", 0) in (0, 1, 2), f"{where}.status.code")
    return {"traceId": s["traceId"], "spanId": s["spanId"], "parentSpanId": s.get("parentSpanId", ""),
            "name": s["name"], "kind": s["kind"], "start": start, "end": end,
            "attributes": attributes(s.get("attributes", []), f"{where}.attributes"), "events": events,
            "status": {"code": status.get("code", 0), "message": status.get("message", "")}}


def decode(body):
    doc = json.loads(body)
    only(doc, ["resourceSpans"], "request")
    resource, spans = {}, []
    for r, rs in enumerate(doc["resourceSpans"]):
        only(rs, ["resource", "scopeSpans", "schemaUrl"], f"resourceSpans[{r}]")
        only(rs.get("resource", {}), ["attributes", "droppedAttributesCount"], f"resourceSpans[{r}].resource")
        resource = attributes(rs.get("resource", {}).get("attributes", []), f"resourceSpans[{r}].resource")
        for c, ss in enumerate(rs.get("scopeSpans", [])):
            only(ss, ["scope", "spans", "schemaUrl"], f"scopeSpans[{c}]")
            only(ss.get("scope", {}), ["name", "version", "attributes"], f"scopeSpans[{c}].scope")
            for i, s in enumerate(ss.get("spans", [])):
                spans.append(span(s, f"spans[{i}]"))
    if HAVE_PROTO:
        # proto3 JSON writes bytes as base64; OTLP/JSON writes ids as hex. Convert, then parse strictly.
        for rs in doc["resourceSpans"]:
            for ss in rs.get("scopeSpans", []):
                for s in ss.get("spans", []):
                    for k in ("traceId", "spanId", "parentSpanId"):
                        if k in s:
                            s[k] = base64.b64encode(bytes.fromhex(s[k])).decode()
        try:
            json_format.ParseDict(doc, trace_service_pb2.ExportTraceServiceRequest())
        except json_format.ParseError as e:
            raise Invalid(f"opentelemetry-proto: {e}")
    return resource, spans


class Handler(http.server.BaseHTTPRequestHandler):
    out = None
    status = 200
    delay = 0.0
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.delay:
            time.sleep(self.delay)
        try:
            need(self.path == "/v1/traces", f"path {self.path} is not /v1/traces")
            need(self.headers.get("Content-Type", "").startswith("application/json"), "Content-Type")
            resource, spans = decode(body)
            line = {"ok": True, "validator": "opentelemetry-proto" if HAVE_PROTO else "schema",
                    "resource": resource, "spans": spans}
            code = self.status
        except (Invalid, ValueError, KeyError, TypeError) as e:
            line, code = {"ok": False, "error": str(e)}, 400
        with self.lock, open(self.out, "a") as f:
            f.write(json.dumps(line) + "\n")
        reply = b"{}"
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)


def main():
    args = sys.argv[1:]
    Handler.out = args[0]
    if "--status" in args:
        Handler.status = int(args[args.index("--status") + 1])
    if "--delay" in args:
        Handler.delay = float(args[args.index("--delay") + 1])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    if "--port-file" in args:
        path = args[args.index("--port-file") + 1]
        with open(path + ".tmp", "w") as f:
            f.write(f"{port}\n")
        import os
        os.rename(path + ".tmp", path)
    else:
        print(port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
