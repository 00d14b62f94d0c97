"""Scenario page_pagination: 23 users served by page/per_page (per_page at most 10), wrapped in {"users": [...]}."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from farmlib import error, reply, run  # noqa: E402

USERS = [{"id": i, "login": f"user{i:02d}"} for i in range(1, 24)]


def list_users(req):
    try:
        page, per = int(req.query.get("page", "1")), min(10, int(req.query.get("per_page", "5")))
    except ValueError:
        return error(400, "page and per_page are integers")
    return reply(200, {"users": USERS[(page - 1) * per: page * per], "page": page})


run([("GET", r"/users", list_users)], 18306)
