"""Scenario bearer_token: notes API with Authorization: Bearer farm-token; POST takes a JSON body."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from farmlib import error, reply, run  # noqa: E402


def check(req):
    return req.headers.get("Authorization") == "Bearer farm-token"


def me(req):
    return reply(200, {"user": "ada", "plan": "pro"}) if check(req) else error(401, "bad bearer token")


def create_note(req):
    if not check(req):
        return error(401, "bad bearer token")
    body = req.json()
    if not isinstance(body, dict) or not isinstance(body.get("text"), str):
        return error(422, "text is required")
    notes = req.state.setdefault("notes", [])
    note = {"id": len(notes) + 1, "text": body["text"], "pinned": bool(body.get("pinned", False))}
    notes.append(note)
    return reply(201, note)


run([("GET", r"/me", me), ("POST", r"/notes", create_note)], 18303)
