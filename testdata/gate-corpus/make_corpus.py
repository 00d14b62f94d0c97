"""Writes the gate corpus: good/ (15 modules the gate must accept), broken/ (subtly wrong: must be rejected)
and malicious/ (attacks: must be rejected with the category in expected.json).

The good modules share one shape (templates/python/module_template's) with different APIs, auth styles
(bearer, header key, token, query key, none) and pagination (pages, offset, cursor). broken/ and
malicious/ start from a good module and change one thing each. Rerun after changing the template:
    python3 testdata/gate-corpus/make_corpus.py
"""
from __future__ import annotations

import json
import os
import shutil

ROOT = os.path.dirname(os.path.abspath(__file__))

HEADER = '''"""{display}: {summary}"""
from __future__ import annotations

import sys
from pathlib import Path

try:
    import nexus_adapter  # noqa: F401  (installed modules carry a copy beside adapter.py)
except ImportError:  # running from the repository: the runtime lives in templates/python
    for parent in Path(__file__).resolve().parents:
        if (parent / "nexus_adapter.py").exists():
            sys.path.insert(0, str(parent))
            break
        if (parent / "templates" / "python" / "nexus_adapter.py").exists():
            sys.path.insert(0, str(parent / "templates" / "python"))
            break
from nexus_adapter import BaseAdapter, HTTPError, ToolError, {paginator}, register_adapter, serve, tool  # noqa: E402

API = "https://{host}{base}"
'''

AUTH_CODE = {
    "bearer": '        headers = {{"Authorization": f"Bearer {{self.credential(\'api_key\')}}"}}\n',
    "header": '        headers = {{"X-Api-Key": self.credential("api_key")}}\n',
    "token": '        headers = {{"Authorization": "token " + self.credential("api_key")}}\n',
    "query": '        headers = {{}}\n        params = dict(params or {{}}, api_key=self.credential("api_key"))\n',
    "none": '        headers = {{"Accept": "application/json"}}\n',
}

FETCH = {
    "paginate_pages": ('        fetch = lambda page: self._get("/{things}", {{"q": query or None, "page": page}})["items"]'
                       '  # noqa: E731\n'
                       '        rows = paginate_pages(fetch, max_items=max_items)\n'),
    "paginate_offset": ('        fetch = lambda offset, limit: self._get("/{things}", {{"q": query or None, "offset": offset,'
                        ' "limit": limit}})["items"]  # noqa: E731\n'
                        '        rows = paginate_offset(fetch, limit=2, max_items=max_items)\n'),
    "paginate_cursor": ('        def fetch(cursor):\n'
                        '            data = self._get("/{things}", {{"q": query or None, "cursor": cursor}})\n'
                        '            return data["items"], data.get("next")\n'
                        '        rows = paginate_cursor(fetch, max_items=max_items)\n'),
}

BODY = '''

@register_adapter
class {cls}(BaseAdapter[dict]):
    """{summary}"""

    name = "{name}"

    def _get(self, path: str, params: dict | None = None):
{auth}        try:
            return self.http.get_json(API + path, params=params, headers=headers)
        except HTTPError as exc:
            if exc.status == 401:
                raise ToolError("{display} rejected the credentials (401): set them with "
                                "`nexus creds set {name} api_key`.")
            if exc.status == 404:
                raise ToolError(f"not found: {{path}}")
            raise

    @tool
    def list_{things}(self, query: str = "", max_items: int = 50) -> list:
        """List {things}, optionally filtered by a text, across every page.

        Args:
            query: Only {things} whose {label} contains this text.
            max_items: Stop after this many {things} (1-500).
        """
        if not 1 <= max_items <= 500:
            raise ToolError(f"max_items must be between 1 and 500, got {{max_items}}")
{fetch}        return [{{"id": row["id"], "{label}": row["{label}"]}} for row in rows]

    @tool
    def get_{thing}(self, {thing}_id: str) -> dict:
        """Read one {thing} with its details.

        Args:
            {thing}_id: The {thing}'s id, as list_{things} returns it.
        """
        if not {thing}_id.strip():
            raise ToolError("{thing}_id is empty: pass an id from list_{things}")
        data = self._get(f"/{things}/{{{thing}_id}}")
        return {{"id": data["id"], "{label}": data["{label}"], "{extra}": data.get("{extra}")}}

    @tool
    def search_{things}(self, text: str, limit: int = 10) -> list:
        """Search {things} by free text and return the matching ids, best first.

        Args:
            text: What to look for (at least 2 characters).
            limit: How many ids to return (1-50).
        """
        if len(text.strip()) < 2:
            raise ToolError("text must have at least 2 characters")
        if limit > 50:
            raise ToolError(f"limit must be at most 50, got {{limit}}")
        data = self._get("/search", {{"text": text, "limit": limit}})
        return [hit["id"] for hit in data["results"]][:limit]


if __name__ == "__main__":
    serve({cls})
'''

