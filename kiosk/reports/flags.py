"""Quality flags kept as responses are counted, so a report finds them without reading every row.

The rules are kiosk.responses.quality's, applied to what kiosk.reports.tallies keeps:

- **too fast / too slow**: the robust z-score of log seconds needs the median and the median
  absolute deviation of every time to complete. The tallies keep how many responses took each
  number of seconds (``TIMED`` atoms), which gives both exactly; the flagged responses are then those
  below one cut or above another, found through an index on the time taken (``seconds()``).
- **bursts** (five or more from one kiosk or one code within two minutes): when settled responses are
  counted, each kiosk's and each code's responses around them are read through an index on
  (consultation, kiosk or code, time) and any burst is written to ``response_flags``, the new rows'
  and the older ones a new row joins. A burst never ends by more rows arriving; excluding a response
  drops the consultation's kept counts and flags (kiosk.reports.tallies.forget), which are counted
  afresh.

Flags reach responses once they are settled (kiosk.reports.tallies.SETTLE), not the moment they
arrive.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select

from kiosk.core.db import db, dialect_insert
from kiosk.reports.models import ResponseFlag
from kiosk.responses import quality
from kiosk.responses.models import Response

BURSTS = (("device_id", "burst-device"), ("tracking_code", "burst-code"))
#: Flagged responses a report lists (its counts cover them all).
LISTED = 200


def seconds() -> ColumnElement[Any]:
    """A response's seconds to complete, as the database computes it (the expression its index
    ix_responses_seconds holds, so a range of it is an index lookup)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", Response.submitted_at - Response.started_at)
    return (func.julianday(Response.submitted_at) - func.julianday(Response.started_at)) * 86400.0


def timed_atom(started: dt.datetime | None, submitted: dt.datetime) -> int | float | None:
    """The seconds a response took, as the tallies count it (None when not known or out of order)."""
    if started is None or submitted < started:
        return None
    s = (submitted - started).total_seconds()
    return int(s) if s == int(s) else s


def cuts(timed: Counter, too_fast: int | None = None) -> tuple[float | None, float | None]:
    """The longest time still too fast and the shortest too slow, from {seconds: responses} (the
    rule of quality.outliers, and the consultation's absolute too-fast threshold); None: no such."""
    n = sum(timed.values())
    fast = slow = None
    if n >= quality.OUTLIER_MIN_SAMPLES:
        logs = sorted((math.log1p(s), k) for s, k in timed.items())
        median = _median(logs, n)
        mad = _median(sorted((abs(v - median), k) for v, k in logs), n)
        if mad:
            z = {s: 0.6745 * (math.log1p(s) - median) / mad for s in timed}
            fast = max((s for s, zs in z.items() if zs < -quality.OUTLIER_Z), default=None)
            slow = min((s for s, zs in z.items() if zs > quality.OUTLIER_Z), default=None)
    if too_fast:
        under = max((s for s in timed if s < too_fast), default=None)
        if under is not None:
            fast = under if fast is None else max(fast, under)
    return fast, slow


