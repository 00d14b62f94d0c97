"""Clock module: the current time anywhere, conversion between time zones, and date arithmetic.

No network and no key, so it works the moment NEXUS is installed. Time zones are IANA names from the
system's tz database (zoneinfo); a missing or misspelt zone gets an error that suggests close names.
"""
from __future__ import annotations

import difflib
import os
import sys
from datetime import date, datetime, timedelta, timezone as dt_timezone
from pathlib import Path

try:
    import nexus_adapter  # noqa: F401  (installed modules carry a copy beside adapter.py)
except ImportError:  # running from the repository: the runtime lives in templates/python
    for parent in Path(__file__).resolve().parents:
        if (parent / "templates" / "python" / "nexus_adapter.py").exists():
            sys.path.insert(0, str(parent / "templates" / "python"))
            break
from nexus_adapter import BaseAdapter, ToolError, register_adapter, serve, tool  # noqa: E402

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones  # noqa: E402

_ALIASES = {"utc": "UTC", "gmt": "UTC", "z": "UTC", "zulu": "UTC"}


def _zone(name: str | None, default: str = "UTC"):
    name = (name or "").strip() or default
    name = _ALIASES.get(name.lower(), name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        zones = sorted(available_timezones())
        lowered = {z.lower(): z for z in zones}
        if name.lower() in lowered:
            return ZoneInfo(lowered[name.lower()])
        city = name.replace(" ", "_").lower()
        by_city = [z for z in zones if z.lower().rsplit("/", 1)[-1] == city]
        if len(by_city) == 1:
            return ZoneInfo(by_city[0])
        close = difflib.get_close_matches(name, zones, n=3, cutoff=0.5) or by_city[:3]
        hint = f" Did you mean {', '.join(close)}?" if close else " Use an IANA name such as Europe/Paris."
        raise ToolError(f"unknown time zone '{name}'.{hint}")


def _parse(value: str, zone) -> datetime:
    """ISO 8601 date/time; a naive value is read in ``zone``; 'now' and 'today' are accepted."""
    text = value.strip()
    if text.lower() == "now":
        return datetime.now(zone)
    if text.lower() == "today":
        return datetime.combine(datetime.now(zone).date(), datetime.min.time(), zone)
    try:
        if len(text) <= 5 and ":" in text:  # "14:30" means today at that time
            t = datetime.strptime(text, "%H:%M").time()
            return datetime.combine(datetime.now(zone).date(), t, zone)
        dt = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        raise ToolError(f"cannot read '{value}' as a date/time; use ISO 8601 like 2026-03-01T14:30 or 14:30")
    return dt if dt.tzinfo else dt.replace(tzinfo=zone)


def _describe(dt: datetime) -> dict:
    off = dt.utcoffset() or timedelta(0)
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return {
        "iso": dt.isoformat(timespec="seconds"),
        "timezone": getattr(dt.tzinfo, "key", str(dt.tzinfo)),
        "utc_offset": f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}",
        "abbreviation": dt.tzname(),
        "weekday": dt.strftime("%A"),
        "unix": int(dt.timestamp()),
        "dst": bool(dt.dst()),
    }


@register_adapter
class ClockAdapter(BaseAdapter[dict]):
    """Time and date tools, computed locally."""

    name = "clock"

    def _default_zone(self) -> str:
        tz = self.env.get("TZ", "")
        return tz.lstrip(":") if tz and "/" in tz or tz == "UTC" else "UTC"

    @tool
    def now(self, timezone: str = "") -> dict:
        """Current date and time in a time zone.

        Args:
            timezone: IANA time zone name such as Europe/Paris or America/New_York, or a city like Tokyo;
                empty means the user's local zone.
        """
        return _describe(datetime.now(_zone(timezone, self._default_zone())))

    @tool
    def convert_time(self, time: str, from_timezone: str, to_timezone: str) -> dict:
        """Convert a date/time from one time zone to another.

        Args:
            time: ISO 8601 date/time (2026-03-01T14:30) or a clock time (14:30, today), or 'now'.
            from_timezone: Time zone the given time is in (IANA name or city).
            to_timezone: Time zone to convert to (IANA name or city).
        """
        src = _parse(time, _zone(from_timezone))
        dst = src.astimezone(_zone(to_timezone))
        diff = (dst.utcoffset() - src.utcoffset()).total_seconds() / 3600
        return {"from": _describe(src), "to": _describe(dst), "hours_difference": diff}

    @tool
    def add_duration(self, start: str, days: int = 0, hours: int = 0, minutes: int = 0, weeks: int = 0,
                     months: int = 0, timezone: str = "UTC") -> dict:
        """Add (or, with negative numbers, subtract) a duration to a date/time; date arithmetic.

        Args:
            start: ISO 8601 date or date/time, or 'now' / 'today'.
            days: Days to add. weeks, hours and minutes work the same way.
            months: Calendar months to add; the day is clamped to the month's length (Jan 31 + 1 month = Feb 28/29).
            timezone: Zone for a start without an offset; wall-clock arithmetic across DST changes.
        """
        dt = _parse(start, _zone(timezone))
        if months:
            total = dt.year * 12 + dt.month - 1 + months
            year, month = divmod(total, 12)
            if not 1 <= year <= 9999:
                raise ToolError(f"result is outside years 1-9999 ({months} months from {start})")
            month += 1
            last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
            dt = dt.replace(year=year, month=month, day=min(dt.day, last))
        try:
            result = dt + timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes)
        except OverflowError:
            raise ToolError("result is outside years 1-9999")
        result = result.astimezone(dt.tzinfo)  # re-normalise the offset if DST changed in between
        return {"start": _describe(dt), "result": _describe(result), "date": result.date().isoformat()}

    @tool
    def time_between(self, start: str, end: str, timezone: str = "UTC") -> dict:
        """How long between two dates/times: days, hours, minutes, and business days (Mon-Fri).

        Args:
            start: ISO 8601 date or date/time, or 'now' / 'today'.
            end: ISO 8601 date or date/time, or 'now' / 'today'.
            timezone: Zone for values without an offset.
        """
        zone = _zone(timezone)
        a, b = _parse(start, zone), _parse(end, zone)
        seconds = (b - a).total_seconds()
        lo, hi = sorted((a.date(), b.date()))
        weekdays = sum(1 for i in range((hi - lo).days) if (lo + timedelta(days=i)).weekday() < 5)
        return {"seconds": int(seconds), "minutes": round(seconds / 60, 2), "hours": round(seconds / 3600, 2),
                "days": round(seconds / 86400, 4), "calendar_days": (b.date() - a.date()).days,
                "business_days": weekdays if seconds >= 0 else -weekdays}

    @tool
    def list_timezones(self, query: str = "") -> list:
        """Find IANA time zone names containing a word (city, region or country zone).

        Args:
            query: Text to look for, such as 'america' or 'berlin'; empty lists the first 50 zones.
        """
        q = query.strip().lower().replace(" ", "_")
        zones = sorted(z for z in available_timezones() if q in z.lower())
        return zones[:50]


if __name__ == "__main__":
    serve(ClockAdapter)
