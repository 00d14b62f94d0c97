"""Scenario nested_ref_allof: an order API whose body schema is $ref -> allOf -> $ref, nested twice."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from farmlib import error, reply, run  # noqa: E402


def create_order(req):
    body = req.json()
    if not isinstance(body, dict):
        return error(400, "JSON object expected")
    missing = [k for k in ("customer", "lines") if k not in body]
    if missing:
        return error(422, f"missing {', '.join(missing)}")
    cust = body["customer"]
    if not isinstance(cust, dict) or not cust.get("email") or not isinstance(cust.get("address"), dict):
        return error(422, "customer needs email and address")
    total = sum(line.get("qty", 1) * line.get("unit_price", 0) for line in body["lines"])
    return reply(201, {"id": "ord-1", "total": round(total, 2), "ship_to": cust["address"].get("city"),
                       "priority": body.get("priority", "normal")})


run([("POST", r"/orders", create_order)], 18315)