def _median(values: Sequence[tuple[float, int]], n: int) -> float:
    """statistics.median of a sorted list of (value, how many), n in all."""
    want, seen = [(n - 1) // 2, n // 2], 0
    found: list[float] = []
    for value, k in values:
        seen += k
        while len(found) < 2 and want[len(found)] < seen:
            found.append(value)
    return found[0] if n % 2 else (found[0] + found[1]) / 2


def keep_bursts(slug: str, rows: Iterable[Any], counted: ColumnElement[bool] | None = None) -> None:
    """Write the bursts that settled rows (with id, device_id, tracking_code, submitted_at) are part
    of, reading each kiosk's and code's neighbours within the burst window (counted: which rows
    count, default every response to the consultation)."""
    rows = list(rows)
    where = counted if counted is not None else Response.consultation_slug == slug
    found: list[dict[str, Any]] = []
    for attr, flag in BURSTS:
        groups: dict[str, list[dt.datetime]] = defaultdict(list)
        for r in rows:
            if getattr(r, attr):
                groups[getattr(r, attr)].append(r.submitted_at)
        column = getattr(Response, attr)
        for key, times in groups.items():
            near = db.session.execute(
                select(Response.id, Response.submitted_at).where(
                    where, column == key,
                    Response.submitted_at >= min(times) - quality.BURST_WINDOW,
                    Response.submitted_at <= max(times) + quality.BURST_WINDOW)
                .order_by(Response.submitted_at)).all()
            hit = quality.in_bursts([t for _id, t in near])
            found += [{"response_id": near[i][0], "flag": flag, "consultation_slug": slug} for i in hit]
    if found:
        db.session.execute(dialect_insert(ResponseFlag).on_conflict_do_nothing(), found)


def refresh(slug: str, response_id: int, counted: ColumnElement[bool]) -> None:
    """Work a response's kiosk's and code's bursts out again around it, once it is excluded from
    results (or back in): a burst it made may be gone, or one may form again."""
    r = db.session.execute(select(Response.device_id, Response.tracking_code, Response.submitted_at)
                           .where(Response.id == response_id)).one()
    for attr, flag in BURSTS:
        if not getattr(r, attr):
            continue
        near = db.session.execute(select(Response.id, Response.device_id, Response.tracking_code,
                                         Response.submitted_at).where(
            Response.consultation_slug == slug, getattr(Response, attr) == getattr(r, attr),
            Response.submitted_at.between(r.submitted_at - quality.BURST_WINDOW,
                                          r.submitted_at + quality.BURST_WINDOW))).all()
        db.session.execute(delete(ResponseFlag).where(
            ResponseFlag.flag == flag, ResponseFlag.response_id.in_([n.id for n in near])))
        keep_bursts(slug, [n for n in near if n.id != response_id] or near, counted)


def forget(slug: str) -> None:
    """Drop a consultation's kept bursts (counted afresh with its tallies)."""
    db.session.execute(delete(ResponseFlag).filter_by(consultation_slug=slug))


def flagged(slug: str, where: ColumnElement[bool], columns: Sequence[Any], timed: Counter,
            too_fast: int | None = None, limit: int = LISTED) -> tuple[dict[str, int], list[Any], dict[str, list[str]]]:
    """Flag counts over the responses where selects, the first flagged ones by id (the columns,
    which must hold Response.id, uuid, started_at and submitted_at) and their flags. It reads only
    flagged rows: the outliers through the time-taken index, the bursts from response_flags."""
    fast, slow = cuts(timed, too_fast)
    took = seconds()
    flags: dict[int, list[str]] = defaultdict(list)
    rows: dict[int, Any] = {}
    counts: Counter[str] = Counter()
    slack = 1e-3  # the database's floating-point seconds against the kept ones
    for name, cut, edge in (("too-fast", fast, took <= (fast or 0) + slack),
                            ("too-slow", slow, took >= (slow or 0) - slack)):
        if cut is None:
            continue
        for row in db.session.execute(select(*columns).where(where, Response.started_at.is_not(None), edge)):
            s = timed_atom(row.started_at, row.submitted_at)
            if s is not None and (s <= cut if name == "too-fast" else s >= cut):
                counts[name] += 1
                flags[row.id].append(name)
                rows[row.id] = row
    joined = select(ResponseFlag.flag).join(Response, Response.id == ResponseFlag.response_id).where(
        ResponseFlag.consultation_slug == slug, where)
    for flag, n in db.session.execute(joined.add_columns(func.count()).group_by(ResponseFlag.flag)):
        counts[flag] += int(n)
    for row in db.session.execute(joined.add_columns(*columns).order_by(ResponseFlag.response_id)
                                  .limit(2 * limit)):
        flags[row.id].append(row.flag)
        rows.setdefault(row.id, row)
    first = sorted(rows.values(), key=lambda r: r.id)[:limit]
    return ({flag: counts.get(flag, 0) for flag in quality.FLAGS}, first,
            {r.uuid: sorted(set(flags[r.id]), key=quality.FLAGS.index) for r in first})
