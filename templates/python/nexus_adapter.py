"""NEXUS module runtime: write a class, decorate its methods with @tool, and it is an MCP server over stdio.

Standard library only, so a generated module needs nothing installed. One file on purpose: the executor agent
reads it as context when it writes a module. What it gives an adapter:

- ``BaseAdapter[T]``, ``@register_adapter`` and ``@tool``: the seed's names; tools are plain methods whose
  signature, annotations and docstring become the MCP ``inputSchema`` and description.
- ``serve()``: the MCP stdio loop (JSON-RPC 2.0, one message per line). Tool calls run on worker threads so
  ``ping`` and ``notifications/cancelled`` are answered while a call runs. stdout carries only protocol frames;
  logs and stray prints go to stderr.
- ``HTTPClient``: retries honouring Retry-After, the sandbox's HTTPS_PROXY/HTTP_PROXY, a rate limiter, OAuth2.
- Pagination helpers (page number, offset, cursor, Link header) and ``MockTransport`` for offline tests. Setting
  ``NEXUS_MOCK_HTTP=fixtures.json`` makes a module's process answer HTTP from that file (sandbox validation).
"""
from __future__ import annotations

import base64
import contextvars
import json
import os
import re
import sys
import threading
import time
import urllib.parse

# Start-up time is a module's cold start (every tools/list of a stopped module pays it): `typing`, `inspect` and
# `dataclasses` are imported only where a hand-written tool's signature is read, never by a generated module.
# Annotations are strings (the __future__ import above), so these names are for readers and type checkers.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable, Iterator

__all__ = [
    "BaseAdapter", "register_adapter", "tool", "serve", "ToolError", "HTTPError", "Cancelled", "HTTPClient",
    "Response", "MockTransport", "UrllibTransport", "RateLimiter", "OAuth2ClientCredentials", "OAuth2RefreshToken",
    "paginate_pages", "paginate_offset", "paginate_cursor", "paginate_link", "parse_link_header", "MCPServer",
    "AdapterConfig", "ADAPTER_REGISTRY", "log", "check_cancelled", "StdioClient", "ToolSpec",
]

SUPPORTED_PROTOCOL_VERSIONS = ("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05")


def log(*parts: Any) -> None:
    """Diagnostics go to stderr: stdout belongs to the protocol."""
    print("[nexus-module]", *parts, file=sys.__stderr__, flush=True)


class ToolError(Exception):
    """A failure the model should read: becomes an ``isError`` tool result with this message."""


class HTTPError(ToolError):
    def __init__(self, message: str, status: int = 0, url: str = "", body: str = "", headers: dict | None = None):
        super().__init__(message)
        self.status, self.url, self.body, self.headers = status, url, body, headers or {}


class Cancelled(Exception):
    """Raised inside a tool when the client cancelled its call (notifications/cancelled)."""


_cancel_event: contextvars.ContextVar[threading.Event | None] = contextvars.ContextVar("nexus_cancel", default=None)


def check_cancelled() -> None:
    """Long-running tools call this between steps; HTTPClient calls it before each attempt and while waiting."""
    ev = _cancel_event.get()
    if ev is not None and ev.is_set():
        raise Cancelled("the client cancelled this call")


def _wait(seconds: float) -> None:
    """Sleeps, waking early (and raising Cancelled) if the current call is cancelled."""
    ev = _cancel_event.get()
    if ev is None:
        time.sleep(max(0.0, seconds))
    elif ev.wait(max(0.0, seconds)):
        raise Cancelled("the client cancelled this call")


# ----------------------------------------------------------------------------------------------- tools and schema
class ToolSpec:
    """One tool: its MCP name, description and input schema, the bound method, and whether it takes **kwargs."""

    __slots__ = ("name", "description", "input_schema", "func", "sensitive", "extra_arguments")

    def __init__(self, name: str, description: str, input_schema: dict, func: Callable[..., Any],
                 sensitive: bool = False, extra_arguments: bool = False):
        self.name, self.description, self.input_schema, self.func = name, description, input_schema, func
        self.sensitive, self.extra_arguments = sensitive, extra_arguments

    def __repr__(self) -> str:
        return f"ToolSpec(name={self.name!r}, sensitive={self.sensitive!r})"

    def as_mcp(self) -> dict:
        return {"name": self.name, "description": self.description, "inputSchema": self.input_schema}


def tool(func: Callable | None = None, *, name: str | None = None, description: str | None = None,
         sensitive: bool = False):
    """Marks a method as an MCP tool. ``@tool`` or ``@tool(name="...", sensitive=True)``."""
    def mark(f: Callable) -> Callable:
        f.__nexus_tool__ = {"name": name or f.__name__, "description": description, "sensitive": sensitive}
        return f
    return mark(func) if func is not None else mark


_SECTION = re.compile(r"^\s*(Args|Arguments|Parameters|Params|Returns|Return|Raises|Yields|Examples?|Notes?):\s*$")
_ARG_LINE = re.compile(r"^\s*\*{0,2}(\w+)\s*(?:\([^)]*\))?\s*:\s*(.*)$")


def parse_docstring(doc: str | None) -> tuple[str, dict[str, str]]:
    """Google-style docstring → (description, {param: description})."""
    if not doc:
        return "", {}
    import inspect
    lines = inspect.cleandoc(doc).splitlines()
    summary: list[str] = []
    params: dict[str, str] = {}
    section, current = None, None
    for line in lines:
        m = _SECTION.match(line)
        if m:
            section, current = m.group(1).lower(), None
            continue
        if section is None:
            summary.append(line.strip())
        elif section in ("args", "arguments", "parameters", "params"):
            am = _ARG_LINE.match(line)
            if am and (len(line) - len(line.lstrip())) <= 4:
                current = am.group(1)
                params[current] = am.group(2).strip()
            elif current and line.strip():
                params[current] = (params[current] + " " + line.strip()).strip()
    text = " ".join(" ".join(summary).split())
    return text, params


