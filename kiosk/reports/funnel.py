"""Staff reports per consultation: a funnel per placement (scans → started → completed), and
responses per channel, event, device and day, with filters and quality flags."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select

from kiosk.consultations import store as consultations
from kiosk.core.db import db
from kiosk.core.timeutil import london_day, to_utc
from kiosk.devices import store as devices
from kiosk.events import store as events
from kiosk.outreach import scans, tracking
from kiosk.outreach.models import Scan, TrackingCode
from kiosk.outreach.scans import DEVICE_CLASSES
from kiosk.responses import counting, quality
from kiosk.responses.models import Response
from kiosk.responses.store import CHANNELS

#: The longest run of days drawn in the per-day chart.
MAX_DAYS = 400
LIGHT = (Response.uuid, Response.channel, Response.device_id, Response.event_id,
         Response.tracking_code, Response.started_at, Response.submitted_at, Response.review)


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

    def counts_scans(self) -> bool:
        """Scans and starts happen on the web, outside any event and any kiosk."""
        return self.channel in (None, "web") and self.event is None and self.device is None


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


def _in_dates(q: Select, column: Any, f: Filters) -> Select:
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
    q = _in_dates(q, Response.submitted_at, f)
    if f.channel:
        q = q.where(Response.channel == f.channel)
    if f.event:
        q = q.where(Response.event_id == f.event)
    if f.code:
        q = q.where(Response.tracking_code == f.code)
    if f.device:
        q = q.where(Response.device_id == f.device)
    return q.order_by(Response.id)


def scan_rows(slug: str, f: Filters) -> list[Any]:
    """Scans and starts for a consultation matching the filters."""
    if not f.counts_scans():
        return []
    scans.flush()  # this process's queued scans count too
    q = select(Scan.at, Scan.stage, Scan.code, Scan.device, Scan.first).where(
        counting.counted_scans(slug, synthetic=f.synthetic))
    q = _in_dates(q, Scan.at, f)
    if f.code:
        q = q.where(Scan.code == f.code)
    return list(db.session.execute(q.order_by(Scan.id)).all())


@dataclass
class Funnel:
    """One placement's path: scans (all, and first per visitor) → started → completed."""
    code: str | None
    label: str = ""
    kind: str | None = None
    scans: int = 0
    visitors: int = 0
    started: int = 0
    completed: int = 0

    @property
    def conversion(self) -> float | None:
        """Completed per visitor who scanned (per start when there are no scans)."""
        base = self.visitors or self.started
        return self.completed / base if base else None


@dataclass
class Day:
    """Counts for one London day."""
    day: dt.date
    scans: int = 0
    visitors: int = 0
    started: int = 0
    completed: int = 0


@dataclass
class Report:
    """Everything the report page shows."""
    slug: str
    filters: Filters
    placements: list[Funnel] = field(default_factory=list)
    total: Funnel = field(default_factory=lambda: Funnel(None))
    responses: int = 0
    channels: dict[str, int] = field(default_factory=dict)
    events: list[tuple[str | None, dict | None, int]] = field(default_factory=list)
    devices: dict[str | None, int] = field(default_factory=dict)
    #: {device id: name} for the kiosks in ``devices`` (and in the flagged rows)
    device_names: dict[str, str] = field(default_factory=dict)
    device_classes: dict[str, tuple[int, int]] = field(default_factory=dict)
    days: list[Day] = field(default_factory=list)
    flags: dict[str, list[str]] = field(default_factory=dict)
    flagged: list[Any] = field(default_factory=list)

    @property
    def qr_conversion(self) -> float | None:
        """Completions that came through a code, per visitor who scanned one. Direct completions
        (no code) had no scan to count from, so they are shown apart, never in this share."""
        coded = [p for p in self.placements if p.code]
        visitors = sum(p.visitors for p in coded)
        return sum(p.completed for p in coded) / visitors if visitors else None

    @property
    def direct_completed(self) -> int:
        """Completions with no code (a direct link, a kiosk, paper)."""
        return sum(p.completed for p in self.placements if not p.code)

    @property
    def flag_counts(self) -> dict[str, int]:
        """How many responses carry each flag."""
        counts = Counter(flag for flags in self.flags.values() for flag in flags)
        return {flag: counts.get(flag, 0) for flag in quality.FLAGS}


