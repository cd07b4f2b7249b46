"""What a report looks at: London dates, a channel, an event, a code and a kiosk, read from a query
string and applied to responses as SQL (one rule for every report, cross-tab and export)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select

from kiosk.core.timeutil import to_utc
from kiosk.outreach import tracking
from kiosk.responses import counting
from kiosk.responses.models import Response
from kiosk.responses.store import CHANNELS


@dataclass(frozen=True)
class Filters:
    """What a report looks at: London dates (inclusive), a channel, an event, a code, a kiosk."""
    start: dt.date | None = None
    end: dt.date | None = None
    channel: str | None = None
    event: str | None = None
    code: str | None = None
    device: str | None = None
    #: synthetic rows: None follows kiosk.responses.counting's rule; excluded: staff-excluded ones too
    synthetic: bool | None = None
    excluded: bool = False

    def args(self) -> dict[str, str]:
        """The filters as query-string arguments."""
        out = {"from": self.start, "to": self.end, "channel": self.channel, "event": self.event,
               "code": self.code, "device": self.device, "excluded": "1" if self.excluded else None,
               "synthetic": None if self.synthetic is None else str(int(self.synthetic))}
        return {k: str(v) for k, v in out.items() if v}

    def counted_as_kept(self) -> bool:
        """Whether the report counts the rows the kept tallies count (kiosk.responses.counting's
        default rule), or asks for synthetic or excluded ones another way."""
        return self.synthetic is None and not self.excluded

    def counts_scans(self) -> bool:
        """Scans and starts happen on the web, outside any event and any kiosk."""
        return self.channel in (None, "web") and self.event is None and self.device is None

    def holds(self, day: dt.date, channel: str, event: str | None, device: str | None,
              code: str | None) -> bool:
        """Whether a response counted under these (London day, channel, ...) is in the report:
        the same rule as response_query, for counts kept by kiosk.reports.tallies."""
        return ((self.start is None or day >= self.start) and (self.end is None or day <= self.end)
                and self.channel in (None, channel) and self.event in (None, event)
                and self.code in (None, code) and self.device in (None, device))

    def holds_scan(self, day: dt.date, code: str | None) -> bool:
        """Whether a scan or start on a London day through a code is in the report."""
        return (self.counts_scans() and (self.start is None or day >= self.start)
                and (self.end is None or day <= self.end) and self.code in (None, code))


#: The dates a report filter may name (responses exist only between these).
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2999, 12, 31)


def parse_filters(args: Mapping[str, str]) -> tuple[Filters, list[str]]:
    """Filters from query arguments, and a message for each one that could not be read."""
    problems: list[str] = []

    def day(key: str) -> dt.date | None:
        value = (args.get(key) or "").strip()
        if not value:
            return None
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            problems.append(f"{key}: {value!r} is not a date (YYYY-MM-DD)")
            return None
        if not EARLIEST <= day <= LATEST:  # the day after 9999-12-31 cannot be computed
            problems.append(f"{key}: {value!r} is not between {EARLIEST} and {LATEST}")
            return None
        return day

    channel = (args.get("channel") or "").strip() or None
    if channel and channel not in CHANNELS:
        problems.append(f"channel: must be one of {', '.join(CHANNELS)}")
        channel = None
    code = (args.get("code") or "").strip() or None
    synthetic = {"1": True, "0": False}.get((args.get("synthetic") or "").strip())
    return Filters(day("from"), day("to"), channel, (args.get("event") or "").strip() or None,
                   (tracking.normalise(code) or code) if code else None,
                   (args.get("device") or "").strip()[:64] or None, synthetic,
                   args.get("excluded") == "1"), problems


def utc_bounds(f: Filters) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The filter's London dates as a naive UTC [start, end) range."""
    lo = to_utc(dt.datetime.combine(f.start, dt.time())) if f.start else None
    hi = to_utc(dt.datetime.combine(f.end + dt.timedelta(days=1), dt.time())) if f.end else None
    return lo, hi


def in_dates(q: Select, column: Any, f: Filters) -> Select:
    """q narrowed to the filter's London dates on a naive UTC time column."""
    lo, hi = utc_bounds(f)
    if lo:
        q = q.where(column >= lo)
    if hi:
        q = q.where(column < hi)
    return q


def response_query(slug: str, f: Filters, *columns: Any) -> Select:
    """Responses to a consultation matching the filters (whole rows, or the given columns)."""
    q = select(*columns) if columns else select(Response)
    q = q.where(counting.counted(slug, synthetic=f.synthetic, excluded=f.excluded))
    q = in_dates(q, Response.submitted_at, f)
    if f.channel:
        q = q.where(Response.channel == f.channel)
    if f.event:
        q = q.where(Response.event_id == f.event)
    if f.code:
        q = q.where(Response.tracking_code == f.code)
    if f.device:
        q = q.where(Response.device_id == f.device)
    return q.order_by(Response.id)