def schema_for_type(tp: Any) -> tuple[dict, bool]:
    """Python annotation → (JSON Schema, optional?)."""
    import inspect
    import types
    import typing
    if tp is inspect.Parameter.empty or tp is typing.Any:
        return {}, False
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.Union or (hasattr(types, "UnionType") and isinstance(tp, types.UnionType)):
        rest = [a for a in args if a is not type(None)]
        optional = len(rest) < len(args)
        if len(rest) == 1:
            return schema_for_type(rest[0])[0], optional
        return {"anyOf": [schema_for_type(a)[0] for a in rest]}, optional
    if origin is typing.Literal:
        vals = list(args)
        kinds = {type(v) for v in vals}
        schema: dict = {"enum": vals}
        if len(kinds) == 1:
            schema.update(schema_for_type(kinds.pop())[0])
        return schema, False
    if tp is str:
        return {"type": "string"}, False
    if tp is bool:
        return {"type": "boolean"}, False
    if tp is int:
        return {"type": "integer"}, False
    if tp is float:
        return {"type": "number"}, False
    if tp in (list, tuple, set) or origin in (list, tuple, set, typing.List, typing.Sequence):
        s: dict = {"type": "array"}
        if args:
            s["items"] = schema_for_type(args[0])[0]
        return s, False
    if tp is dict or origin is dict:
        return {"type": "object"}, False
    return {}, False


def build_tool_spec(func: Callable, meta: dict) -> ToolSpec:
    import inspect
    import typing
    sig = inspect.signature(func)
    try:
        hints = typing.get_type_hints(func)
    except Exception:
        hints = {}
    summary, docs = parse_docstring(func.__doc__)
    props: dict[str, dict] = {}
    required: list[str] = []
    for pname, p in sig.parameters.items():
        if pname in ("self", "cls") or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        schema, optional = schema_for_type(hints.get(pname, p.annotation))
        schema = dict(schema)
        if pname in docs:
            schema["description"] = docs[pname]
        if p.default is not inspect.Parameter.empty:
            if p.default is not None and isinstance(p.default, (str, int, float, bool, list, dict)):
                schema["default"] = p.default
        elif not optional:
            required.append(pname)
        props[pname] = schema
    input_schema: dict = {"type": "object", "properties": props}
    if required:
        input_schema["required"] = required
    # Unknown arguments are refused by validate_arguments, not with "additionalProperties": some model APIs
    # (Gemini's function declarations) reject that keyword.
    extra = any(p.kind == p.VAR_KEYWORD for p in sig.parameters.values())
    return ToolSpec(meta["name"], meta.get("description") or summary or meta["name"], input_schema, func,
                    meta.get("sensitive", False), extra)


def validate_arguments(spec: ToolSpec, args: dict) -> dict:
    """Checks arguments against the generated schema; raises ToolError naming the argument."""
    props, schema = spec.input_schema["properties"], spec.input_schema
    for key in args:
        if key not in props and not spec.extra_arguments:
            raise ToolError(f"{spec.name}: unknown argument '{key}' (expected one of: {', '.join(props)})")
    for req in schema.get("required", []):
        if req not in args:
            raise ToolError(f"{spec.name}: missing required argument '{req}'")
    out = {}
    for key, value in args.items():
        if key not in props:
            out[key] = value
            continue
        kind = props[key].get("type")
        ok = {
            "string": lambda v: isinstance(v, str),
            "boolean": lambda v: isinstance(v, bool),
            "integer": lambda v: isinstance(v, int) and not isinstance(v, bool)
            or isinstance(v, float) and v.is_integer(),
            "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
            "array": lambda v: isinstance(v, list),
            "object": lambda v: isinstance(v, dict),
        }.get(kind, lambda v: True)
        if value is not None and not ok(value):
            raise ToolError(f"{spec.name}: argument '{key}' must be {kind}, got {type(value).__name__} {value!r:.60}")
        if kind == "integer" and isinstance(value, float):
            value = int(value)
        if "enum" in props[key] and value not in props[key]["enum"]:
            raise ToolError(f"{spec.name}: argument '{key}' must be one of {props[key]['enum']}, got {value!r}")
        out[key] = value
    return out


# ------------------------------------------------------------------------------------------------ adapter base
ADAPTER_REGISTRY: dict[str, type] = {}


def register_adapter(cls: type) -> type:
    """Class decorator (seed-compatible): registers the adapter so ``serve()`` finds it without arguments."""
    ADAPTER_REGISTRY[getattr(cls, "name", "") or cls.__name__] = cls
    return cls


class AdapterConfig:
    """What an adapter is configured with: credentials by name, free settings, and its manifest."""

    def __init__(self, credentials: dict[str, str | None] | None = None, settings: dict[str, Any] | None = None,
                 manifest: dict[str, Any] | None = None):
        self.credentials = {} if credentials is None else credentials
        self.settings = {} if settings is None else settings
        self.manifest = {} if manifest is None else manifest

    def __repr__(self) -> str:
        return f"AdapterConfig(credentials={sorted(self.credentials)!r}, settings={self.settings!r})"


