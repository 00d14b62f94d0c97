"""GitHub Issues module tests, offline: three recorded pages joined by Link headers (tests/fixtures), served
through MockTransport, then the real module process over MCP stdio reading the same recordings."""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "tests", "fixtures")
sys.path.insert(0, HERE)
from adapter import GitHubIssuesAdapter  # noqa: E402
from nexus_adapter import MockTransport, StdioClient, ToolError  # noqa: E402

REPO_URL = "https://api.github.com/repos/octo-org/hello-world/issues"
NEXT_URL = "https://api.github.com/repositories/1296269/issues"


def fixture(name):
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as fh:
        return json.load(fh)


def routes():
    pages = fixture("issues_all_pages.json")["pages"]
    return [
        {"method": "GET", "url": REPO_URL, "query": {"state": "all"}, "json": pages[0]["json"],
         "headers": pages[0]["headers"]},
        {"method": "GET", "url": NEXT_URL, "query": {"page": "2"}, "json": pages[1]["json"],
         "headers": pages[1]["headers"]},
        {"method": "GET", "url": NEXT_URL, "query": {"page": "3"}, "json": pages[2]["json"],
         "headers": pages[2]["headers"]},
        {"method": "GET", "url": REPO_URL + "/42", "json": fixture("issue_42.json")},
        {"method": "GET", "url": "https://api.github.com/repos/octo-org/missing/issues", "status": 404,
         "json": fixture("error_404.json")},
        {"method": "GET", "url": "https://api.github.com/search/issues", "json": fixture("search_proxy.json")},
    ]


def adapter(transport=None, token=None):
    a = GitHubIssuesAdapter(transport=transport or MockTransport(routes()),
                            env={"GITHUB_TOKEN": token} if token else {})
    a.http.sleep = lambda s: None
    return a


class GitHubIssuesToolTests(unittest.TestCase):
    def test_list_follows_link_headers_across_all_pages_and_skips_pull_requests(self):
        mock = MockTransport(routes())
        r = adapter(mock).call_tool("list_issues", {"repo": "octo-org/hello-world", "state": "all",
                                                    "max_issues": 1000})
        self.assertEqual(len(mock.requests), 3)
        self.assertTrue(mock.requests[1].url.startswith(NEXT_URL))  # the Link URL is followed as given
        self.assertIn("page=3", mock.requests[2].url)
        self.assertEqual(r["count"], 237 - 23)  # 23 of the 237 items are pull requests
        numbers = [i["number"] for i in r["issues"]]
        self.assertEqual(numbers[0], 237)
        self.assertEqual(numbers[-1], 1)
        self.assertEqual(len(set(numbers)), len(numbers))
        self.assertFalse(any(n % 10 == 0 for n in numbers))
        self.assertFalse(r["truncated"])

    def test_pull_requests_are_included_on_request(self):
        r = adapter().call_tool("list_issues", {"repo": "octo-org/hello-world", "state": "all", "max_issues": 1000,
                                                "include_pull_requests": True})
        self.assertEqual(r["count"], 237)

    def test_max_issues_stops_paging_early(self):
        mock = MockTransport(routes())
        r = adapter(mock).call_tool("list_issues", {"repo": "https://github.com/octo-org/hello-world.git",
                                                    "state": "all", "max_issues": 50})
        self.assertEqual(r["count"], 50)
        self.assertTrue(r["truncated"])
        self.assertEqual(len(mock.requests), 1)
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(mock.requests[0].url).query))
        self.assertEqual(query, {"state": "all", "per_page": "100"})

    def test_token_is_sent_when_set_and_not_otherwise(self):
        mock = MockTransport(routes())
        adapter(mock, token="ghp_secret").call_tool("get_issue", {"repo": "octo-org/hello-world", "number": 42})
        self.assertEqual(mock.requests[0].headers["Authorization"], "Bearer ghp_secret")
        self.assertEqual(mock.requests[0].headers["X-GitHub-Api-Version"], "2022-11-28")
        mock2 = MockTransport(routes())
        adapter(mock2).call_tool("get_issue", {"repo": "octo-org/hello-world", "number": 42})
        self.assertNotIn("Authorization", mock2.requests[0].headers)

    def test_get_issue_truncates_long_bodies(self):
        r = adapter().call_tool("get_issue", {"repo": "octo-org/hello-world", "number": 42})
        self.assertEqual(r["number"], 42)
        self.assertTrue(r["body"].startswith("Login fails behind a corporate proxy."))
        self.assertIn("more characters]", r["body"])
        self.assertLess(len(r["body"]), 4100)

    def test_search_builds_a_qualified_query(self):
        mock = MockTransport(routes())
        r = adapter(mock).call_tool("search_issues", {"query": "proxy", "repo": "octo-org/hello-world",
                                                      "state": "open", "max_results": 3})
        self.assertEqual(r["count"], 3)
        q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(mock.requests[0].url).query))["q"]
        self.assertEqual(q, "proxy repo:octo-org/hello-world state:open is:issue")

    def test_errors_explain_what_to_do(self):
        with self.assertRaisesRegex(ToolError, "not found: octo-org/missing.*GITHUB_TOKEN"):
            adapter().call_tool("list_issues", {"repo": "octo-org/missing"})
        with self.assertRaisesRegex(ToolError, "repo must be 'owner/name'"):
            adapter().call_tool("list_issues", {"repo": "not a repo"})
        limited = MockTransport([{"method": "GET", "url": REPO_URL, "status": 403,
                                  "json": fixture("error_rate_limited.json"),
                                  "headers": {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "9999999999"}}])
        with self.assertRaisesRegex(ToolError, "rate limit exhausted.*Set GITHUB_TOKEN"):
            adapter(limited).call_tool("list_issues", {"repo": "octo-org/hello-world"})

    def test_manifest_declares_an_optional_token_and_the_api_host(self):
        with open(os.path.join(HERE, "manifest.json")) as fh:
            m = json.load(fh)
        self.assertFalse(m["requires_api_key"])
        self.assertEqual(m["credentials"][0]["env"], "GITHUB_TOKEN")
        self.assertEqual(m["network"]["allow"], ["api.github.com"])


class GitHubIssuesOverMCPTests(unittest.TestCase):
    def test_real_process_lists_all_pages_over_stdio(self):
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp, True)
        routes_file = os.path.join(tmp, "http.json")
        with open(routes_file, "w") as fh:
            json.dump({"routes": routes()}, fh)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "TZ": "UTC", "HOME": tmp,
               "NEXUS_MOCK_HTTP": routes_file}
        # Inside nexus's sandbox the runtime helper is on PYTHONPATH (the module sits at /workspace).
        if "PYTHONPATH" in os.environ:
            env["PYTHONPATH"] = os.environ["PYTHONPATH"]
        with StdioClient(["python3", "adapter.py"], cwd=HERE, env=env) as c:
            self.assertEqual(c.initialize("2025-11-25")["protocolVersion"], "2025-11-25")
            names = [t["name"] for t in c.list_tools()]
            self.assertEqual(names, ["get_issue", "list_issues", "search_issues"])
            r = c.call("list_issues", {"repo": "octo-org/hello-world", "state": "all", "max_issues": 1000})
            self.assertFalse(r["isError"], r)
            self.assertEqual(r["structuredContent"]["count"], 214)
            bad = c.call("list_issues", {"repo": "octo-org/hello-world", "state": "merged"})
            self.assertTrue(bad["isError"])
            self.assertIn("must be one of", bad["content"][0]["text"])
            self.assertEqual(c.close(), 0)


if __name__ == "__main__":
    unittest.main()