def build(slug: str, f: Filters | None = None) -> Report:
    """The report for one consultation under the filters."""
    f = f or Filters()
    every = db.session.execute(response_query(
        slug, Filters(synthetic=f.synthetic, excluded=f.excluded), *LIGHT)).all()
    all_flags = quality.flags(every, quality.too_fast_seconds(consultations.definition(slug)))
    rows = db.session.execute(response_query(slug, f, *LIGHT)).all()
    hits = scan_rows(slug, f)
    report = Report(slug, f, responses=len(rows))
    report.channels = {ch: n for ch in CHANNELS if (n := sum(r.channel == ch for r in rows))}
    names = events.names(r.event_id for r in rows)
    report.events = [(eid, names.get(eid) if eid else None, n)
                     for eid, n in Counter(r.event_id for r in rows).most_common()]
    report.devices = dict(Counter(r.device_id for r in rows).most_common())
    report.device_names = devices.names(r.device_id for r in every)
    report.device_classes = {
        d: (sum(h.device == d and h.stage == "scan" for h in hits),
            sum(h.device == d and h.stage == "start" for h in hits)) for d in DEVICE_CLASSES}
    report.placements = _placements(slug, f, rows, hits)
    report.total = Funnel(None, scans=sum(p.scans for p in report.placements),
                          visitors=sum(p.visitors for p in report.placements),
                          started=sum(p.started for p in report.placements),
                          completed=sum(p.completed for p in report.placements))
    report.days = _days(f, rows, hits)
    report.flags = {r.uuid: all_flags[r.uuid] for r in rows if r.uuid in all_flags}
    report.flagged = [r for r in rows if r.uuid in report.flags]
    return report


def _placements(slug: str, f: Filters, rows: Sequence[Any], hits: list[Any]) -> list[Funnel]:
    codes = {c.code for c in tracking.for_consultation(slug)} if not f.code else {f.code}
    codes |= {h.code for h in hits if h.code} | {r.tracking_code for r in rows if r.tracking_code}
    known = {t.code: t for t in db.session.execute(
        select(TrackingCode).where(TrackingCode.code.in_(codes))).scalars()} if codes else {}
    funnels = {c: Funnel(c, known[c].label if c in known else c, known[c].kind if c in known else None)
               for c in codes}
    direct = Funnel(None, "", None)
    for h in hits:
        target = funnels[h.code] if h.code else direct
        if h.stage == "scan":
            target.scans += 1
            target.visitors += h.first
        else:
            target.started += 1
    for r in rows:
        if r.tracking_code:
            funnels[r.tracking_code].completed += 1
        elif r.channel == "web":
            direct.completed += 1
    out = sorted(funnels.values(), key=lambda p: (p.label.lower(), p.code or ""))
    return out + ([direct] if direct.started or direct.completed else [])


def _days(f: Filters, rows: Sequence[Any], hits: list[Any]) -> list[Day]:
    seen = [london_day(r.submitted_at) for r in rows] + [london_day(h.at) for h in hits]
    if not seen and not (f.start and f.end):
        return []
    lo = f.start or min(seen)
    hi = f.end or max(seen)
    lo = max(lo, hi - dt.timedelta(days=MAX_DAYS - 1))
    days = {lo + dt.timedelta(days=i): Day(lo + dt.timedelta(days=i)) for i in range((hi - lo).days + 1)}
    for h in hits:
        d = days.get(london_day(h.at))
        if d is None:
            continue
        if h.stage == "scan":
            d.scans += 1
            d.visitors += h.first
        else:
            d.started += 1
    for r in rows:
        d = days.get(london_day(r.submitted_at))
        if d is not None:
            d.completed += 1
    return list(days.values())