def load_manifest(near: str) -> dict:
    path = os.path.join(os.path.dirname(os.path.abspath(near)), "manifest.json")
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log(f"manifest.json at {path} unreadable: {exc}")
        return {}


class BaseAdapter:
    """Base of every module. ``BaseAdapter[T]`` names the record type its tools return (the seed's spelling).

    Subclasses set ``name``/``version`` (or rely on manifest.json beside them) and define ``@tool`` methods.
    Credentials come from the environment variables the manifest's ``credentials`` list names.
    """
    name: str = ""
    version: str = "0.1.0"

    def __class_getitem__(cls, item: Any) -> type:
        return cls  # BaseAdapter[dict]: the record type is documentation (no typing.Generic to import)

    def __init__(self, config: AdapterConfig | None = None, transport: Any = None, env: dict | None = None):
        manifest = {}
        if config is None or not config.manifest:
            try:
                manifest = load_manifest(sys.modules[type(self).__module__].__file__)
            except (AttributeError, KeyError, TypeError):  # defined in a REPL or `python -c`: no file, no manifest
                pass
        self.config = config or AdapterConfig()
        if manifest:
            self.config.manifest = manifest
        self.env = os.environ if env is None else env
        m = self.config.manifest
        self.name = self.name or m.get("name") or type(self).__name__
        self.version = m.get("version", self.version)
        for cred in m.get("credentials") or []:
            if isinstance(cred, dict) and isinstance(cred.get("name"), str):
                self.config.credentials.setdefault(cred["name"], self.env.get(str(cred.get("env", ""))) or None)
            else:
                log(f"manifest.json: ignoring malformed credentials entry {cred!r:.80}")
        rpm = m.get("rate_limit_per_minute")
        limiter = RateLimiter(rpm) if isinstance(rpm, (int, float)) and not isinstance(rpm, bool) and rpm > 0 else None
        self.http = HTTPClient(transport=transport or default_transport(self.env), rate_limiter=limiter,
                               user_agent=f"nexus-module/{self.name}/{self.version}")
        self._tools = self._collect_tools()

    def _collect_tools(self) -> dict[str, ToolSpec]:
        found: dict[str, ToolSpec] = {}
        for attr in dir(type(self)):
            fn = getattr(type(self), attr, None)
            meta = getattr(fn, "__nexus_tool__", None)
            if meta:
                spec = build_tool_spec(fn, meta)
                spec.func = getattr(self, attr)
                found[spec.name] = spec
        return dict(sorted(found.items()))

    def credential(self, name: str) -> str:
        """The named credential, or a ToolError that tells the user how to set it."""
        value = self.config.credentials.get(name)
        if value:
            return value
        cred = next((c for c in self.config.manifest.get("credentials", []) if c.get("name") == name), {})
        where = cred.get("env", name)
        hint = cred.get("instructions") or self.config.manifest.get("api_key_instructions", "")
        raise ToolError(f"{self.name}: credential '{name}' is not set ({where} is empty). "
                        f"Set it with `nexus creds set {self.name} {name}`. {hint}".strip())

    def list_tools(self) -> list[ToolSpec]:
        return list(self._tools.values())

    def get_tool(self, name: str) -> ToolSpec | None:
        return self._tools.get(name)

    def call_tool(self, name: str, arguments: dict | None = None) -> Any:
        """Validates and runs one tool in-process (tests use this directly)."""
        spec = self._tools.get(name)
        if spec is None:
            raise ToolError(f"unknown tool '{name}'")
        return resolve(spec.func(**validate_arguments(spec, arguments or {})))

    def health_check(self) -> dict:
        return {"status": "healthy", "tools": len(self._tools)}


# ------------------------------------------------------------------------------------------------------- HTTP
class Response:
    def __init__(self, status: int, body: bytes = b"", headers: dict | None = None, url: str = ""):
        self.status, self.body, self.url = status, body, url
        self.headers = {k.lower(): v for k, v in (headers or {}).items()}

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError as exc:
            raise HTTPError(f"{self.url}: response is not JSON ({exc}): {self.text[:200]}", self.status, self.url)

    @property
    def links(self) -> dict[str, str]:
        return parse_link_header(self.headers.get("link", ""))

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class Request:
    """One HTTP request as a transport sends it (MockTransport records these)."""

    __slots__ = ("method", "url", "headers", "body", "timeout")

    def __init__(self, method: str, url: str, headers: dict[str, str], body: bytes | None = None,
                 timeout: float = 30.0):
        self.method, self.url, self.headers, self.body, self.timeout = method, url, headers, body, timeout

    def __repr__(self) -> str:
        return f"Request({self.method!r}, {self.url!r})"


