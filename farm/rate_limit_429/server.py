"""Scenario rate_limit_429: every second request is refused with 429 and Retry-After: 1."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from farmlib import error, reply, run  # noqa: E402


def quote(req):
    n = req.state["n"] = req.state.get("n", 0) + 1
    if n % 2 == 0:
        return error(429, "slow down", {"Retry-After": "1"})
    return reply(200, {"symbol": req.params["symbol"], "price": 101.5, "request": n})


run([("GET", r"/quotes/(?P<symbol>[A-Z]+)", quote)], 18309)
