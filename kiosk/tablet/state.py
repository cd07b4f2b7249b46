"""A kiosk's local choices: its device id, the current event, what it offers, its language."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from kiosk.consultations import definitions
from kiosk.consultations import store as consultations
from kiosk.consultations.models import Consultation
from kiosk.core import private_files
from kiosk.core.db import db
from kiosk.core.problems import Problem, ProblemError
from kiosk.core.states import SyncState
from kiosk.core.stored_settings import get_setting, set_setting
from kiosk.events.models import Event
from kiosk.responses import queue


def device_id() -> str | None:
    """This kiosk's device id (enrolled id if any, else a local one); None on the hub."""
    if current_app.config["ROLE"] != "kiosk":
        return None
    enrolled = get_setting("device_id")
    if enrolled:
        return enrolled
    return private_files.read_or_create_text(Path(current_app.instance_path) / "device_id",
                                             lambda: str(uuid.uuid4()))


def current_event_id() -> str | None:
    """The event staff chose; it tags every kiosk response until changed."""
    return get_setting("event_id")


def current_event() -> Event | None:
    """The current event row, if any."""
    eid = current_event_id()
    return db.session.get(Event, eid) if eid else None


def bilingual() -> bool:
    """True when the kiosk offers Welsh as well as English."""
    return "cy" in current_app.config["LANGUAGES"] and len(current_app.config["LANGUAGES"]) > 1


def welsh_gaps(c: Consultation) -> list[str]:
    """Paths of the consultation's texts that lack Welsh (empty when complete)."""
    defn = consultations.definition(c.slug)
    return definitions.missing_welsh(defn) if defn else []


def offerable(c: Consultation) -> bool:
    """A consultation may be offered unless the kiosk is bilingual and its Welsh is missing."""
    return not (bilingual() and welsh_gaps(c))


def offered() -> list[Consultation]:
    """Open consultations this kiosk offers (staff may narrow the list; Welsh gaps are left out)."""
    chosen = get_setting("offered")
    rows = consultations.open_consultations()
    return [c for c in rows if (chosen is None or c.slug in chosen) and offerable(c)]


@dataclass(frozen=True)
class Offer:
    """One open consultation as staff see it: whether it is offered, and any Welsh gaps."""
    consultation: Consultation
    offered: bool
    missing_welsh: list[str]


def offer_choices() -> list[Offer]:
    """Every open consultation with its offered flag and the Welsh it lacks (when bilingual)."""
    chosen = get_setting("offered")
    out = []
    for c in consultations.open_consultations():
        gaps = welsh_gaps(c) if bilingual() else []
        out.append(Offer(c, (chosen is None or c.slug in chosen) and not gaps, gaps))
    return out


class OfferError(ValueError):
    """Consultations that cannot be offered: unknown or closed, or lacking Welsh text."""

    def __init__(self, unknown: list[str], missing_welsh: dict[str, list[str]]) -> None:
        self.unknown, self.missing_welsh = unknown, missing_welsh
        super().__init__(f"not open: {unknown}; Welsh text missing: {missing_welsh}")


def set_offered(slugs: list[str]) -> None:
    """Offer exactly these open consultations; refuse (OfferError) any lacking Welsh text."""
    known = {c.slug: c for c in consultations.open_consultations()}
    unknown = [s for s in slugs if s not in known]
    gaps = {s: welsh_gaps(known[s]) for s in slugs if s in known} if bilingual() else {}
    gaps = {s: paths for s, paths in gaps.items() if paths}
    if unknown or gaps:
        raise OfferError(unknown, gaps)
    set_setting("offered", sorted(set(slugs)))


def set_current_event(event_id: str | None) -> None:
    """Tag the following kiosk responses with this event (None: no event)."""
    if event_id and db.session.get(Event, event_id) is None:
        raise ProblemError([Problem("event", "no such event")])
    set_setting("event_id", event_id or None)


def create_event(name: str, place: str, day: dt.date, name_cy: str = "", place_cy: str = "",
                 description: str = "", description_cy: str = "") -> Event:
    """Create a local event (a stall or meeting) and make it the current one."""
    problems = []
    if not name.strip():
        problems.append(Problem("name", "is required"))
    if not place.strip():
        problems.append(Problem("place", "is required"))
    if problems:
        raise ProblemError(problems)
    title = {"en": name.strip()[:200]} | ({"cy": name_cy.strip()[:200]} if name_cy.strip() else {})
    about = ({"en": description.strip()[:1000]} if description.strip() else {}) | (
        {"cy": description_cy.strip()[:1000]} if description_cy.strip() else {})
    row = Event(id=str(uuid.uuid4()), name=title, place=place.strip()[:300],
                place_cy=place_cy.strip()[:300] or None, description=about or None,
                starts_at=dt.datetime.combine(day, dt.time(9, 0)), consultations=[],
                source="local")
    db.session.add(row)
    db.session.commit()
    set_current_event(row.id)
    return row


def recent_events(limit: int = 50) -> list[Event]:
    """Events staff may choose from, newest first."""
    q = select(Event).order_by(Event.starts_at.desc(), Event.id).limit(limit)
    return list(db.session.execute(q).scalars())


def set_default_language(lang: str) -> None:
    """Set the language the attract screen and a new resident start in."""
    if lang not in current_app.config["LANGUAGES"]:
        raise ProblemError([Problem("language", f"must be one of {current_app.config['LANGUAGES']}")])
    set_setting("language", lang)


@dataclass(frozen=True)
class QueueStatus:
    """Responses held on this machine by sync state, and when the last one reached the hub."""
    counts: dict[SyncState, int]
    last_sync: dt.datetime | None

    @property
    def queued(self) -> int:
        """Responses waiting to be sent to the hub."""
        return self.counts.get(SyncState.QUEUED, 0)


def queue_status() -> QueueStatus:
    """Counts of responses by sync state and the time of the last synced one."""
    return QueueStatus(queue.counts(), queue.last_synced())


def default_language() -> str:
    """The kiosk's default interface language."""
    lang = get_setting("language")
    return lang if lang in current_app.config["LANGUAGES"] else current_app.config["LANGUAGES"][0]
