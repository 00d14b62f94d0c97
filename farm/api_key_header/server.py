"""Scenario api_key_header: an inventory API that wants X-API-Key: farm-key-1 on every request."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from farmlib import error, reply, run  # noqa: E402

ITEMS = [{"id": "a1", "name": "anvil", "stock": 3}, {"id": "b2", "name": "bellows", "stock": 0},
         {"id": "c3", "name": "chisel", "stock": 12}]


def authed(f):
    def wrapper(req):
        if req.headers.get("X-API-Key") != "farm-key-1":
            return error(401, "missing or wrong X-API-Key")
        return f(req)
    return wrapper


@authed
def list_items(req):
    items = ITEMS if req.query.get("in_stock") != "true" else [i for i in ITEMS if i["stock"] > 0]
    return reply(200, items)


@authed
def get_item(req):
    found = [i for i in ITEMS if i["id"] == req.params["id"]]
    return reply(200, found[0]) if found else error(404, f"no item {req.params['id']}")


run([("GET", r"/v1/items", list_items), ("GET", r"/v1/items/(?P<id>[^/]+)", get_item)], 18301)
