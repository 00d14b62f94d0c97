"""GitHub Issues module: list a repository's issues across every page (Link headers), read one, search.

Works without a key on public repositories (60 requests an hour); GITHUB_TOKEN, when set, authenticates.
Pull requests, which GitHub's issues endpoint also returns, are left out unless asked for.
"""
from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from typing import Literal

try:
    import nexus_adapter  # noqa: F401  (installed modules carry a copy beside adapter.py)
except ImportError:  # running from the repository: the runtime lives in templates/python
    for parent in Path(__file__).resolve().parents:
        if (parent / "templates" / "python" / "nexus_adapter.py").exists():
            sys.path.insert(0, str(parent / "templates" / "python"))
            break
from nexus_adapter import (  # noqa: E402
    BaseAdapter, HTTPError, ToolError, paginate_link, register_adapter, serve, tool,
)

API = "https://api.github.com"
_REPO = re.compile(r"^(?:https?://github\.com/)?([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?$")


def _summary(item: dict) -> dict:
    out = {
        "number": item.get("number"),
        "title": item.get("title"),
        "state": item.get("state"),
        "author": (item.get("user") or {}).get("login"),
        "labels": [label.get("name") for label in item.get("labels", []) if isinstance(label, dict)],
        "comments": item.get("comments", 0),
        "created_at": item.get("created_at"),
        "url": item.get("html_url"),
    }
    if "pull_request" in item:
        out["pull_request"] = True
    return out


@register_adapter
class GitHubIssuesAdapter(BaseAdapter[dict]):
    """Read-only GitHub issue tools."""

    name = "github_issues"

    def _headers(self) -> dict:
        h = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        token = self.config.credentials.get("token")
        if token:
            h["Authorization"] = f"Bearer {token}"
        return h

    @staticmethod
    def _repo(repo: str) -> str:
        m = _REPO.match(repo.strip())
        if not m:
            raise ToolError(f"repo must be 'owner/name' (or a github.com URL), got {repo!r}")
        return f"{m.group(1)}/{m.group(2)}"

    def _explain(self, exc: HTTPError, repo: str) -> ToolError:
        remaining = exc.headers.get("x-ratelimit-remaining")
        if exc.status in (403, 429) and remaining == "0":
            reset = exc.headers.get("x-ratelimit-reset", "")
            wait = f" in {max(0, int(reset) - int(time.time())) // 60 + 1} min" if reset.isdigit() else ""
            hint = "" if self.config.credentials.get("token") else " Set GITHUB_TOKEN for 5,000 requests an hour."
            return ToolError(f"GitHub API rate limit exhausted; it resets{wait}.{hint}")
        if exc.status == 404:
            return ToolError(f"GitHub repository or issue not found: {repo}. Check the spelling; private "
                             "repositories need GITHUB_TOKEN.")
        if exc.status == 401:
            return ToolError("GitHub rejected GITHUB_TOKEN (401): it is wrong or expired. "
                             "Replace it with `nexus creds set github_issues token`.")
        return exc

    @tool
    def list_issues(self, repo: str, state: Literal["open", "closed", "all"] = "open", labels: str = "",
                    max_issues: int = 200, include_pull_requests: bool = False) -> dict:
        """List a GitHub repository's issues, following every page of results, newest first.

        Args:
            repo: Repository as 'owner/name', e.g. 'torvalds/linux', or its github.com URL.
            state: open, closed or all.
            labels: Comma-separated label names every issue must have, e.g. 'bug,ui'.
            max_issues: Stop after this many issues (1-1000).
            include_pull_requests: Also list pull requests (GitHub returns them as issues).
        """
        full = self._repo(repo)
        if not 1 <= max_issues <= 1000:
            raise ToolError(f"max_issues must be between 1 and 1000, got {max_issues}")
        params = {"state": state, "per_page": 100, "labels": labels or None}
        issues: list[dict] = []
        try:
            for item in paginate_link(self.http, f"{API}/repos/{full}/issues", params=params,
                                      headers=self._headers(), max_pages=10):
                if "pull_request" in item and not include_pull_requests:
                    continue
                issues.append(_summary(item))
                if len(issues) >= max_issues:
                    break
        except HTTPError as exc:
            raise self._explain(exc, full)
        return {"repo": full, "state": state, "count": len(issues), "truncated": len(issues) >= max_issues,
                "issues": issues}

    @tool
    def get_issue(self, repo: str, number: int) -> dict:
        """Read one GitHub issue: title, state, labels, author and its body text (first 4,000 characters).

        Args:
            repo: Repository as 'owner/name'.
            number: Issue number.
        """
        full = self._repo(repo)
        try:
            item = self.http.get_json(f"{API}/repos/{full}/issues/{number}", headers=self._headers())
        except HTTPError as exc:
            raise self._explain(exc, f"{full}#{number}")
        out = _summary(item)
        body = item.get("body") or ""
        out["body"] = body[:4000] + (f"\n[... {len(body) - 4000} more characters]" if len(body) > 4000 else "")
        out["assignees"] = [a.get("login") for a in item.get("assignees", [])]
        return out

    @tool
    def search_issues(self, query: str, repo: str = "", state: Literal["open", "closed", "all"] = "all",
                      max_results: int = 30) -> dict:
        """Search GitHub issues by words (in title and body), optionally within one repository.

        Args:
            query: Words to look for, plus any GitHub qualifiers such as 'label:bug author:octocat'.
            repo: Limit to this 'owner/name' repository.
            state: open, closed or all.
            max_results: Stop after this many results (1-200).
        """
        q = query.strip()
        if not q:
            raise ToolError("query is empty: give words to search for")
        if repo:
            q += f" repo:{self._repo(repo)}"
        if state != "all":
            q += f" state:{state}"
        q += " is:issue"
        try:
            items = list(paginate_link(self.http, f"{API}/search/issues", params={"q": q, "per_page": 100},
                                       headers=self._headers(), items_key="items",
                                       max_items=max(1, min(200, max_results)), max_pages=2))
        except HTTPError as exc:
            raise self._explain(exc, repo or "search")
        return {"query": q, "count": len(items), "issues": [_summary(i) for i in items]}


if __name__ == "__main__":
    serve(GitHubIssuesAdapter)
