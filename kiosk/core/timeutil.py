"""Time: voxbox stores naive UTC datetimes, and people read and type Europe/London.

"Today" is always London's today (``london_today``), never the server's local date: a hub in a
UTC container and a kiosk set to local time agree on which day a response came in.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def utcnow() -> dt.datetime:
    """Now in UTC, as a naive datetime (the database stores UTC without a zone)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def iso(value: dt.datetime | None) -> str | None:
    """ISO 8601 text with a Z for a naive UTC datetime."""
    return value.isoformat() + "Z" if value else None


def parse_iso(value: str | None) -> dt.datetime | None:
    """Parse ISO 8601 text into a naive UTC datetime."""
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed


def to_utc(local: dt.datetime) -> dt.datetime:
    """A wall-clock time in Europe/London as naive UTC."""
    aware = local.replace(tzinfo=LONDON) if local.tzinfo is None else local
    return aware.astimezone(dt.UTC).replace(tzinfo=None)


def to_london(value: dt.datetime) -> dt.datetime:
    """A stored naive UTC time as an aware Europe/London time."""
    return value.replace(tzinfo=dt.UTC).astimezone(LONDON)


def london_day(value: dt.datetime) -> dt.date:
    """The Europe/London date of a naive UTC time."""
    return to_london(value).date()


def london_today(skew_seconds: float = 0) -> dt.date:
    """Today in Europe/London, by this machine's clock corrected by skew_seconds (a kiosk passes
    the hub's measured lead, so its own wrong clock cannot move the date)."""
    return london_day(utcnow() + dt.timedelta(seconds=skew_seconds))
