"""Scenario slow_answers: each report takes 2 s to answer (within the helper's 30 s timeout)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from farmlib import reply, run  # noqa: E402


def report(req):
    return reply(200, {"report": req.params["id"], "rows": 1200}, {"X-Farm-Delay": "2"})


run([("GET", r"/reports/(?P<id>[0-9]+)", report)], 18311)
