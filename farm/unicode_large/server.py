"""Scenario unicode_large: non-ASCII names in paths and bodies, and a 10 MB JSON payload."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from farmlib import error, reply, run  # noqa: E402

CITIES = {"São Paulo": {"country": "Brasil", "population": 12325232}, "東京": {"country": "日本", "population": 13960000},
          "Zürich": {"country": "Schweiz", "population": 421878}}
BIG = None


def city(req):
    c = CITIES.get(req.params["name"])
    return reply(200, {"name": req.params["name"], **c}) if c else error(404, f"no city {req.params['name']}")


def archive(req):
    global BIG
    if BIG is None:
        rows = [{"i": i, "text": "ünïcødé " + "x" * 80} for i in range(100000)]
        BIG = rows
    return reply(200, {"count": len(BIG), "rows": BIG})


run([("GET", r"/cities/(?P<name>[^/]+)", city), ("GET", r"/archive", archive)], 18313)
