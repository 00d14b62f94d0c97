"""Scenario flaky_5xx: 30% of requests fail with 500/502/503, chosen by a seeded generator (same seed, same
failures), never more than two in a row, so a client that retries 5xx three times always gets through."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from farmlib import error, reply, run  # noqa: E402


def status(req):
    streak = req.state.get("streak", 0)
    if streak < 2 and req.rng.random() < 0.3:
        req.state["streak"] = streak + 1
        return error(req.rng.choice([500, 502, 503]), "transient failure")
    req.state["streak"] = 0
    return reply(200, {"service": req.params["name"], "state": "operational"})


run([("GET", r"/services/(?P<name>[a-z]+)", status)], 18310)