class UrllibTransport:
    """Real HTTP: urllib, routed through HTTPS_PROXY/HTTP_PROXY when the sandbox sets them.

    HTTPS through a proxy opens the CONNECT tunnel itself (instead of letting http.client do it) so that when the
    egress proxy refuses a host, its reason (status line and body) reaches the tool error.
    """

    def __init__(self, env: dict | None = None, ssl_context: Any = None):
        env = os.environ if env is None else env
        proxies = {}
        for scheme in ("http", "https"):
            value = env.get(f"{scheme.upper()}_PROXY") or env.get(f"{scheme}_proxy")
            if value:
                proxies[scheme] = value
        self.proxies = proxies
        self.ssl_context = ssl_context
        self._opener: Any = None

    @property
    def opener(self) -> Any:
        """urllib's opener, built on first use: modules that never touch HTTP skip importing urllib.request."""
        if self._opener is None:
            import urllib.request
            handlers: list = [urllib.request.ProxyHandler({k: v for k, v in self.proxies.items() if k == "http"})]
            if self.ssl_context is not None:
                handlers.append(urllib.request.HTTPSHandler(context=self.ssl_context))
            self._opener = urllib.request.build_opener(*handlers)
        return self._opener

    def send(self, req: Request) -> Response:
        if req.url.lower().startswith("https://") and "https" in self.proxies:
            return self._send_tunnelled(req, self.proxies["https"])
        import urllib.error
        import urllib.request
        r = urllib.request.Request(req.url, data=req.body, headers=req.headers, method=req.method)
        try:
            with self.opener.open(r, timeout=req.timeout) as resp:
                return Response(resp.status, resp.read(), dict(resp.headers.items()), req.url)
        except urllib.error.HTTPError as exc:
            return Response(exc.code, exc.read() or b"", dict(exc.headers.items()) if exc.headers else {}, req.url)
        except urllib.error.URLError as exc:
            raise ConnectionError(f"{_redact(req.url)}: {exc.reason}") from exc
        except OSError as exc:
            raise ConnectionError(f"{_redact(req.url)}: {exc}") from exc

    def _send_tunnelled(self, req: Request, proxy: str) -> Response:
        import http.client
        import socket
        import ssl
        target = urllib.parse.urlsplit(req.url)
        host, port = target.hostname or "", target.port or 443
        p = urllib.parse.urlsplit(proxy if "://" in proxy else "http://" + proxy)
        lines = [f"CONNECT {host}:{port} HTTP/1.1", f"Host: {host}:{port}"]
        if p.username:
            token = base64.b64encode(f"{urllib.parse.unquote(p.username)}:"
                                     f"{urllib.parse.unquote(p.password or '')}".encode()).decode()
            lines.append(f"Proxy-Authorization: Basic {token}")
        try:
            sock = socket.create_connection((p.hostname, p.port or 80), timeout=req.timeout)
        except OSError as exc:
            raise ConnectionError(f"{_redact(req.url)}: proxy {p.hostname}:{p.port} unreachable: {exc}") from exc
        try:
            sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
            answer = http.client.HTTPResponse(sock, method="CONNECT")
            answer.begin()
            if answer.status != 200:
                body = answer.read(2000).decode("utf-8", errors="replace") if answer.length else ""
                reason = " ".join(f"{answer.status} {answer.reason} {body}".split())
                raise HTTPError(f"{_redact(req.url)}: blocked by the sandbox egress proxy: {reason}",
                                answer.status, req.url, body)
            context = self.ssl_context or ssl.create_default_context()
            conn = http.client.HTTPSConnection(host, port, timeout=req.timeout, context=context)
            conn.sock = context.wrap_socket(sock, server_hostname=host)
            path = target.path or "/"
            conn.request(req.method, path + (f"?{target.query}" if target.query else ""), body=req.body,
                         headers=req.headers)
            resp = conn.getresponse()
            data = resp.read()
            conn.close()
            return Response(resp.status, data, dict(resp.getheaders()), req.url)
        except HTTPError:
            sock.close()
            raise
        except ssl.SSLCertVerificationError as exc:  # retrying will not help
            sock.close()
            raise HTTPError(f"{_redact(req.url)}: TLS certificate not trusted: {exc.verify_message}", 0, req.url)
        except (OSError, http.client.HTTPException) as exc:
            sock.close()
            raise ConnectionError(f"{_redact(req.url)} via proxy: {exc}") from exc


class MockTransport:
    """Offline HTTP for tests: routes (method, URL without query) to queued or fixed responses; records requests.

    ``add("GET", "https://api.x/v1/items", json={...}, status=200, headers={...}, query={"page": "2"})``.
    A route given several responses (``responses=[...]``) answers them in order, repeating the last.
    """

    def __init__(self, routes: Iterable[dict] = ()):
        self.routes: list[dict] = []
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        for route in routes:
            self.add(**route)

    @classmethod
    def from_file(cls, path: str) -> "MockTransport":
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        return cls(data["routes"] if isinstance(data, dict) else data)

    def add(self, method: str, url: str, *, status: int = 200, json: Any = None, body: str | None = None,
            headers: dict | None = None, query: dict | None = None, responses: list[dict] | None = None) -> None:
        one = {"status": status, "json": json, "body": body, "headers": headers or {}}
        self.routes.append({"method": method.upper(), "url": url, "query": query,
                            "responses": list(responses or [one]), "served": 0})

    def send(self, req: Request) -> Response:
        parts = urllib.parse.urlsplit(req.url)
        base = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        query = dict(urllib.parse.parse_qsl(parts.query))
        with self._lock:
            self.requests.append(req)
            for route in self.routes:
                if route["method"] != req.method.upper() or route["url"] != base:
                    continue
                if route["query"] and any(query.get(k) != str(v) for k, v in route["query"].items()):
                    continue
                spec = route["responses"][min(route["served"], len(route["responses"]) - 1)]
                route["served"] += 1
                body = spec.get("body")
                payload = (body.encode() if isinstance(body, str) else
                           json.dumps(spec.get("json")).encode() if spec.get("json") is not None else b"")
                return Response(spec.get("status", 200), payload, spec.get("headers") or {}, req.url)
        raise ConnectionError(f"MockTransport: no route for {req.method} {req.url}")


def default_transport(env: dict | None = None) -> Any:
    env = os.environ if env is None else env
    path = env.get("NEXUS_MOCK_HTTP")
    return MockTransport.from_file(path) if path else UrllibTransport(env)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        import email.utils
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


