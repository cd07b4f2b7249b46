"""Staff reports per consultation: a funnel per placement (scans → started → completed), and
responses per channel, event, device and day, with filters and quality flags."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from kiosk.consultations import store as consultations
from kiosk.core.db import db
from kiosk.core.timeutil import london_day
from kiosk.devices import store as devices
from kiosk.events import store as events
from kiosk.outreach import costs, tracking
from kiosk.outreach.models import TrackingCode
from kiosk.outreach.scans import DEVICE_CLASSES
from kiosk.reports import atoms, flags, tallies
from kiosk.reports.filters import Filters, response_query
from kiosk.responses import counting, quality
from kiosk.responses.models import Response
from kiosk.responses.store import CHANNELS

#: The longest run of days drawn in the per-day chart.
MAX_DAYS = 400
LIGHT = (Response.id, Response.uuid, Response.channel, Response.device_id, Response.event_id,
         Response.tracking_code, Response.started_at, Response.submitted_at, Response.review)


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
    #: how many responses carry each flag, and the first flagged ones (kiosk.reports.flags.LISTED) with theirs
    flag_counts: dict[str, int] = field(default_factory=dict)
    flagged: list[Any] = field(default_factory=list)
    flags: dict[str, list[str]] = field(default_factory=dict)

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


def build(slug: str, f: Filters | None = None) -> Report:
    """The report for one consultation under the filters, from the counts kept per London day,
    channel, event, kiosk and code (kiosk.reports.tallies), so it costs the same at any size."""
    f = f or Filters()
    counted = tallies.counts(slug, "report") if f.counted_as_kept() else _counted_live(slug, f)
    kept: list[tuple[dt.date, str, str | None, str | None, str | None, int]] = []
    hits: list[tuple[dt.date, str | None, str, str, bool, int]] = []
    known_devices: set[str] = set()
    for (_v, qid, atom), n in counted.items():
        parts: tuple[Any, ...] = atom  # type: ignore[assignment]  # report and scan atoms are tuples
        if qid == atoms.REPORT:
            when, (channel, event, device, code) = dt.date.fromisoformat(parts[0]), parts[1:]
            if device:
                known_devices.add(device)
            if f.holds(when, channel, event, device, code):
                kept.append((when, channel, event, device, code, n))
        elif qid == atoms.SCANS:
            when, (code, stage, device, first) = dt.date.fromisoformat(parts[0]), parts[1:]
            if f.holds_scan(when, code):
                hits.append((when, code, stage, device, first, n))
    report = Report(slug, f, responses=sum(r[-1] for r in kept))
    channels: Counter[str] = Counter()
    by_event: Counter[str | None] = Counter()
    by_device: Counter[str | None] = Counter()
    for _day, channel, event, device, _code, n in kept:
        channels[channel] += n
        by_event[event] += n
        by_device[device] += n
    report.channels = {ch: channels[ch] for ch in CHANNELS if channels[ch]}
    names = events.names(e for e in by_event if e)
    report.events = [(eid, names.get(eid) if eid else None, n) for eid, n in by_event.most_common()]
    report.devices = dict(by_device.most_common())
    report.device_names = devices.names(known_devices)
    report.device_classes = {d: (sum(h[-1] for h in hits if h[3] == d and h[2] == "scan"),
                                 sum(h[-1] for h in hits if h[3] == d and h[2] == "start"))
                             for d in DEVICE_CLASSES}
    report.placements = _placements(slug, f, kept, hits)
    add_costs(report.placements)
    report.total = Funnel(None, scans=sum(p.scans for p in report.placements),
                          visitors=sum(p.visitors for p in report.placements),
                          started=sum(p.started for p in report.placements),
                          completed=sum(p.completed for p in report.placements))
    report.days = _days(f, kept, hits)
    timed: Counter = Counter({atom: n for (_v, qid, atom), n in counted.items() if qid == atoms.TIMED})
    where = response_query(slug, f).whereclause
    assert where is not None  # it always names the consultation
    report.flag_counts, report.flagged, report.flags = flags.flagged(
        slug, where, LIGHT, timed, quality.too_fast_seconds(consultations.definition(slug)))
    return report


def _counted_live(slug: str, f: Filters) -> Counter[atoms.Key]:
    """Report and scan atoms counted from the rows, for a report that asks for synthetic or excluded
    rows other than the kept counts hold (kiosk.responses.counting): slower, and rarely asked."""
    rows = db.session.execute(response_query(slug, f, *atoms.FOLDED[2:]).execution_options(yield_per=5000))
    out: Counter[atoms.Key] = Counter()
    for at, channel, event, device, code, started in rows:
        out[(0, atoms.REPORT, (london_day(at).isoformat(), channel, event, device, code))] += 1
        if (took := flags.timed_atom(started, at)) is not None:
            out[(0, atoms.TIMED, took)] += 1
    out.update(atoms.fold_scans(db.session.execute(select(*atoms.SCANNED).where(
        counting.counted_scans(slug, synthetic=f.synthetic)).execution_options(yield_per=5000))))
    return out


def add_costs(placements: list[Funnel]) -> None:
    """Give each placement its print cost (looked up by code)."""
    found = costs.for_codes(p.code for p in placements)
    for p in placements:
        p.cost_pence = found.get(p.code) if p.code else None


def _count(target: Funnel | Day, stage: str, n: int, first: bool) -> None:
    if stage == "scan":
        target.scans += n
        target.visitors += n if first else 0
    else:
        target.started += n


def _placements(slug: str, f: Filters, kept: Sequence[tuple], hits: Sequence[tuple]) -> list[Funnel]:
    codes = {c.code for c in tracking.for_consultation(slug)} if not f.code else {f.code}
    codes |= {h[1] for h in hits if h[1]} | {r[4] for r in kept if r[4]}
    known = {t.code: t for t in db.session.execute(
        select(TrackingCode).where(TrackingCode.code.in_(codes))).scalars()} if codes else {}
    funnels = {c: Funnel(c, known[c].label if c in known else c, known[c].kind if c in known else None)
               for c in codes}
    direct = Funnel(None, "", None)
    for _day, code, stage, _device, first, n in hits:
        _count(funnels[code] if code else direct, stage, n, first)
    for _day, channel, _event, _device, code, n in kept:
        if code:
            funnels[code].completed += n
        elif channel == "web":
            direct.completed += n
    out = sorted(funnels.values(), key=lambda p: (p.label.lower(), p.code or ""))
    return out + ([direct] if direct.started or direct.completed else [])


def _days(f: Filters, kept: Sequence[tuple], hits: Sequence[tuple]) -> list[Day]:
    seen = [r[0] for r in kept] + [h[0] for h in hits]
    if not seen and not (f.start and f.end):
        return []
    lo = f.start or min(seen)
    hi = f.end or max(seen)
    lo = max(lo, hi - dt.timedelta(days=MAX_DAYS - 1))
    days = {lo + dt.timedelta(days=i): Day(lo + dt.timedelta(days=i)) for i in range((hi - lo).days + 1)}
    for when, _code, stage, _device, first, n in hits:
        if (d := days.get(when)) is not None:
            _count(d, stage, n, first)
    for when, *_rest, n in kept:
        if (d := days.get(when)) is not None:
            d.completed += n
    return list(days.values())