TESTS = '''"""Offline tests for {name}: recorded responses served by MockTransport (no network)."""
from __future__ import annotations

import os
import sys
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from adapter import API, {cls}  # noqa: E402
from nexus_adapter import MockTransport, ToolError  # noqa: E402

ROWS = [{{"id": "a1", "{label}": "alpha", "{extra}": "x"}}, {{"id": "b2", "{label}": "beta", "{extra}": "y"}},
        {{"id": "c3", "{label}": "gamma", "{extra}": "z"}}]


def routes():
    out = {pages}
    out.append({{"method": "GET", "url": API + "/{things}/a1", "json": ROWS[0]}})
    out.append({{"method": "GET", "url": API + "/{things}/zz", "status": 404, "json": {{"error": "no such {thing}"}}}})
    out.append({{"method": "GET", "url": API + "/{things}/locked", "status": 401, "json": {{"error": "bad key"}}}})
    out.append({{"method": "GET", "url": API + "/search", "query": {{"text": "al"}},
                "json": {{"results": [{{"id": "a1"}}, {{"id": "c3"}}, {{"id": "b2"}}]}}}})
    return out


def adapter(mock=None, key="k-123"):
    return {cls}(transport=mock or MockTransport(routes()), env={{"{env}": key}} if {needs_key} else {{}})


def query_of(request):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(request.url).query))


class ToolTests(unittest.TestCase):
    def test_list_reads_every_page(self):
        mock = MockTransport(routes())
        rows = adapter(mock).call_tool("list_{things}", {{}})
        self.assertEqual(rows, [{{"id": r["id"], "{label}": r["{label}"]}} for r in ROWS])
        self.assertGreaterEqual(len(mock.requests), 2)

    def test_list_stops_at_max_items(self):
        self.assertEqual([r["id"] for r in adapter().call_tool("list_{things}", {{"max_items": 2}})], ["a1", "b2"])

    def test_list_refuses_bad_bounds(self):
        for bad in (0, 501):
            with self.assertRaisesRegex(ToolError, "max_items"):
                adapter().call_tool("list_{things}", {{"max_items": bad}})
        self.assertEqual(len(adapter().call_tool("list_{things}", {{"max_items": 500}})), 3)

    def test_get_maps_fields(self):
        self.assertEqual(adapter().call_tool("get_{thing}", {{"{thing}_id": "a1"}}),
                         {{"id": "a1", "{label}": "alpha", "{extra}": "x"}})

    def test_missing_{thing}_is_actionable(self):
        with self.assertRaisesRegex(ToolError, "not found"):
            adapter().call_tool("get_{thing}", {{"{thing}_id": "zz"}})
        with self.assertRaisesRegex(ToolError, "empty"):
            adapter().call_tool("get_{thing}", {{"{thing}_id": " "}})

    def test_rejected_credentials_say_what_to_do(self):
        with self.assertRaisesRegex(ToolError, "rejected"):
            adapter().call_tool("get_{thing}", {{"{thing}_id": "locked"}})

    def test_search_sends_text_and_limit(self):
        mock = MockTransport(routes())
        self.assertEqual(adapter(mock).call_tool("search_{things}", {{"text": "al", "limit": 2}}), ["a1", "c3"])
        self.assertEqual(query_of(mock.requests[-1])["limit"], "2")
        with self.assertRaisesRegex(ToolError, "2 characters"):
            adapter().call_tool("search_{things}", {{"text": "a"}})
        with self.assertRaisesRegex(ToolError, "at most 50"):
            adapter().call_tool("search_{things}", {{"text": "al", "limit": 51}})
        self.assertEqual(len(adapter().call_tool("search_{things}", {{"text": "al", "limit": 50}})), 3)
{auth_test}

if __name__ == "__main__":
    unittest.main()
'''

