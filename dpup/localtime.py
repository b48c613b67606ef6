"""Times as New Zealanders read them. dpup stores every time in UTC (naive datetimes, as the
database returns them) and shows it in one zone, ``Pacific/Auckland`` unless ``DPUP_TIMEZONE``
names another, so a sign-off made at 9 am in Wellington is dated that day, not the day before.

Pure Python (no Flask): the report model, the web filters and the CLI all use these functions.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Pacific/Auckland"


class UnknownZone(ValueError):
    """DPUP_TIMEZONE names no time zone this machine knows."""


@lru_cache(maxsize=8)
def zone(name: str | None = None) -> ZoneInfo:
    """The zone called ``name``, or DPUP_TIMEZONE's, or Pacific/Auckland."""
    name = name or os.environ.get("DPUP_TIMEZONE") or DEFAULT_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UnknownZone(f"DPUP_TIMEZONE={name!r} is not a time zone name such as {DEFAULT_ZONE}") from exc


def local(value: datetime, zone_name: str | None = None) -> datetime:
    """A stored (UTC, naive) time in local time; an aware time is converted as it is."""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(zone(zone_name))


def format_datetime(value: datetime | None, zone_name: str | None = None) -> str:
    """"26 November 2026, 9:18 am NZDT": the one way dpup writes a time, with its zone."""
    if value is None:
        return ""
    shown = local(value, zone_name)
    hour = shown.strftime("%-I:%M ") + ("am" if shown.hour < 12 else "pm")
    return f"{shown.day} {shown.strftime('%B %Y')}, {hour} {shown.tzname()}"


def format_date(value: datetime | date | None, zone_name: str | None = None) -> str:
    """"26 November 2026": a stored time's local date, or a date as it is."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value, zone_name).date()
    return f"{value.day} {value.strftime('%B %Y')}"


def today(zone_name: str | None = None) -> date:
    """Today's date where the organisation is (what "overdue" is measured against)."""
    return datetime.now(zone(zone_name)).date()
