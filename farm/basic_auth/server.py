"""Scenario basic_auth: an account API behind HTTP basic auth (farm-user / farm-pass)."""
import base64
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from farmlib import error, reply, run  # noqa: E402

GOOD = "Basic " + base64.b64encode(b"farm-user:farm-pass").decode()


def account(req):
    if req.headers.get("Authorization") != GOOD:
        return error(401, "bad user or password", {"WWW-Authenticate": 'Basic realm="farm"'})
    return reply(200, {"account": "farm-user", "balance": 42.25, "currency": "EUR"})


run([("GET", r"/account", account)], 18304)