AUTH_TESTS = {
    "bearer": ('        self.assertEqual(mock.requests[0].headers.get("Authorization"), "Bearer k-123")\n'),
    "header": ('        self.assertEqual(mock.requests[0].headers.get("X-Api-Key"), "k-123")\n'),
    "token": ('        self.assertEqual(mock.requests[0].headers.get("Authorization"), "token k-123")\n'),
    "query": ('        self.assertEqual(query_of(mock.requests[0]).get("api_key"), "k-123")\n'),
}

PAGES = {
    "paginate_pages": ('[{"method": "GET", "url": API + "/THINGS", "query": {"page": str(n)}, "json": {"items": body}}\n'
                       '           for n, body in enumerate([ROWS[:2], ROWS[2:], []], start=1)]'),
    "paginate_offset": ('[{"method": "GET", "url": API + "/THINGS", "query": {"offset": str(o)}, "json": {"items": body}}\n'
                        '           for o, body in ((0, ROWS[:2]), (2, ROWS[2:]))]'),
    "paginate_cursor": ('[{"method": "GET", "url": API + "/THINGS", "query": {"cursor": "p2"},\n'
                        '            "json": {"items": ROWS[2:], "next": None}},\n'
                        '           {"method": "GET", "url": API + "/THINGS", "json": {"items": ROWS[:2], "next": "p2"}}]'),
}

# name, display, host, base, things, thing, label, extra, auth, paginator
GOOD = [
    ("bookshelf", "Bookshelf", "api.bookshelf.example", "/v1", "books", "book", "title", "author", "bearer",
     "paginate_pages"),
    ("weatherdesk", "Weather Desk", "api.weatherdesk.example", "/v2", "stations", "station", "city", "elevation",
     "header", "paginate_offset"),
    ("repohub", "RepoHub", "api.repohub.example", "", "repos", "repo", "full_name", "stars", "token",
     "paginate_cursor"),
    ("cinemadb", "CinemaDB", "api.cinemadb.example", "/3", "movies", "movie", "title", "year", "query",
     "paginate_pages"),
    ("openlibrary_lite", "Open Library Lite", "openlibrary.example.org", "/api", "works", "work", "title",
     "first_year", "none", "paginate_offset"),
    ("cryptoticker", "Crypto Ticker", "api.cryptoticker.example", "/v1", "coins", "coin", "symbol", "price",
     "header", "paginate_cursor"),
    ("tasklane", "TaskLane", "api.tasklane.example", "/v1", "tasks", "task", "summary", "due", "bearer",
     "paginate_offset"),
    ("recipebox", "RecipeBox", "api.recipebox.example", "/v1", "recipes", "recipe", "name", "minutes", "query",
     "paginate_cursor"),
    ("spacelaunch", "Space Launch", "ll.spacelaunch.example", "/2.2", "launches", "launch", "mission", "pad",
     "none", "paginate_pages"),
    ("podcastly", "Podcastly", "api.podcastly.example", "/v1", "shows", "show", "title", "publisher", "token",
     "paginate_pages"),
    ("jobboard", "JobBoard", "api.jobboard.example", "/v3", "jobs", "job", "role", "company", "bearer",
     "paginate_cursor"),
    ("museumcat", "Museum Catalogue", "collections.museum.example", "/public", "objects", "object", "label",
     "period", "none", "paginate_offset"),
    ("transitfeed", "Transit Feed", "api.transitfeed.example", "/v1", "routes", "route", "short_name",
     "operator", "header", "paginate_pages"),
    ("bugtracker", "Bug Tracker", "bugs.tracker.example", "/rest", "issues", "issue", "subject", "severity",
     "token", "paginate_offset"),
    ("petclinic", "Pet Clinic", "api.petclinic.example", "/v1", "pets", "pet", "nickname", "species", "query",
     "paginate_cursor"),
]


