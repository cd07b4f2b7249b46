"""A kiosk's sense of time when its own clock may be wrong.

A kiosk's wall clock can be days out (a flat battery, no network time at a street stall). So:
- each pull records how far the kiosk's clock is from the hub's (the HTTP ``Date`` of the answer);
  ``hub_now()`` is the kiosk's clock corrected by that skew, and anything whose deletion depends on a
  date (retention of unsent entries) or that opens and closes by date uses it;
- drafts are aged by the machine's boot clock, which no wall-clock change moves.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time

from kiosk.core.stored_settings import get_setting, set_setting
from kiosk.core.timeutil import utcnow

#: Skews beyond this many seconds are shown as a warning on the staff panel.
WARN_SKEW_SECONDS = 300
SKEW, HUB_TIME = "hub_clock_skew", "hub_time_at_pull"


def boot_seconds() -> float:
    """Seconds since the machine booted: monotonic across processes, deaf to clock changes."""
    return time.clock_gettime(time.CLOCK_BOOTTIME)


def skew_from(date_header: str | None, sent: dt.datetime, received: dt.datetime) -> float | None:
    """Seconds the hub's clock is ahead of ours (negative: behind), from a reply's Date header
    and our clock when the request left and the answer came; None without a usable Date."""
    try:
        hub = email.utils.parsedate_to_datetime(date_header or "")
    except (TypeError, ValueError):
        return None
    if hub is None or hub.tzinfo is None:
        return None
    ours = sent + (received - sent) / 2
    return (hub.astimezone(dt.UTC).replace(tzinfo=None) - ours).total_seconds()


def record_pull(skew: float | None) -> None:
    """Remember the skew measured at a pull and the hub's time then."""
    if skew is None:
        return
    set_setting(SKEW, round(skew, 1))
    set_setting(HUB_TIME, (utcnow() + dt.timedelta(seconds=skew)).isoformat())


def skew() -> float | None:
    """Seconds the hub's clock was ahead of this kiosk's at the last pull (None: never pulled)."""
    value = get_setting(SKEW)
    return float(value) if value is not None else None


def hub_now() -> dt.datetime:
    """Now by the hub's clock as last measured (this kiosk's clock when never measured)."""
    measured = skew()
    return utcnow() + dt.timedelta(seconds=measured or 0)


def hub_time_at_last_pull() -> dt.datetime | None:
    """The hub's own time at the last pull: a date the kiosk's clock cannot move."""
    value = get_setting(HUB_TIME)
    return dt.datetime.fromisoformat(value) if value else None


def warning() -> str | None:
    """A staff-facing warning when the kiosk's clock is far from the hub's, else None."""
    measured = skew()
    if measured is None or abs(measured) <= WARN_SKEW_SECONDS:
        return None
    return describe(measured)


def describe(seconds: float) -> str:
    """A skew in words, e.g. '100 days behind the hub'."""
    span = abs(seconds)
    if span >= 23.5 * 3600:  # a Date header is to the second and a round trip takes a while
        days = round(span / 86400)
        amount = f"{days} day" if days == 1 else f"{days} days"
    elif span >= 3600:
        amount = f"{span / 3600:.1f} hours"
    else:
        amount = f"{span / 60:.0f} minutes"
    return f"{amount} {'behind' if seconds > 0 else 'ahead of'} the hub"
