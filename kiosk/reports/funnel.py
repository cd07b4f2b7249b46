"""Staff reports per consultation: a funnel per placement (scans → started → completed), and
responses per channel, event, device and day, with filters and quality flags."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, case, func, select

from kiosk.core.db import db
from kiosk.core.timeutil import london_day
from kiosk.devices import store as devices
from kiosk.events import store as events
from kiosk.outreach import costs, scans, tracking
from kiosk.outreach.models import Scan, TrackingCode
from kiosk.outreach.scans import DEVICE_CLASSES
from kiosk.reports.filters import Filters, in_dates, response_query
from kiosk.responses import quality
from kiosk.responses.models import Response
from kiosk.responses.store import CHANNELS

#: The longest run of days drawn in the per-day chart.
MAX_DAYS = 400
LIGHT = (Response.uuid, Response.channel, Response.device_id, Response.event_id,
         Response.tracking_code, Response.started_at, Response.submitted_at)


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
    #: What the placement's posters cost to print, in pence (None: not given).
    cost_pence: int | None = None

    @property
    def conversion(self) -> float | None:
        """Completed per visitor who scanned (per start when there are no scans)."""
        base = self.visitors or self.started
        return self.completed / base if base else None

    @property
    def cost_per_completed(self) -> Decimal | None:
        """Pounds of print cost per completed response (None without a cost or a completion)."""
        return costs.per_response(self.cost_pence, self.completed)


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
    def costed(self) -> tuple[int, int]:
        """(print cost in pence, completed responses) over the placements that have a cost."""
        priced = [p for p in self.placements if p.cost_pence is not None]
        return sum(p.cost_pence or 0 for p in priced), sum(p.completed for p in priced)

    @property
    def cost_per_completed(self) -> Decimal | None:
        """Pounds of print cost per completed response, over the placements that have a cost."""
        return costs.per_response(*self.costed)

    @property
    def flag_counts(self) -> dict[str, int]:
        """How many responses carry each flag."""
        counts = Counter(flag for flags in self.flags.values() for flag in flags)
        return {flag: counts.get(flag, 0) for flag in quality.FLAGS}


def build(slug: str, f: Filters | None = None) -> Report:
    """The report for one consultation under the filters, counted by the database (GROUP BY), so a
    page costs a handful of grouped queries whatever the number of responses."""
    f = f or Filters()
    every = db.session.execute(response_query(slug, Filters(), *LIGHT)).all()
    all_flags = quality.flags(every)
    groups = _response_groups(slug, f)
    report = Report(slug, f, responses=sum(n for *_k, n in groups))
    channels: Counter[str] = Counter()
    by_event: Counter[str | None] = Counter()
    by_device: Counter[str | None] = Counter()
    for channel, event, device, _code, n in groups:
        channels[channel] += n
        by_event[event] += n
        by_device[device] += n
    report.channels = {ch: channels[ch] for ch in CHANNELS if channels[ch]}
    names = events.names(e for e in by_event if e)
    report.events = [(eid, names.get(eid) if eid else None, n) for eid, n in by_event.most_common()]
    report.devices = dict(by_device.most_common())
    report.device_names = devices.names(db.session.execute(
        select(Response.device_id).where(Response.consultation_slug == slug).distinct()).scalars())
    report.device_classes = _device_classes(slug, f)
    report.placements = _placements(slug, f, groups)
    add_costs(report.placements)
    report.total = Funnel(None, scans=sum(p.scans for p in report.placements),
                          visitors=sum(p.visitors for p in report.placements),
                          started=sum(p.started for p in report.placements),
                          completed=sum(p.completed for p in report.placements))
    report.days = _days(slug, f)
    report.flagged = [r for r in db.session.execute(
        response_query(slug, f, *LIGHT).execution_options(yield_per=5000)) if r.uuid in all_flags] \
        if all_flags else []
    report.flags = {r.uuid: all_flags[r.uuid] for r in report.flagged}
    return report


def add_costs(placements: list[Funnel]) -> None:
    """Give each placement its print cost (looked up by code)."""
    found = costs.for_codes(p.code for p in placements)
    for p in placements:
        p.cost_pence = found.get(p.code) if p.code else None


def _hour(column: Any) -> Any:
    """column truncated to the hour, on SQLite and PostgreSQL (London's offsets are whole hours, so
    an hour lies inside one London day)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.date_trunc("hour", column)
    return func.strftime("%Y-%m-%d %H:00:00", column)


