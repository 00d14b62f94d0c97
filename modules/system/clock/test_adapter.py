"""Clock module tests: in-process tool calls, then the real process over MCP stdio with an empty environment."""
from __future__ import annotations

import json
import os
import sys
import unittest
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from adapter import ClockAdapter  # noqa: E402
from nexus_adapter import StdioClient, ToolError  # noqa: E402


class ClockToolTests(unittest.TestCase):
    def setUp(self):
        self.clock = ClockAdapter(env={"TZ": "Asia/Tokyo"})

    def test_now_in_a_zone_is_the_current_instant_with_its_offset(self):
        before = datetime.now(timezone.utc).timestamp()
        r = self.clock.call_tool("now", {"timezone": "Asia/Kolkata"})
        self.assertEqual(r["timezone"], "Asia/Kolkata")
        self.assertEqual(r["utc_offset"], "+05:30")
        self.assertLessEqual(abs(r["unix"] - before), 2)
        self.assertTrue(r["iso"].endswith("+05:30"))

    def test_now_defaults_to_the_tz_environment_and_accepts_city_names(self):
        self.assertEqual(self.clock.call_tool("now", {})["timezone"], "Asia/Tokyo")
        self.assertEqual(self.clock.call_tool("now", {"timezone": "tokyo"})["timezone"], "Asia/Tokyo")
        self.assertEqual(self.clock.call_tool("now", {"timezone": "utc"})["timezone"], "UTC")

    def test_unknown_zone_suggests_close_names(self):
        with self.assertRaisesRegex(ToolError, "unknown time zone 'Europe/Pariss'.*Europe/Paris"):
            self.clock.call_tool("now", {"timezone": "Europe/Pariss"})

    def test_convert_time_across_dst_zones(self):
        r = self.clock.call_tool("convert_time", {"time": "2026-07-01T09:00", "from_timezone": "America/New_York",
                                                  "to_timezone": "Europe/Berlin"})
        self.assertEqual(r["to"]["iso"], "2026-07-01T15:00:00+02:00")
        self.assertEqual(r["hours_difference"], 6.0)
        winter = self.clock.call_tool("convert_time", {"time": "2026-01-15T09:00", "from_timezone": "America/New_York",
                                                       "to_timezone": "Europe/Berlin"})
        self.assertEqual(winter["to"]["iso"], "2026-01-15T15:00:00+01:00")
        self.assertFalse(winter["to"]["dst"])

    def test_explicit_offset_wins_over_from_timezone(self):
        r = self.clock.call_tool("convert_time", {"time": "2026-03-01T12:00:00Z", "from_timezone": "Asia/Tokyo",
                                                  "to_timezone": "UTC"})
        self.assertEqual(r["to"]["iso"], "2026-03-01T12:00:00+00:00")

    def test_add_duration_months_clamp_and_dst(self):
        r = self.clock.call_tool("add_duration", {"start": "2028-01-31", "months": 1})
        self.assertEqual(r["date"], "2028-02-29")
        r = self.clock.call_tool("add_duration", {"start": "2026-12-15", "months": 1, "days": -20})
        self.assertEqual(r["date"], "2026-12-26")
        r = self.clock.call_tool("add_duration", {"start": "2026-03-28T12:00", "days": 1,
                                                  "timezone": "Europe/London"})
        self.assertEqual(r["result"]["iso"], "2026-03-29T12:00:00+01:00")

    def test_time_between_counts_business_days(self):
        r = self.clock.call_tool("time_between", {"start": "2026-11-20", "end": "2026-11-30"})
        self.assertEqual(r["calendar_days"], 10)
        self.assertEqual(r["business_days"], 6)
        self.assertEqual(r["hours"], 240.0)

    def test_bad_dates_are_tool_errors(self):
        with self.assertRaisesRegex(ToolError, "cannot read 'next tuesday'"):
            self.clock.call_tool("time_between", {"start": "next tuesday", "end": "now"})
        with self.assertRaisesRegex(ToolError, "outside years"):
            self.clock.call_tool("add_duration", {"start": "9999-12-01", "months": 2})

    def test_list_timezones(self):
        self.assertIn("Europe/Berlin", self.clock.call_tool("list_timezones", {"query": "berlin"}))
        self.assertEqual(len(self.clock.call_tool("list_timezones", {})), 50)


class ClockOverMCPTests(unittest.TestCase):
    def test_real_process_speaks_mcp_with_a_bare_environment(self):
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "TZ": "Europe/Paris",
               "HOME": HERE}
        # Inside nexus's sandbox the runtime helper is on PYTHONPATH (the module sits at /workspace).
        if "PYTHONPATH" in os.environ:
            env["PYTHONPATH"] = os.environ["PYTHONPATH"]
        with StdioClient(["python3", "adapter.py"], cwd=HERE, env=env) as c:
            init = c.initialize("2025-06-18")
            self.assertEqual(init["protocolVersion"], "2025-06-18")
            self.assertEqual(init["serverInfo"]["name"], "clock")
            tools = {t["name"]: t for t in c.list_tools()}
            self.assertEqual(set(tools), {"now", "convert_time", "add_duration", "time_between", "list_timezones"})
            self.assertEqual(tools["convert_time"]["inputSchema"]["required"],
                             ["time", "from_timezone", "to_timezone"])
            self.assertIn("IANA", tools["now"]["inputSchema"]["properties"]["timezone"]["description"])
            now = c.call("now", {})
            self.assertFalse(now["isError"])
            self.assertEqual(json.loads(now["content"][0]["text"])["timezone"], "Europe/Paris")
            bad = c.call("now", {"timezone": "Mars/Olympus"})
            self.assertTrue(bad["isError"])
            self.assertIn("unknown time zone", bad["content"][0]["text"])
            self.assertEqual(c.request("ping")["result"], {})
            self.assertEqual(c.close(), 0)


if __name__ == "__main__":
    unittest.main()
