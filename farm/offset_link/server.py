"""Scenario offset_link: 17 events by offset/limit, the next page announced in a Link header (RFC 8288)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from farmlib import reply, run  # noqa: E402

EVENTS = [{"id": i, "kind": ["push", "merge", "tag"][i % 3]} for i in range(17)]


def list_events(req):
    offset, limit = int(req.query.get("offset", "0")), min(5, int(req.query.get("limit", "5")))
    headers = {}
    if offset + limit < len(EVENTS):
        headers["Link"] = f'<{req.base}/events?offset={offset + limit}&limit={limit}>; rel="next"'
    return reply(200, EVENTS[offset:offset + limit], headers)


run([("GET", r"/events", list_events)], 18307)
