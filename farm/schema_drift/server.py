"""Scenario schema_drift: v1 answered {"name": ...}; v2 renamed it to {"title": ...}. The spec is v2's, and
/v1 still answers the old shape, so a module built from the v2 spec must read v2."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from farmlib import error, reply, run  # noqa: E402

PRODUCTS = {"p1": ("Kettle", 24.0), "p2": ("Toaster", 31.5)}


def v1(req):
    p = PRODUCTS.get(req.params["id"])
    return reply(200, {"id": req.params["id"], "name": p[0], "price": p[1]}) if p else error(404, "no product")


def v2(req):
    p = PRODUCTS.get(req.params["id"])
    return reply(200, {"id": req.params["id"], "title": p[0], "price": {"amount": p[1], "currency": "EUR"}}) \
        if p else error(404, "no product")


run([("GET", r"/v1/products/(?P<id>[^/]+)", v1), ("GET", r"/v2/products/(?P<id>[^/]+)", v2)], 18312)