class RateLimiter:
    """Token bucket: at most ``per_minute`` acquisitions a minute, with bursts up to ``burst``. Thread-safe."""

    def __init__(self, per_minute: float, burst: int | None = None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = _wait):
        self.rate = per_minute / 60.0
        self.capacity = float(burst if burst is not None else max(1, int(per_minute // 6) or 1))
        self.tokens, self.clock, self.sleep = self.capacity, clock, sleep
        self.updated = clock()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Takes one token, sleeping until one is free. Returns the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self.clock()
                self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
                self.updated = now
                if self.tokens >= 1.0:
                    self.tokens -= 1.0
                    return waited
                delay = (1.0 - self.tokens) / self.rate
            self.sleep(delay)
            waited += delay


class HTTPClient:
    """JSON-friendly HTTP with retries (429/5xx/connection errors, honouring Retry-After), auth and rate limit."""
    RETRY_STATUSES = (429, 500, 502, 503, 504)

    def __init__(self, transport: Any = None, rate_limiter: RateLimiter | None = None, auth: Any = None,
                 retries: int = 3, backoff: float = 0.5, max_wait: float = 60.0, user_agent: str = "nexus-module",
                 sleep: Callable[[float], None] = _wait):
        self.transport = transport or UrllibTransport()
        self.rate_limiter, self.auth, self.retries = rate_limiter, auth, retries
        self.backoff, self.max_wait, self.user_agent, self.sleep = backoff, max_wait, user_agent, sleep

    def request(self, method: str, url: str, *, params: dict | None = None, json_body: Any = None,
                data: dict | bytes | None = None, headers: dict | None = None, timeout: float = 30.0,
                auth: Any = "default") -> Response:
        if params:
            clean = {k: v for k, v in params.items() if v is not None}
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(clean, doseq=True)
        hdrs = {"User-Agent": self.user_agent, "Accept": "application/json"}
        body = None
        if json_body is not None:
            body, hdrs["Content-Type"] = json.dumps(json_body).encode(), "application/json"
        elif isinstance(data, dict):
            body, hdrs["Content-Type"] = urllib.parse.urlencode(data).encode(), "application/x-www-form-urlencoded"
        elif data is not None:
            body = data
        hdrs.update(headers or {})
        auth = self.auth if auth == "default" else auth
        refreshed = False
        attempt = 0
        while True:
            check_cancelled()
            if self.rate_limiter:
                self.rate_limiter.acquire()
            if auth is not None:
                hdrs.update(auth.headers())
            try:
                resp = self.transport.send(Request(method.upper(), url, dict(hdrs), body, timeout))
            except ConnectionError as exc:
                if attempt >= self.retries:
                    raise HTTPError(f"{method.upper()} {_redact(url)} failed after {attempt + 1} attempts: {exc}",
                                    0, url) from exc
                self.sleep(min(self.max_wait, self.backoff * (2 ** attempt) * _jitter()))
                attempt += 1
                continue
            if resp.status == 401 and auth is not None and not refreshed and hasattr(auth, "invalidate"):
                auth.invalidate()  # an expired token is refreshed once, then the 401 stands
                refreshed = True
                continue
            if resp.status in self.RETRY_STATUSES and attempt < self.retries:
                wait = parse_retry_after(resp.headers.get("retry-after"))
                if wait is None:
                    wait = self.backoff * (2 ** attempt) * _jitter()
                if wait > self.max_wait:
                    raise HTTPError(f"{method.upper()} {_redact(url)}: {resp.status}, server asks to retry after "
                                    f"{wait:.0f}s (more than {self.max_wait:.0f}s)", resp.status, url, resp.text)
                self.sleep(wait)
                attempt += 1
                continue
            if not resp.ok:
                raise HTTPError(f"{method.upper()} {_redact(url)}: HTTP {resp.status}: {_excerpt(resp)}",
                                resp.status, url, resp.text, resp.headers)
            return resp

    def get(self, url: str, **kw: Any) -> Response:
        return self.request("GET", url, **kw)

    def get_json(self, url: str, **kw: Any) -> Any:
        return self.request("GET", url, **kw).json()

    def post_json(self, url: str, body: Any, **kw: Any) -> Any:
        return self.request("POST", url, json_body=body, **kw).json()


def _jitter() -> float:
    """1.0-1.25, so clients that failed together do not retry together."""
    return 1.0 + (time.perf_counter_ns() % 1000) / 4000


_SECRET_PARAMS = re.compile(r"((?:api_?key|appid|token|access_token|key|secret|client_secret)=)[^&]+", re.I)


def _redact(url: str) -> str:
    return _SECRET_PARAMS.sub(r"\1***", url)


def _excerpt(resp: Response) -> str:
    try:
        data = json.loads(resp.body)
        if isinstance(data, dict):
            msg = data.get("message") or data.get("error_description") or data.get("error") or data
            return str(msg)[:300]
    except ValueError:
        pass
    return " ".join(resp.text.split())[:300] or "(empty body)"


# ------------------------------------------------------------------------------------------------------ OAuth2
class _OAuth2Base:
    def __init__(self, token_url: str, client_id_env: str, client_secret_env: str, *, scope: str | None = None,
                 http: HTTPClient | None = None, env: dict | None = None, clock: Callable[[], float] = time.time):
        self.token_url, self.scope, self.clock = token_url, scope, clock
        self.env = os.environ if env is None else env
        self.client_id, self.client_secret = self._env(client_id_env), self._env(client_secret_env)
        self.http = http or HTTPClient()
        self._token: str | None = None
        self._expires = 0.0
        self._lock = threading.Lock()

    def _env(self, name: str) -> str:
        value = self.env.get(name)
        if not value:
            raise ToolError(f"OAuth2: {name} is not set; store it with `nexus creds set`")
        return value

    def _fetch(self, form: dict) -> dict:
        form = {**form, "client_id": self.client_id, "client_secret": self.client_secret}
        if self.scope:
            form["scope"] = self.scope
        data = self.http.request("POST", self.token_url, data=form, auth=None).json()
        if not isinstance(data, dict) or "access_token" not in data:
            raise ToolError(f"OAuth2: token endpoint {self.token_url} returned no access_token")
        return data

    def token(self) -> str:
        with self._lock:
            if self._token is None or self.clock() >= self._expires - 30:
                data = self._fetch(self._grant())
                self._token = data["access_token"]
                self._expires = self.clock() + float(data.get("expires_in", 3600))
                self._on_token(data)
            return self._token

    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token()}"}

    def invalidate(self) -> None:
        with self._lock:
            self._token = None

    def _grant(self) -> dict:
        raise NotImplementedError

    def _on_token(self, data: dict) -> None:
        pass


class OAuth2ClientCredentials(_OAuth2Base):
    """client_credentials grant; the token is cached until 30 s before it expires."""

    def _grant(self) -> dict:
        return {"grant_type": "client_credentials"}


class OAuth2RefreshToken(_OAuth2Base):
    """refresh_token grant; a rotated refresh token from the server replaces the old one (in memory)."""

    def __init__(self, token_url: str, client_id_env: str, client_secret_env: str, refresh_token_env: str,
                 **kw: Any):
        super().__init__(token_url, client_id_env, client_secret_env, **kw)
        self.refresh_token = self._env(refresh_token_env)

    def _grant(self) -> dict:
        return {"grant_type": "refresh_token", "refresh_token": self.refresh_token}

    def _on_token(self, data: dict) -> None:
        self.refresh_token = data.get("refresh_token") or self.refresh_token


# -------------------------------------------------------------------------------------------------- pagination
def parse_link_header(value: str) -> dict[str, str]:
    """RFC 8288 Link header → {rel: url}."""
    links = {}
    for part in re.finditer(r'<([^>]*)>\s*((?:;\s*[^;,]+)*)', value or ""):
        for rel in re.findall(r';\s*rel\s*=\s*"?([^";,]+)"?', part.group(2)):
            for r in rel.split():
                links[r.lower()] = part.group(1)
    return links


def paginate_pages(fetch: Callable[[int], list], start: int = 1, max_pages: int = 100,
                   max_items: int | None = None) -> Iterator[Any]:
    """Page-number pagination: ``fetch(page)`` returns a list; stops at an empty page."""
    count = 0
    for page in range(start, start + max_pages):
        check_cancelled()
        items = fetch(page)
        if not items:
            return
        for item in items:
            yield item
            count += 1
            if max_items is not None and count >= max_items:
                return


def paginate_offset(fetch: Callable[[int, int], list], limit: int = 100, max_items: int | None = None,
                    max_pages: int = 100) -> Iterator[Any]:
    """Offset/limit pagination: ``fetch(offset, limit)``; stops at a short page."""
    count, offset = 0, 0
    for _ in range(max_pages):
        check_cancelled()
        items = fetch(offset, limit)
        for item in items:
            yield item
            count += 1
            if max_items is not None and count >= max_items:
                return
        if len(items) < limit:
            return
        offset += len(items)


def paginate_cursor(fetch: Callable[[str | None], tuple[list, str | None]], max_pages: int = 100,
                    max_items: int | None = None) -> Iterator[Any]:
    """Cursor pagination: ``fetch(cursor)`` returns (items, next_cursor or None)."""
    cursor, count, seen = None, 0, set()
    for _ in range(max_pages):
        check_cancelled()
        items, cursor = fetch(cursor)
        for item in items:
            yield item
            count += 1
            if max_items is not None and count >= max_items:
                return
        if not cursor or cursor in seen:
            return
        seen.add(cursor)


def paginate_link(http: HTTPClient, url: str, *, params: dict | None = None, headers: dict | None = None,
                  items_key: str | None = None, max_pages: int = 100, max_items: int | None = None) -> Iterator[Any]:
    """Follows ``Link: <...>; rel="next"`` headers (GitHub style)."""
    count, seen = 0, set()
    for _ in range(max_pages):
        resp = http.get(url, params=params, headers=headers)
        data = resp.json()
        items = data.get(items_key, []) if items_key and isinstance(data, dict) else data
        for item in items or []:
            yield item
            count += 1
            if max_items is not None and count >= max_items:
                return
        seen.add(url)
        url, params = resp.links.get("next"), None  # the next link already carries the query
        if not url or url in seen:
            return


# ------------------------------------------------------------------------------------------------ MCP server
PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS, INTERNAL_ERROR = -32700, -32600, -32601, -32602, -32603


class MCPServer:
    """The MCP stdio loop for one adapter: reads JSON-RPC lines, writes one JSON line per response."""

    def __init__(self, adapter: BaseAdapter, output: Any = None, page_size: int = 100, max_workers: int = 4):
        self.adapter, self.page_size = adapter, page_size
        self.output = output if output is not None else sys.stdout.buffer
        self._write_lock = threading.Lock()
        self._inflight: dict[Any, threading.Event] = {}
        self._inflight_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max_workers)
        self._threads: set[threading.Thread] = set()
        self.protocol_version = SUPPORTED_PROTOCOL_VERSIONS[0]

    def send(self, message: dict) -> None:
        line = json.dumps(message, ensure_ascii=False, separators=(",", ":")) + "\n"
        with self._write_lock:
            data = line.encode("utf-8")
            self.output.write(data if not hasattr(self.output, "encoding") else line)
            self.output.flush()

    def _error(self, msg_id: Any, code: int, message: str) -> None:
        self.send({"jsonrpc": "2.0", "id": msg_id, "error": {"code": code, "message": message}})

    def _result(self, msg_id: Any, result: dict) -> None:
        self.send({"jsonrpc": "2.0", "id": msg_id, "result": result})

    def serve(self, lines: Iterable[bytes | str]) -> None:
        """Handles lines until input ends, then waits for running calls to finish."""
        try:
            for raw in lines:
                self.handle_line(raw)
        finally:
            for t in list(self._threads):
                t.join()

    def handle_line(self, raw: bytes | str) -> None:
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                return self._error(None, PARSE_ERROR, f"Parse error: input line is not UTF-8 ({exc.reason})")
        if not raw.strip():
            return
        try:
            msg = json.loads(raw)
        except ValueError as exc:
            return self._error(None, PARSE_ERROR, f"Parse error: {exc}")
        if not isinstance(msg, dict):
            return self._error(None, INVALID_REQUEST, "Invalid Request: expected one JSON object per line")
        msg_id, method = msg.get("id"), msg.get("method")
        if msg.get("jsonrpc") != "2.0" or (method is None and "id" not in msg):
            return self._error(msg_id, INVALID_REQUEST, "Invalid Request: 'jsonrpc' must be \"2.0\" with a method")
        if "id" in msg and (isinstance(msg_id, bool) or not isinstance(msg_id, (str, int))):
            return self._error(None, INVALID_REQUEST, "Invalid Request: id must be a string or an integer")
        if method is None:
            return  # a response to a request we never send; ignore
        params = msg.get("params") or {}
        if not isinstance(method, str) or not isinstance(params, dict):
            return self._error(msg_id, INVALID_REQUEST, "Invalid Request: method must be a string, params an object")
        is_notification = "id" not in msg
        try:
            self.dispatch(msg_id, method, params, is_notification)
        except Exception as exc:  # never let one message end the loop
            log(f"internal error handling {method}: {exc!r}")
            if not is_notification:
                self._error(msg_id, INTERNAL_ERROR, f"Internal error: {exc}")

    def dispatch(self, msg_id: Any, method: str, params: dict, is_notification: bool) -> None:
        if is_notification:
            if method == "notifications/cancelled":
                with self._inflight_lock:
                    ev = self._inflight.get(params.get("requestId"))
                if ev is not None:
                    ev.set()
                    log(f"call {params.get('requestId')!r} cancelled: {params.get('reason', 'no reason given')}")
            return  # notifications/initialized and unknown notifications need no answer
        if method == "initialize":
            wanted = params.get("protocolVersion")
            self.protocol_version = wanted if wanted in SUPPORTED_PROTOCOL_VERSIONS else SUPPORTED_PROTOCOL_VERSIONS[0]
            return self._result(msg_id, {
                "protocolVersion": self.protocol_version,
                "capabilities": {"tools": {"listChanged": False}},
                "serverInfo": {"name": self.adapter.name, "version": str(self.adapter.version)},
            })
        if method == "ping":
            return self._result(msg_id, {})
        if method == "tools/list":
            return self._tools_list(msg_id, params)
        if method == "tools/call":
            return self._tools_call(msg_id, params)
        self._error(msg_id, METHOD_NOT_FOUND, f"Method not found: {method}")

    def _tools_list(self, msg_id: Any, params: dict) -> None:
        tools = self.adapter.list_tools()
        start = 0
        cursor = params.get("cursor")
        if cursor is not None:
            try:
                start = int(base64.urlsafe_b64decode(str(cursor).encode()).decode())
                if not 0 <= start <= len(tools):
                    raise ValueError(start)
            except (ValueError, UnicodeDecodeError):
                return self._error(msg_id, INVALID_PARAMS, f"Invalid params: unknown cursor {cursor!r}")
        page = tools[start:start + self.page_size]
        result: dict = {"tools": [t.as_mcp() for t in page]}
        if start + self.page_size < len(tools):
            result["nextCursor"] = base64.urlsafe_b64encode(str(start + self.page_size).encode()).decode()
        self._result(msg_id, result)

    def _tools_call(self, msg_id: Any, params: dict) -> None:
        name, args = params.get("name"), params.get("arguments") or {}
        spec = self.adapter.get_tool(name) if isinstance(name, str) else None
        if spec is None:
            return self._error(msg_id, INVALID_PARAMS, f"Invalid params: unknown tool {name!r}")
        if not isinstance(args, dict):
            return self._error(msg_id, INVALID_PARAMS, "Invalid params: 'arguments' must be an object")
        ev = threading.Event()
        with self._inflight_lock:
            self._inflight[msg_id] = ev
        ctx = contextvars.copy_context()
        ctx.run(_cancel_event.set, ev)
        worker = threading.Thread(target=ctx.run, args=(self._run_tool, msg_id, spec, args, ev),
                                  name=f"tool-{spec.name}")
        with self._inflight_lock:
            self._threads.add(worker)
        worker.start()

    def _run_tool(self, msg_id: Any, spec: ToolSpec, args: dict, ev: threading.Event) -> None:
        try:
            result = self._call(spec, args)
            with self._inflight_lock:
                self._inflight.pop(msg_id, None)
            if result is not None and not ev.is_set():  # a cancelled call gets no answer (spec)
                self._result(msg_id, result)
        except OSError as exc:  # stdout closed under us: the host is gone
            log(f"could not answer call {msg_id!r}: {exc}")
        finally:
            with self._inflight_lock:
                self._threads.discard(threading.current_thread())

    def _call(self, spec: ToolSpec, args: dict) -> dict | None:
        try:
            with self._slots:  # at most max_workers tools run at once
                check_cancelled()
                value = resolve(spec.func(**validate_arguments(spec, args)))
            return tool_result(value, self.protocol_version)
        except Cancelled:
            return None
        except ToolError as exc:
            return {"content": [{"type": "text", "text": str(exc)}], "isError": True}
        except Exception as exc:
            log(f"tool {spec.name} raised {exc!r}")
            return {"content": [{"type": "text", "text": f"{spec.name} failed: {type(exc).__name__}: {exc}"}],
                    "isError": True}


def _jsonable(obj: Any) -> Any:
    """json.dumps fallback: dataclasses as objects, sets/tuples as arrays, dates as ISO text, the rest as str()."""
    import dataclasses
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    return str(obj)


def resolve(value: Any) -> Any:
    """Async tools are run to completion and generators drained, so tools may be written either way."""
    if value is None or isinstance(value, (str, int, float, dict, list)):
        return value  # what nearly every tool returns: no inspect to import on a module's first call
    import inspect
    if inspect.isawaitable(value):
        import asyncio
        value = asyncio.run(value) if inspect.iscoroutine(value) else asyncio.run(_await(value))
    if inspect.isgenerator(value):
        value = list(value)
    return value


async def _await(awaitable: Any) -> Any:
    return await awaitable


def tool_result(value: Any, protocol_version: str = SUPPORTED_PROTOCOL_VERSIONS[0]) -> dict:
    """A tool's return value → CallToolResult. Strings pass through; anything else becomes JSON text."""
    if isinstance(value, str):
        return {"content": [{"type": "text", "text": value}], "isError": False}
    text = json.dumps(value, ensure_ascii=False, default=_jsonable)
    result: dict = {"content": [{"type": "text", "text": text}], "isError": False}
    structured = json.loads(text)
    if isinstance(structured, dict) and protocol_version >= "2025-06-18":
        result["structuredContent"] = structured
    return result


def serve(adapter: BaseAdapter | type | None = None) -> None:
    """Entry point for ``python3 adapter.py``: serve the given (or last registered) adapter on stdio."""
    if adapter is None:
        if not ADAPTER_REGISTRY:
            log("no adapter registered: decorate your class with @register_adapter")
            sys.exit(2)
        adapter = list(ADAPTER_REGISTRY.values())[-1]
    if isinstance(adapter, type):
        adapter = adapter()
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print() in a tool must not corrupt the protocol stream
    server = MCPServer(adapter, output=out)
    log(f"{adapter.name} {adapter.version} serving {len(adapter.list_tools())} tools on stdio")
    try:
        server.serve(iter(sys.stdin.buffer.readline, b""))
    except (KeyboardInterrupt, BrokenPipeError):  # the host went away: nothing left to answer
        pass


class StdioClient:
    """A minimal MCP client over a subprocess's stdio, for modules' end-to-end tests (real process, real pipes).

    ``with StdioClient(["python3", "adapter.py"], cwd=here, env={...}) as c: c.initialize(); c.call("now", {})``
    """

    def __init__(self, command: list[str], cwd: str | None = None, env: dict | None = None, timeout: float = 20.0):
        import subprocess
        self.timeout, self._next = timeout, 0
        self.proc = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self._lines: "queue.Queue[bytes]" = __import__("queue").Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in iter(self.proc.stdout.readline, b""):
            self._lines.put(line)
        self._lines.put(b"")

    def send(self, message: dict) -> None:
        self.proc.stdin.write((json.dumps(message) + "\n").encode())
        self.proc.stdin.flush()

    def read(self) -> dict:
        line = self._lines.get(timeout=self.timeout)
        if not line:
            raise ConnectionError(f"module exited: {self.proc.stderr.read().decode(errors='replace')[-2000:]}")
        return json.loads(line)

    def request(self, method: str, params: dict | None = None) -> dict:
        """Sends a request and returns the whole response message (result or error)."""
        self._next += 1
        self.send({"jsonrpc": "2.0", "id": self._next, "method": method, "params": params or {}})
        while True:
            msg = self.read()
            if msg.get("id") == self._next:
                return msg

    def initialize(self, version: str = SUPPORTED_PROTOCOL_VERSIONS[0]) -> dict:
        res = self.request("initialize", {"protocolVersion": version, "capabilities": {},
                                          "clientInfo": {"name": "nexus-test", "version": "0"}})
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        return res["result"]

    def list_tools(self) -> list[dict]:
        tools, cursor = [], None
        while True:
            res = self.request("tools/list", {"cursor": cursor} if cursor else {})["result"]
            tools += res["tools"]
            cursor = res.get("nextCursor")
            if not cursor:
                return tools

    def call(self, name: str, arguments: dict | None = None) -> dict:
        return self.request("tools/call", {"name": name, "arguments": arguments or {}})["result"]

    def close(self) -> int:
        if self.proc.stdin and not self.proc.stdin.closed:
            self.proc.stdin.close()
        try:
            return self.proc.wait(self.timeout)
        finally:
            for stream in (self.proc.stdout, self.proc.stderr):
                if stream:
                    stream.close()

    def __enter__(self) -> "StdioClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.proc.poll() is None:
            self.close()