def _as_time(value: Any) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


def _response_groups(slug: str, f: Filters) -> list[tuple[str, str | None, str | None, str | None, int]]:
    """(channel, event, device, code, responses) for the filtered responses."""
    cols = (Response.channel, Response.event_id, Response.device_id, Response.tracking_code)
    q = response_query(slug, f, *cols, func.count()).group_by(*cols).order_by(None)
    return [(c, e, d, code, int(n)) for c, e, d, code, n in db.session.execute(q)]


def _scan_query(slug: str, f: Filters, *columns: Any) -> Select | None:
    """Scans and starts for a consultation under the filters, grouped by columns, with
    (scans or starts, first-per-visitor) counts; None when the filters rule scans out."""
    if not f.counts_scans():
        return None
    scans.flush()  # this process's queued scans count too
    q = select(*columns, func.count(), func.sum(case((Scan.first, 1), else_=0))).where(
        Scan.consultation_slug == slug)
    q = in_dates(q, Scan.at, f)
    if f.code:
        q = q.where(Scan.code == f.code)
    return q.group_by(*columns)


def _device_classes(slug: str, f: Filters) -> dict[str, tuple[int, int]]:
    q = _scan_query(slug, f, Scan.device, Scan.stage)
    got = {(d, stage): int(n) for d, stage, n, _first in db.session.execute(q)} if q is not None else {}
    return {d: (got.get((d, "scan"), 0), got.get((d, "start"), 0)) for d in DEVICE_CLASSES}


def _placements(slug: str, f: Filters, groups: Sequence[tuple]) -> list[Funnel]:
    q = _scan_query(slug, f, Scan.code, Scan.stage)
    hits = [(code, stage, int(n), int(first or 0)) for code, stage, n, first in db.session.execute(q)] \
        if q is not None else []
    codes = {c.code for c in tracking.for_consultation(slug)} if not f.code else {f.code}
    codes |= {code for code, *_rest in hits if code} | {g[3] for g in groups if g[3]}
    known = {t.code: t for t in db.session.execute(
        select(TrackingCode).where(TrackingCode.code.in_(codes))).scalars()} if codes else {}
    funnels = {c: Funnel(c, known[c].label if c in known else c, known[c].kind if c in known else None)
               for c in codes}
    direct = Funnel(None, "", None)
    for code, stage, n, first in hits:
        target = funnels[code] if code else direct
        if stage == "scan":
            target.scans += n
            target.visitors += first
        else:
            target.started += n
    for channel, _event, _device, code, n in groups:
        if code:
            funnels[code].completed += n
        elif channel == "web":
            direct.completed += n
    out = sorted(funnels.values(), key=lambda p: (p.label.lower(), p.code or ""))
    return out + ([direct] if direct.started or direct.completed else [])


def _days(slug: str, f: Filters) -> list[Day]:
    hour = _hour(Response.submitted_at)
    done = [(london_day(_as_time(h)), int(n)) for h, n in db.session.execute(
        response_query(slug, f, hour, func.count()).group_by(hour).order_by(None))]
    scan_hour = _hour(Scan.at)
    q = _scan_query(slug, f, scan_hour, Scan.stage)
    hits = [(london_day(_as_time(h)), stage, int(n), int(first or 0))
            for h, stage, n, first in db.session.execute(q)] if q is not None else []
    seen = [d for d, _n in done] + [h[0] for h in hits]
    if not seen and not (f.start and f.end):
        return []
    lo = f.start or min(seen)
    hi = f.end or max(seen)
    lo = max(lo, hi - dt.timedelta(days=MAX_DAYS - 1))
    days = {lo + dt.timedelta(days=i): Day(lo + dt.timedelta(days=i)) for i in range((hi - lo).days + 1)}
    for when, stage, n, first in hits:
        d = days.get(when)
        if d is None:
            continue
        if stage == "scan":
            d.scans += n
            d.visitors += first
        else:
            d.started += n
    for when, n in done:
        if (d := days.get(when)) is not None:
            d.completed += n
    return list(days.values())
