"""OpenWeather module: current conditions, a 5-day forecast summarised per day, and place lookup.

Uses api.openweathermap.org's free endpoints (data/2.5/weather, data/2.5/forecast, geo/1.0/direct) with the
key from OPENWEATHER_API_KEY. Answers are compact summaries a model can read, not the raw API payloads.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Literal

try:
    import nexus_adapter  # noqa: F401  (installed modules carry a copy beside adapter.py)
except ImportError:  # running from the repository: the runtime lives in templates/python
    for parent in Path(__file__).resolve().parents:
        if (parent / "templates" / "python" / "nexus_adapter.py").exists():
            sys.path.insert(0, str(parent / "templates" / "python"))
            break
from nexus_adapter import BaseAdapter, HTTPError, ToolError, register_adapter, serve, tool  # noqa: E402

API = "https://api.openweathermap.org"
UNIT_LABELS = {"metric": ("°C", "m/s"), "imperial": ("°F", "mph"), "standard": ("K", "m/s")}
_LATLON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")
_COMPASS = ["N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"]

Units = Literal["metric", "imperial", "standard"]


def _local(ts: int, offset: int) -> str:
    return datetime.fromtimestamp(ts + offset, tz=timezone.utc).replace(tzinfo=None).isoformat(timespec="minutes")


@register_adapter
class OpenWeatherAdapter(BaseAdapter[dict]):
    """Weather tools backed by OpenWeather's free API."""

    name = "openweather"

    def _get(self, path: str, params: dict) -> object:
        params = {**params, "appid": self.credential("api_key")}
        try:
            return self.http.get_json(API + path, params=params)
        except HTTPError as exc:
            if exc.status == 401:
                raise ToolError("OpenWeather rejected the API key (401). Check OPENWEATHER_API_KEY with "
                                "`nexus creds set openweather api_key`; new keys take up to an hour to activate.")
            if exc.status == 404:
                raise ToolError("OpenWeather does not know that place (404). Try 'City,CC' such as 'Paris,FR', "
                                "or coordinates 'lat,lon'; find_location lists candidates.")
            raise

    @staticmethod
    def _where(location: str) -> dict:
        m = _LATLON.match(location)
        if m:
            lat, lon = float(m.group(1)), float(m.group(2))
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ToolError(f"coordinates out of range: {location!r} (lat -90..90, lon -180..180)")
            return {"lat": lat, "lon": lon}
        if not location.strip():
            raise ToolError("location is empty: give a city ('Paris,FR') or coordinates ('48.85,2.35')")
        return {"q": location.strip()}

    @tool
    def current_weather(self, location: str, units: Units = "metric") -> dict:
        """Current weather for a place: conditions, temperature, feels-like, humidity, wind, clouds, sunrise/sunset.

        Args:
            location: City, optionally with country code ('Paris,FR', 'Springfield,IL,US'), or 'lat,lon'.
            units: metric (°C, m/s), imperial (°F, mph) or standard (Kelvin).
        """
        data = self._get("/data/2.5/weather", {**self._where(location), "units": units})
        temp_unit, wind_unit = UNIT_LABELS[units]
        main, wind, offset = data.get("main", {}), data.get("wind", {}), data.get("timezone", 0)
        sys_ = data.get("sys", {})
        out = {
            "location": f"{data.get('name', '')}, {sys_.get('country', '')}".strip(", "),
            "coordinates": data.get("coord"),
            "observed_local": _local(data["dt"], offset) if "dt" in data else None,
            "conditions": ", ".join(w.get("description", "") for w in data.get("weather", [])),
            "temperature": f"{main.get('temp')} {temp_unit}",
            "feels_like": f"{main.get('feels_like')} {temp_unit}",
            "low_high": f"{main.get('temp_min')} / {main.get('temp_max')} {temp_unit}",
            "humidity_percent": main.get("humidity"),
            "pressure_hpa": main.get("pressure"),
            "wind": f"{wind.get('speed')} {wind_unit} from {_COMPASS[round(wind.get('deg', 0) / 22.5) % 16]}",
            "cloud_cover_percent": data.get("clouds", {}).get("all"),
        }
        if "gust" in wind:
            out["gusts"] = f"{wind['gust']} {wind_unit}"
        if data.get("rain"):
            out["rain_last_hour_mm"] = data["rain"].get("1h")
        if data.get("snow"):
            out["snow_last_hour_mm"] = data["snow"].get("1h")
        if "sunrise" in sys_:
            out["sunrise_local"] = _local(sys_["sunrise"], offset)
            out["sunset_local"] = _local(sys_["sunset"], offset)
        return out

    @tool
    def forecast(self, location: str, days: int = 3, units: Units = "metric") -> dict:
        """Weather forecast for the next days (up to 5), summarised per local day: low/high, conditions, rain.

        Args:
            location: City, optionally with country code ('Paris,FR'), or 'lat,lon'.
            days: How many days to summarise, 1 to 5.
            units: metric (°C), imperial (°F) or standard (Kelvin).
        """
        if not 1 <= days <= 5:
            raise ToolError(f"days must be between 1 and 5 (the free forecast covers 5 days), got {days}")
        data = self._get("/data/2.5/forecast", {**self._where(location), "units": units})
        city = data.get("city", {})
        offset = city.get("timezone", 0)
        temp_unit, _ = UNIT_LABELS[units]
        by_day: dict[str, list[dict]] = {}
        for entry in data.get("list", []):
            day = (datetime.fromtimestamp(entry["dt"], tz=timezone.utc) + timedelta(seconds=offset)).date().isoformat()
            by_day.setdefault(day, []).append(entry)
        summary = []
        for day, entries in list(by_day.items())[:days]:
            temps = [e["main"]["temp"] for e in entries if "main" in e]
            conditions = Counter(w["description"] for e in entries for w in e.get("weather", []))
            rain = sum(e.get("rain", {}).get("3h", 0) for e in entries)
            snow = sum(e.get("snow", {}).get("3h", 0) for e in entries)
            item = {
                "date": day,
                "low": f"{min(temps):.1f} {temp_unit}" if temps else None,
                "high": f"{max(temps):.1f} {temp_unit}" if temps else None,
                "conditions": [c for c, _ in conditions.most_common(2)],
                "chance_of_precipitation_percent": round(100 * max((e.get("pop", 0) for e in entries), default=0)),
                "rain_mm": round(rain, 1),
                "periods": len(entries),
            }
            if snow:
                item["snow_mm"] = round(snow, 1)
            summary.append(item)
        return {"location": f"{city.get('name', '')}, {city.get('country', '')}".strip(", "), "days": summary}

    @tool
    def find_location(self, query: str, limit: int = 5) -> list:
        """Look up places by name to get exact coordinates and country (to disambiguate e.g. London GB vs CA).

        Args:
            query: Place name, optionally 'City,State,CC'.
            limit: Maximum number of candidates (1-5).
        """
        limit = max(1, min(5, limit))
        data = self._get("/geo/1.0/direct", {"q": query, "limit": limit})
        return [{"name": p.get("name"), "state": p.get("state"), "country": p.get("country"),
                 "lat_lon": f"{p.get('lat'):.4f},{p.get('lon'):.4f}"} for p in data or []]


if __name__ == "__main__":
    serve(OpenWeatherAdapter)
