"""OpenWeather module tests, offline: recorded API responses (tests/fixtures) served through MockTransport,
then the real module process over MCP stdio with NEXUS_MOCK_HTTP pointing at the same recordings."""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "tests", "fixtures")
sys.path.insert(0, HERE)
from adapter import OpenWeatherAdapter  # noqa: E402
from nexus_adapter import MockTransport, StdioClient, ToolError  # noqa: E402

KEY = "test-key-0123456789"
WEATHER = "https://api.openweathermap.org/data/2.5/weather"
FORECAST = "https://api.openweathermap.org/data/2.5/forecast"
GEO = "https://api.openweathermap.org/geo/1.0/direct"


def fixture(name):
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as fh:
        return json.load(fh)


def routes():
    return [
        {"method": "GET", "url": WEATHER, "query": {"q": "Paris,FR"}, "json": fixture("current_paris.json")},
        {"method": "GET", "url": WEATHER, "query": {"lat": "48.8534", "lon": "2.3488"},
         "json": fixture("current_paris.json")},
        {"method": "GET", "url": WEATHER, "query": {"q": "Atlantis"}, "status": 404, "json": fixture("error_404.json")},
        {"method": "GET", "url": FORECAST, "query": {"q": "Paris,FR"}, "json": fixture("forecast_paris.json")},
        {"method": "GET", "url": GEO, "query": {"q": "London"}, "json": fixture("geocode_london.json")},
    ]


def adapter(key=KEY, transport=None):
    a = OpenWeatherAdapter(transport=transport or MockTransport(routes()),
                           env={"OPENWEATHER_API_KEY": key} if key else {})
    a.http.sleep = lambda s: None
    return a


class OpenWeatherToolTests(unittest.TestCase):
    def test_current_weather_summarises_the_recorded_response(self):
        mock = MockTransport(routes())
        r = adapter(transport=mock).call_tool("current_weather", {"location": "Paris,FR"})
        self.assertEqual(r["location"], "Paris, FR")
        self.assertEqual(r["conditions"], "light rain")
        self.assertEqual(r["temperature"], "11.84 °C")
        self.assertEqual(r["wind"], "5.14 m/s from SW")
        self.assertEqual(r["humidity_percent"], 81)
        self.assertEqual(r["rain_last_hour_mm"], 0.42)
        self.assertEqual(r["sunrise_local"], "2025-11-22T08:05")
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(mock.requests[0].url).query))
        self.assertEqual(query, {"q": "Paris,FR", "units": "metric", "appid": KEY})

    def test_coordinates_are_sent_as_lat_lon(self):
        mock = MockTransport(routes())
        adapter(transport=mock).call_tool("current_weather", {"location": "48.8534, 2.3488"})
        self.assertIn("lat=48.8534&lon=2.3488", mock.requests[0].url)
        with self.assertRaisesRegex(ToolError, "out of range"):
            adapter().call_tool("current_weather", {"location": "123,456"})

    def test_forecast_is_grouped_by_local_day(self):
        r = adapter().call_tool("forecast", {"location": "Paris,FR", "days": 3})
        self.assertEqual(r["location"], "Paris, FR")
        self.assertEqual([d["date"] for d in r["days"]], ["2025-11-22", "2025-11-23", "2025-11-24"])
        first = r["days"][0]
        self.assertEqual(first["periods"], 4)  # 13:00-22:00 local: the rest of the first day
        self.assertEqual(first["chance_of_precipitation_percent"], 90)
        self.assertGreater(first["rain_mm"], 0)
        self.assertEqual(r["days"][1]["periods"], 8)
        self.assertIn("light rain", first["conditions"])
        lo, hi = float(first["low"].split()[0]), float(first["high"].split()[0])
        self.assertLess(lo, hi)

    def test_forecast_days_are_bounded(self):
        with self.assertRaisesRegex(ToolError, "between 1 and 5"):
            adapter().call_tool("forecast", {"location": "Paris,FR", "days": 9})

    def test_unknown_place_and_bad_key_give_actionable_errors_without_the_key(self):
        with self.assertRaisesRegex(ToolError, "does not know that place"):
            adapter().call_tool("current_weather", {"location": "Atlantis"})
        mock = MockTransport([{"method": "GET", "url": WEATHER, "status": 401, "json": fixture("error_401.json")}])
        with self.assertRaises(ToolError) as cm:
            adapter(transport=mock).call_tool("current_weather", {"location": "Paris,FR"})
        self.assertIn("OPENWEATHER_API_KEY", str(cm.exception))
        self.assertNotIn(KEY, str(cm.exception))

    def test_missing_key_says_how_to_set_it(self):
        with self.assertRaisesRegex(ToolError, "OPENWEATHER_API_KEY is empty.*nexus creds set openweather api_key"):
            adapter(key=None).call_tool("current_weather", {"location": "Paris,FR"})

    def test_rate_limited_request_is_retried_after_the_servers_delay(self):
        mock = MockTransport([{"method": "GET", "url": WEATHER, "responses": [
            {"status": 429, "headers": {"Retry-After": "2"}, "json": {"cod": 429, "message": "limit"}},
            {"json": fixture("current_paris.json")}]}])
        a = adapter(transport=mock)
        waits = []
        a.http.sleep = waits.append
        self.assertEqual(a.call_tool("current_weather", {"location": "Paris,FR"})["location"], "Paris, FR")
        self.assertEqual(waits, [2.0])

    def test_find_location_lists_candidates(self):
        r = adapter().call_tool("find_location", {"query": "London", "limit": 3})
        self.assertEqual([p["country"] for p in r], ["GB", "CA", "US"])
        self.assertEqual(r[0]["lat_lon"], "51.5073,-0.1276")

    def test_manifest_declares_runtime_credentials_and_network(self):
        with open(os.path.join(HERE, "manifest.json")) as fh:
            m = json.load(fh)
        self.assertEqual(m["runtime"]["command"], ["python3", "adapter.py"])
        self.assertEqual(m["credentials"][0]["env"], "OPENWEATHER_API_KEY")
        self.assertEqual(m["network"]["allow"], ["api.openweathermap.org"])


