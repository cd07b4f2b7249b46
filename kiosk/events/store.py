"""Events: street stalls and meetings (e.g. PACT meetings) where residents answer in person.

Times are stored as naive UTC like everything else; people type and read them in Europe/London.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import select

from kiosk.consultations import store as consultations
from kiosk.core.db import db
from kiosk.core.problems import Problem, ProblemError
from kiosk.core.text import text
from kiosk.core.timeutil import utcnow
from kiosk.events.models import Event

LONDON = ZoneInfo("Europe/London")
#: Demo events get ids derived from their key, so loading the demo twice updates them.
DEMO_NAMESPACE = uuid.UUID("5b0e8f4e-6a3c-4d0e-9b51-7f1c2a9d4e10")


def to_utc(local: dt.datetime) -> dt.datetime:
    """A wall-clock time in Europe/London as naive UTC."""
    aware = local.replace(tzinfo=LONDON) if local.tzinfo is None else local
    return aware.astimezone(dt.UTC).replace(tzinfo=None)


def to_london(value: dt.datetime) -> dt.datetime:
    """A stored naive UTC time as an aware Europe/London time."""
    return value.replace(tzinfo=dt.UTC).astimezone(LONDON)


def check(fields: dict[str, Any]) -> dict[str, Any]:
    """Validate event fields (times in naive UTC); return them cleaned or raise ProblemError."""
    problems: list[Problem] = []
    out: dict[str, Any] = {
        "name": text(fields.get("name"), "name", problems),
        "description": text(fields.get("description"), "description", problems, required=False),
        "place": "",
        "place_cy": None,
        "starts_at": fields.get("starts_at"),
        "ends_at": fields.get("ends_at"),
    }
    place = text(fields.get("place"), "place", problems) or {}
    out["place"], out["place_cy"] = place.get("en", ""), place.get("cy")
    if any(len(v) > 300 for v in place.values()):
        problems.append(Problem("place", "must be at most 300 characters"))
    if not isinstance(out["starts_at"], dt.datetime):
        problems.append(Problem("starts_at", "needs a date and time"))
    elif out["ends_at"] is not None and out["ends_at"] <= out["starts_at"]:
        problems.append(Problem("ends_at", "must be after the start"))
    known = {c.slug for c in consultations.all_consultations()}
    slugs = list(dict.fromkeys(fields.get("consultations") or []))
    for slug in slugs:
        if slug not in known:
            problems.append(Problem("consultations", f"no consultation {slug!r}"))
    out["consultations"] = slugs
    if problems:
        raise ProblemError(problems)
    return out


def create(fields: dict[str, Any], event_id: str | None = None, source: str = "hub") -> Event:
    """Create an event from fields (see check); raise ProblemError when a field is wrong."""
    clean = check(fields)
    row = Event(id=event_id or str(uuid.uuid4()), source=source, **clean)
    db.session.add(row)
    db.session.commit()
    return row


def update(event_id: str, fields: dict[str, Any]) -> Event:
    """Replace an event's fields; raise LookupError if unknown, ProblemError if a field is wrong."""
    row = get(event_id)
    if row is None:
        raise LookupError(f"no event {event_id!r}")
    for key, value in check(fields).items():
        setattr(row, key, value)
    db.session.commit()
    return row


def get(event_id: str | None) -> Event | None:
    """The event with this id, or None."""
    return db.session.get(Event, event_id) if event_id else None


def all_events() -> list[Event]:
    """Every event, soonest first."""
    return list(db.session.execute(select(Event).order_by(Event.starts_at, Event.id)).scalars())


def upcoming(now: dt.datetime | None = None, slug: str | None = None) -> list[Event]:
    """Events not yet over (optionally only those offering one consultation), soonest first."""
    now = now or utcnow()
    rows = [e for e in all_events() if (e.ends_at or e.starts_at) >= now]
    return [e for e in rows if slug is None or slug in (e.consultations or [])]


def names(ids: Iterable[str]) -> dict[str, dict]:
    """Bilingual names of the events with these ids."""
    wanted = [i for i in set(ids) if i]
    if not wanted:
        return {}
    q = select(Event.id, Event.name).where(Event.id.in_(wanted))
    return {eid: name for eid, name in db.session.execute(q).all()}


def load_demo(path: Path, today: dt.date) -> list[Event]:
    """Create or refresh the demo events in a YAML file, dated relative to today."""
    out = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8")):
        day = (dt.date.fromisoformat(str(item["date"])) if "date" in item
               else today + dt.timedelta(days=int(item["in_days"])))
        start = to_utc(dt.datetime.combine(day, dt.time.fromisoformat(item["start"])))
        known = {c.slug for c in consultations.all_consultations()}
        fields = {**item, "starts_at": start,
                  "ends_at": start + dt.timedelta(minutes=int(item["minutes"])),
                  "consultations": [s for s in item.get("consultations", []) if s in known]}
        event_id = str(uuid.uuid5(DEMO_NAMESPACE, item["key"]))
        out.append(update(event_id, fields) if get(event_id) else create(fields, event_id))
    return out