def good_files(spec) -> dict[str, str]:
    name, display, host, base, things, thing, label, extra, auth, paginator = spec
    cls = "".join(p.capitalize() for p in name.split("_")) + "Adapter"
    env = name.upper() + "_API_KEY"
    summary = f"reads {things} from the {display} API"
    fmt = dict(display=display, summary=summary, host=host, base=base, things=things, thing=thing, label=label,
               extra=extra, name=name, cls=cls, paginator=paginator, env=env)
    adapter = HEADER.format(**fmt) + BODY.format(auth=AUTH_CODE[auth].format(), fetch=FETCH[paginator].format(**fmt),
                                                 **fmt)
    auth_test = ""
    if auth != "none":
        auth_test = ("\n    def test_credential_is_sent(self):\n        mock = MockTransport(routes())\n"
                     f"        adapter(mock).call_tool(\"get_{thing}\", {{\"{thing}_id\": \"a1\"}})\n" + AUTH_TESTS[auth])
    tests = TESTS.format(pages=PAGES[paginator].replace("THINGS", things), auth_test=auth_test,
                         needs_key=auth != "none", **fmt)
    manifest = {
        "name": name, "version": "1.0.0", "category": "corpus", "platform": name, "display_name": display,
        "description": f"{display}: {summary} (list, read one, search).", "entry_point": "adapter.py",
        "class_name": cls, "requires_api_key": auth != "none", "python_dependencies": [],
        "test_file": "test_adapter.py", "created_by": "gate-corpus",
        "runtime": {"protocol": "mcp-stdio", "command": ["python3", "adapter.py"]},
        "credentials": [{"name": "api_key", "env": env, "instructions": f"{display} account page"}]
        if auth != "none" else [],
        "network": {"allow": [host]}, "rate_limit_per_minute": 60, "sensitive_tools": [], "sha256": "",
    }
    return {"manifest.json": json.dumps(manifest, indent=2) + "\n", "adapter.py": adapter, "test_adapter.py": tests}


def write(kind: str, name: str, files: dict[str, str]) -> None:
    folder = os.path.join(ROOT, kind, name)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    for rel, text in files.items():
        path = os.path.join(folder, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)


def edit(files: dict[str, str], path: str, old: str, new: str, count: int = 1) -> dict[str, str]:
    out = dict(files)
    assert old in out[path], f"{path}: {old!r} not found"
    out[path] = out[path].replace(old, new, count)
    return out


def manifest_edit(files: dict[str, str], change) -> dict[str, str]:
    out = dict(files)
    m = json.loads(out["manifest.json"])
    change(m)
    out["manifest.json"] = json.dumps(m, indent=2) + "\n"
    return out


def main() -> None:
    import corpus_broken
    import corpus_malicious

    goods = {spec[0]: good_files(spec) for spec in GOOD}
    for name, files in goods.items():
        write("good", name, files)
    expected = {"good": {n: None for n in goods}, "broken": {}, "malicious": {}}
    for name, (files, category) in corpus_broken.make(goods, edit, manifest_edit).items():
        write("broken", name, files)
        expected["broken"][name] = category
    for name, (files, category) in corpus_malicious.make(goods, edit, manifest_edit).items():
        write("malicious", name, files)
        expected["malicious"][name] = category
    with open(os.path.join(ROOT, "expected.json"), "w", encoding="utf-8") as fh:
        json.dump(expected, fh, indent=2, sort_keys=True)
        fh.write("\n")


if __name__ == "__main__":
    import sys
    sys.path.insert(0, ROOT)
    main()