class OpenWeatherOverMCPTests(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.routes_file = os.path.join(self.tmp, "http.json")
        with open(self.routes_file, "w") as fh:
            json.dump({"routes": routes()}, fh)

    def env(self, **extra):
        return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "TZ": "UTC", "HOME": self.tmp,
                "NEXUS_MOCK_HTTP": self.routes_file, **extra,
                # Inside nexus's sandbox the runtime helper is on PYTHONPATH (the module sits at /workspace).
                **({"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {})}

    def test_real_process_answers_weather_over_stdio(self):
        with StdioClient(["python3", "adapter.py"], cwd=HERE, env=self.env(OPENWEATHER_API_KEY=KEY)) as c:
            self.assertEqual(c.initialize()["serverInfo"]["name"], "openweather")
            tools = {t["name"]: t for t in c.list_tools()}
            self.assertEqual(set(tools), {"current_weather", "forecast", "find_location"})
            self.assertEqual(tools["forecast"]["inputSchema"]["properties"]["units"]["enum"],
                             ["metric", "imperial", "standard"])
            r = c.call("current_weather", {"location": "Paris,FR"})
            self.assertFalse(r["isError"], r)
            self.assertEqual(json.loads(r["content"][0]["text"])["conditions"], "light rain")
            f = c.call("forecast", {"location": "Paris,FR", "days": 2})
            self.assertEqual(len(f["structuredContent"]["days"]), 2)
            self.assertEqual(c.close(), 0)

    def test_real_process_without_key_reports_an_error_result(self):
        with StdioClient(["python3", "adapter.py"], cwd=HERE, env=self.env()) as c:
            c.initialize()
            r = c.call("current_weather", {"location": "Paris,FR"})
            self.assertTrue(r["isError"])
            self.assertIn("OPENWEATHER_API_KEY", r["content"][0]["text"])


if __name__ == "__main__":
    unittest.main()
