"""Synthetic responses and scans in bulk (``voxbox demo --responses N --scans N``), for demos and
benchmarks at a million rows.

Rows go in through Core ``insert()`` with executemany batches, one transaction a batch, each
marked synthetic. A consultation that has real responses or scans gets none unless forced: spread
over the open consultations, those are skipped; named, it is refused.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import exists, false, insert, select

from kiosk.consultations import store as consultations
from kiosk.consultations.types import Definition
from kiosk.core.db import db
from kiosk.core.timeutil import utcnow
from kiosk.demo import responses as synthetic
from kiosk.outreach import tracking
from kiosk.outreach.models import Scan
from kiosk.responses import counting
from kiosk.responses.models import Response

#: Rows per executemany batch (and per commit).
BATCH = 5000
#: Synthetic rows are dated within this many days before now.
SPREAD_DAYS = 14
Progress = Callable[[int], object]


class Refused(ValueError):
    """Synthetic rows would be mixed with a consultation's real ones, and nobody said --force."""


@dataclass(frozen=True)
class Target:
    """A consultation synthetic rows go to: its slug, current version and definition."""
    slug: str
    version: int
    defn: Definition


def has_real_rows(slug: str) -> bool:
    """Whether a consultation has real (not synthetic) responses or scans."""
    return counting.has_real(slug) or bool(db.session.execute(select(exists().where(
        Scan.consultation_slug == slug, Scan.synthetic.is_(false())))).scalar())


def targets(slug: str | None = None, force: bool = False) -> list[Target]:
    """The consultation named (refused if it has real rows, unless forced), or every open one
    without real rows (all of them, forced); Refused when none is left."""
    if slug is not None:
        c = consultations.get(slug)
        if c is None:
            raise Refused(f"no consultation {slug!r}")
        if not force and has_real_rows(slug):
            raise Refused(f"{slug} has real responses or scans: add --force to mix synthetic rows in")
        found = [c]
    else:
        found = [c for c in consultations.open_consultations() if force or not has_real_rows(c.slug)]
        if not found:
            raise Refused("no open consultation without real responses (name one, with --force)")
    out = []
    for c in found:
        defn = consultations.definition(c.slug)
        assert defn is not None  # a stored consultation has its current version
        out.append(Target(c.slug, c.version, defn))
    return out


def add_responses(found: list[Target], count: int, seed: int | None = None, *, channel: str = "web",
                  device: str | None = None, event: str | None = None, batch: int = BATCH,
                  progress: Progress | None = None) -> int:
    """Add count synthetic responses across the targets, in executemany batches; returns count."""
    rng = random.Random(seed)
    pooled = {t.slug: synthetic.pools(rng, t.defn) for t in found}
    now, span = utcnow(), SPREAD_DAYS * 86400
    done = 0
    while done < count:
        rows = []
        for _ in range(min(batch, count - done)):
            t = rng.choice(found)
            rows.append(synthetic.row(
                rng, t.defn, slug=t.slug, version=t.version, channel=channel, device=device,
                event_id=event, submitted=now - dt.timedelta(seconds=rng.randrange(span)),
                took=rng.randint(40, 600), pooled=pooled[t.slug]))
        db.session.execute(insert(Response.__table__), rows)  # Core: no ORM bookkeeping per row
        db.session.commit()
        done += len(rows)
        if progress:
            progress(len(rows))
    return done


def add_scans(found: list[Target], count: int, seed: int | None = None, *, batch: int = BATCH,
              progress: Progress | None = None) -> int:
    """Add count synthetic scans and starts across the targets' codes (and direct starts)."""
    rng = random.Random(seed)
    codes: dict[str, list[str | None]] = {
        t.slug: [c.code for c in tracking.for_consultation(t.slug)] or [None] for t in found}
    now, span = utcnow(), SPREAD_DAYS * 86400
    devices, weights = ("phone", "tablet", "desktop", "other"), (85, 8, 4, 3)
    done = 0
    while done < count:
        rows = []
        for _ in range(min(batch, count - done)):
            t = rng.choice(found)
            code = rng.choice(codes[t.slug])
            rows.append({"at": now - dt.timedelta(seconds=rng.randrange(span)),
                         "stage": "scan" if code and rng.random() < 0.6 else "start", "code": code,
                         "consultation_slug": t.slug, "device": rng.choices(devices, weights)[0],
                         "first": rng.random() < 0.8, "synthetic": True})
        db.session.execute(insert(Scan.__table__), rows)
        db.session.commit()
        done += len(rows)
        if progress:
            progress(len(rows))
    return done
