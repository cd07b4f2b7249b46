"""Demo content for the hub's public site and reports: events, placements, scans and responses.

Everything is seeded from a fixed random seed and only once, so `voxbox demo` stays idempotent.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, insert, select

from kiosk.analysis import texts
from kiosk.consultations import store as consultations
from kiosk.core.db import db
from kiosk.core.timeutil import london_today, utcnow
from kiosk.demo import responses as synthetic
from kiosk.events import store as events
from kiosk.outreach import destinations, tracking
from kiosk.outreach.models import Scan
from kiosk.responses.models import Response

if TYPE_CHECKING:
    from kiosk.consultations.models import Consultation
    from kiosk.consultations.types import Definition, Question

EVENTS_FILE = Path(__file__).parent / "events" / "street-events.yaml"
CLOSED = "town-centre-safety"
OPEN = "policing-priorities"
#: Fixed demo placements: (code body, kind, label, location).
PLACEMENTS = (("BUSST", "bus_stop", "Bus station, stand C", "Avonbridge bus station"),
              ("CUTTW", "cutout", "Cardboard cutout, town hall foyer", "Town hall"),
              ("RVRSE", "leaflet", "Leaflets, Riverside estate", None))
DEMO_KIOSK = str(uuid.uuid5(events.DEMO_NAMESPACE, "kiosk-1"))


def code_for(body: str) -> str:
    """A demo placement's full code (body plus check character)."""
    return body + tracking.check_char(body)


def load(today: dt.date | None = None, history: bool = False) -> Iterator[str]:
    """Load demo events; with history, placements and (once) seeded scans and responses."""
    today = today or london_today()
    found = events.load_demo(EVENTS_FILE, today)
    yield f"events: {len(found)} demo events"
    if not history or consultations.get(CLOSED) is None or consultations.get(OPEN) is None:
        return
    for body, kind, label, location in PLACEMENTS:
        if tracking.get(code_for(body)) is None:
            tracking.create(CLOSED, kind, label, location, code=code_for(body))
    done = db.session.execute(select(func.count()).select_from(Response)
                              .filter_by(consultation_slug=CLOSED)).scalar_one()
    if done:
        return
    rng = random.Random(2026)
    fair = str(uuid.uuid5(events.DEMO_NAMESPACE, "summer-fair"))
    closed = consultations.get(CLOSED)
    # seeded above, with dates
    assert closed is not None and closed.opens is not None and closed.closes is not None
    start = dt.datetime.combine(closed.opens, dt.time(8))
    span = int((dt.datetime.combine(closed.closes, dt.time(20)) - start).total_seconds())
    made = _history(rng, CLOSED, start, span, [code_for(p[0]) for p in PLACEMENTS], 260, fair)
    # The bus station poster stays up: re-point it at the open consultation, as staff would.
    destinations.repoint(code_for("BUSST"), OPEN, destinations.CLI)
    recent = utcnow() - dt.timedelta(days=13)
    made += _history(rng, OPEN, recent, 13 * 86400, [code_for("BUSST")], 60, None)
    yield f"reports: {made} demo responses with scans across placements"


def _history(rng: random.Random, slug: str, start: dt.datetime, span: int, codes: list[str],
             visitors: int, event_id: str | None) -> int:
    """Scans → starts → responses for slug, plus kiosk responses at event_id; returns responses."""
    c = consultations.get(slug)
    defn = consultations.definition(slug)
    assert c is not None and defn is not None  # seeded above
    scans, rows = [], []
    for _ in range(visitors):
        code = rng.choice(codes)
        at = start + dt.timedelta(seconds=rng.randrange(span))
        device = rng.choices(("phone", "tablet", "desktop", "other"), (85, 8, 4, 3))[0]
        scans.append(_scan("scan", slug, code, device, at, True))
        if rng.random() < 0.2:  # some scan twice
            scans.append(_scan("scan", slug, code, device, at + dt.timedelta(hours=3), False))
        if rng.random() < 0.8:
            scans.append(_scan("start", slug, code, device, at + dt.timedelta(seconds=4), True))
            if rng.random() < 0.7:
                rows.append(_response(rng, c, defn, "web", None, None, code,
                                      at + dt.timedelta(seconds=rng.randint(90, 600))))
    if event_id:
        stall = events.get(event_id)
        assert stall is not None  # seeded above
        at = stall.starts_at
        for i in range(40):
            at += dt.timedelta(seconds=15 if 20 <= i <= 24 else rng.randint(150, 420))
            rows.append(_response(rng, c, defn, "kiosk", DEMO_KIOSK, event_id, None, at,
                                  fast=i in (7, 31)))
        paper = start + dt.timedelta(days=40)
        rows += [_response(rng, c, defn, "paper", None, None, None, paper) for _ in range(12)]
    if scans:
        db.session.execute(insert(Scan), scans)
    db.session.execute(insert(Response), rows)
    texts.index_uuids(r["uuid"] for r in rows)
    db.session.commit()
    return len(rows)


def _scan(stage: str, slug: str, code: str, device: str, at: dt.datetime, first: bool) -> dict:
    return {"at": at, "stage": stage, "code": code, "consultation_slug": slug, "device": device,
            "first": first}


def _would_help(q: Question, rng: random.Random) -> str | None:
    """The demo's story: lighting is what most residents say would help."""
    if q["id"] != "would_help":
        return None
    return rng.choices(["lighting", "patrols", "cctv", "transport"], (45, 30, 15, 10))[0]


def _response(rng: random.Random, c: Consultation, defn: Definition, channel: str, device: str | None,
              event_id: str | None, code: str | None, submitted: dt.datetime,
              fast: bool = False) -> dict:
    return synthetic.row(rng, defn, slug=c.slug, version=c.version, channel=channel,
                         submitted=submitted, took=4 if fast else (lambda: rng.randint(70, 420)),
                         device=device, event_id=event_id, code=code, pick=_would_help)
