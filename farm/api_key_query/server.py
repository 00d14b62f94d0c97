"""Scenario api_key_query: a weather API that wants ?appid=farm-weather-key."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from farmlib import error, reply, run  # noqa: E402

TEMPS = {"Paris": 11.5, "Oslo": -3.0, "Lagos": 31.0}


def weather(req):
    if req.query.get("appid") != "farm-weather-key":
        return error(401, "invalid appid")
    city = req.query.get("q", "")
    if city not in TEMPS:
        return error(404, f"city {city} not found")
    t = TEMPS[city] if req.query.get("units", "metric") == "metric" else round(TEMPS[city] * 9 / 5 + 32, 1)
    return reply(200, {"city": city, "temp": t, "units": req.query.get("units", "metric")})


run([("GET", r"/data/weather", weather)], 18302)
