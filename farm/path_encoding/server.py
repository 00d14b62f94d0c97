"""Scenario path_encoding: player tags start with '#', so the client must send /players/%232PP."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from farmlib import error, reply, run  # noqa: E402

PLAYERS = {"#2PP": {"tag": "#2PP", "name": "Pépé", "trophies": 5012}, "#9 Q/R": {"tag": "#9 Q/R", "name": "Slash", "trophies": 17}}


def get_player(req):
    if not req.raw_path.startswith("/players/%23"):
        return error(400, f"the tag must be percent-encoded (got {req.raw_path})")
    p = PLAYERS.get(req.params["tag"])
    return reply(200, p) if p else error(404, f"no player {req.params['tag']}")


run([("GET", r"/players/(?P<tag>[^/]+)", get_player)], 18314)
