"""UTC time helpers: voxbox stores naive UTC datetimes."""

from __future__ import annotations

import datetime as dt


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
