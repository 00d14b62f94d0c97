"""Scenario oauth2_client_credentials: POST /oauth/token (client_credentials) gives a token that expires after
3 uses; an expired token gets 401, and the client must fetch a new one."""
import base64
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from farmlib import error, reply, run  # noqa: E402


def token(req):
    form = dict(urllib.parse.parse_qsl(req.body.decode()))
    basic = req.headers.get("Authorization", "")
    if basic.startswith("Basic "):
        cid, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
        form.setdefault("client_id", cid)
        form.setdefault("client_secret", secret)
    if form.get("grant_type") != "client_credentials":
        return error(400, "grant_type must be client_credentials")
    if (form.get("client_id"), form.get("client_secret")) != ("farm-client", "farm-secret"):
        return error(401, "bad client credentials")
    n = req.state["issued"] = req.state.get("issued", 0) + 1
    tok = f"tok-{n}"
    req.state.setdefault("uses", {})[tok] = 0
    return reply(200, {"access_token": tok, "token_type": "bearer", "expires_in": 3600})


def reports(req):
    auth = req.headers.get("Authorization", "")
    tok = auth[7:] if auth.startswith("Bearer ") else ""
    uses = req.state.get("uses", {})
    if tok not in uses:
        return error(401, "unknown token")
    uses[tok] += 1
    if uses[tok] > 3:
        return error(401, "token expired")
    return reply(200, {"reports": [{"id": "r1", "title": "Q1"}, {"id": "r2", "title": "Q2"}], "token_use": uses[tok]})


run([("POST", r"/oauth/token", token), ("GET", r"/api/reports", reports)], 18305)
