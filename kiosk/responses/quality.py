"""Quality signals on responses: unusual time to complete, and bursts from one device or code.

Signals flag responses for a person to look at; nothing is deleted, and nothing is left out of a
figure until a person excludes it (kiosk.responses.review).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kiosk.consultations.types import Definition

#: Modified z-score (on log seconds) beyond which a time to complete is an outlier.
OUTLIER_Z = 3.5
#: Fewest timed responses before outliers are judged at all.
OUTLIER_MIN_SAMPLES = 10
#: A burst: at least BURST_SIZE responses from one device or one code within BURST_WINDOW.
BURST_SIZE = 5
BURST_WINDOW = dt.timedelta(minutes=2)
FLAGS = ("too-fast", "too-slow", "burst-device", "burst-code")


class Timed(Protocol):
    uuid: str
    device_id: str | None
    tracking_code: str | None
    started_at: dt.datetime | None
    submitted_at: dt.datetime


def seconds_to_complete(r: Timed) -> float | None:
    """Seconds from start to submission, when both are known and in order."""
    if r.started_at is None or r.submitted_at < r.started_at:
        return None
    return (r.submitted_at - r.started_at).total_seconds()


def outliers(rows: Sequence[Timed]) -> dict[str, str]:
    """too-fast / too-slow by uuid, by a robust (median, MAD) z-score of log seconds."""
    timed = [(r.uuid, math.log1p(s)) for r in rows if (s := seconds_to_complete(r)) is not None]
    if len(timed) < OUTLIER_MIN_SAMPLES:
        return {}
    values = [v for _, v in timed]
    median = statistics.median(values)
    mad = statistics.median(abs(v - median) for v in values)
    if mad == 0:
        return {}
    out = {}
    for uuid, v in timed:
        z = 0.6745 * (v - median) / mad
        if z < -OUTLIER_Z:
            out[uuid] = "too-fast"
        elif z > OUTLIER_Z:
            out[uuid] = "too-slow"
    return out


def in_bursts(times: Sequence[dt.datetime], size: int = BURST_SIZE,
              window: dt.timedelta = BURST_WINDOW) -> set[int]:
    """Indexes (into times, sorted ascending) inside any window holding at least size items."""
    hit: set[int] = set()
    lo = 0
    for hi in range(len(times)):
        while times[hi] - times[lo] > window:
            lo += 1
        if hi - lo + 1 >= size:
            hit.update(range(lo, hi + 1))
    return hit


def bursts(rows: Iterable[Timed], attr: str) -> set[str]:
    """uuids of responses in a burst from one value of attr (device_id or tracking_code)."""
    groups: dict[str, list[Timed]] = defaultdict(list)
    for r in rows:
        key = getattr(r, attr)
        if key:
            groups[key].append(r)
    out: set[str] = set()
    for group in groups.values():
        group.sort(key=lambda r: r.submitted_at)
        out.update(group[i].uuid for i in in_bursts([r.submitted_at for r in group]))
    return out


def too_fast_seconds(defn: Definition | None) -> int | None:
    """A consultation's absolute too-fast threshold (``quality: {too_fast_seconds: N}``), if set."""
    return None if defn is None else defn.get("quality", {}).get("too_fast_seconds")


def under(rows: Iterable[Timed], seconds: int | None) -> set[str]:
    """uuids of responses completed in fewer than the given seconds (none when it is unset)."""
    if not seconds:
        return set()
    return {r.uuid for r in rows if (s := seconds_to_complete(r)) is not None and s < seconds}


def flags(rows: Sequence[Timed], too_fast: int | None = None) -> dict[str, list[str]]:
    """Every flag raised, by response uuid (responses without flags are left out): too-fast by the
    robust z-score or, when the consultation sets one, under an absolute number of seconds."""
    out: dict[str, list[str]] = defaultdict(list)
    timed = outliers(rows)
    for uuid in under(rows, too_fast):
        timed.setdefault(uuid, "too-fast")
    for uuid, flag in timed.items():
        out[uuid].append(flag)
    for uuid in bursts(rows, "device_id"):
        out[uuid].append("burst-device")
    for uuid in bursts(rows, "tracking_code"):
        out[uuid].append("burst-code")
    return dict(out)
