"""Scenario cursor_pagination: 11 log lines, 4 at a time, with {"data": [...], "meta": {"next_cursor": ...}}."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from farmlib import error, reply, run  # noqa: E402

LOGS = [{"seq": i, "line": f"line {i}"} for i in range(11)]


def list_logs(req):
    cursor = req.query.get("cursor", "")
    start = 0
    if cursor:
        if not cursor.startswith("cur-"):
            return error(400, "bad cursor")
        start = int(cursor[4:])
    end = start + 4
    return reply(200, {"data": LOGS[start:end], "meta": {"next_cursor": f"cur-{end}" if end < len(LOGS) else None}})


run([("GET", r"/logs", list_logs)], 18308)
