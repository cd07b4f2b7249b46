"""Consultation operations: import, export, list, look up definitions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from .db import db
from .definitions import missing_welsh, questions_hash
from .models import Consultation, ConsultationVersion, Response


@dataclass(frozen=True)
class ImportResult:
    """What importing one definition did."""

    slug: str
    version: int
    action: str  # created | updated | new version | unchanged


def import_definition(defn: dict) -> ImportResult:
    """Store a validated definition; a question change after responses gives a new version."""
    c = db.session.execute(select(Consultation).filter_by(slug=defn["slug"])).scalar_one_or_none()
    qhash = questions_hash(defn)
    if c is None:
        c = Consultation(slug=defn["slug"], version=1)
        db.session.add(c)
        _apply(c, defn)
        db.session.flush()
        db.session.add(ConsultationVersion(consultation_id=c.id, version=1, definition=defn,
                                           questions_hash=qhash))
        db.session.commit()
        return ImportResult(c.slug, 1, "created")
    current = _version_row(c.id, c.version)
    if current.definition == defn and _meta_matches(c, defn):
        return ImportResult(c.slug, c.version, "unchanged")
    _apply(c, defn)
    if current.questions_hash != qhash and _has_responses(c.slug, c.version):
        c.version += 1
        db.session.add(ConsultationVersion(consultation_id=c.id, version=c.version,
                                           definition=defn, questions_hash=qhash))
        action = "new version"
    else:
        current.definition = defn
        current.questions_hash = qhash
        action = "updated"
    db.session.commit()
    return ImportResult(c.slug, c.version, action)


STATUSES = ("draft", "open", "closed")


class EnglishOnlyError(ValueError):
    """An English-only consultation may not open on a bilingual site without the explicit override."""


def check_publishable(defn: dict, languages: list[str] | tuple[str, ...]) -> None:
    """Refuse to open a consultation lacking Welsh on a bilingual site unless marked english_only."""
    if defn.get("status") != "open" or "cy" not in languages or defn.get("english_only"):
        return
    gaps = missing_welsh(defn)
    if gaps:
        raise EnglishOnlyError(
            f"{defn['slug']}: Welsh text missing ({', '.join(gaps[:3])}{', …' if len(gaps) > 3 else ''}); "
            "add it, or publish it as English only (english_only: true)")


def set_status(slug: str, status: str, languages: list[str] | tuple[str, ...] = ("en",),
               english_only: bool = False) -> ImportResult:
    """Publish (open), close or withdraw (draft) a consultation; its questions stay as they are."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    defn = definition(slug)
    if defn is None:
        raise ValueError(f"no consultation {slug!r}")
    changed = {**defn, "status": status}
    if english_only:
        changed["english_only"] = True
    check_publishable(changed, languages)
    return import_definition(changed)


def _apply(c: Consultation, defn: dict) -> None:
    c.status = defn["status"]
    c.title = defn["title"]
    c.summary = defn.get("summary")
    c.opens = dt.date.fromisoformat(defn["opens"]) if defn.get("opens") else None
    c.closes = dt.date.fromisoformat(defn["closes"]) if defn.get("closes") else None
    c.results = defn.get("results")


def _meta_matches(c: Consultation, defn: dict) -> bool:
    probe = Consultation()
    _apply(probe, defn)
    return all(getattr(probe, k) == getattr(c, k)
               for k in ("status", "title", "summary", "opens", "closes", "results"))


def _has_responses(slug: str, version: int) -> bool:
    q = select(func.count()).select_from(Response).filter_by(consultation_slug=slug, version=version)
    return db.session.execute(q).scalar_one() > 0


def _version_row(consultation_id: int, version: int) -> ConsultationVersion:
    return db.session.execute(
        select(ConsultationVersion).filter_by(consultation_id=consultation_id, version=version)
    ).scalar_one()


def get(slug: str) -> Consultation | None:
    """The consultation with this slug, or None."""
    return db.session.execute(select(Consultation).filter_by(slug=slug)).scalar_one_or_none()


def definition(slug: str, version: int | None = None) -> dict | None:
    """A consultation's definition at a version (default: current), or None."""
    c = get(slug)
    if c is None:
        return None
    row = db.session.execute(
        select(ConsultationVersion).filter_by(consultation_id=c.id, version=version or c.version)
    ).scalar_one_or_none()
    return row.definition if row else None


def is_open(c: Consultation, today: dt.date | None = None) -> bool:
    """Open for answers: status open and today within its dates."""
    today = today or dt.date.today()
    return (c.status == "open" and (c.opens is None or c.opens <= today)
            and (c.closes is None or today <= c.closes))


def all_consultations() -> list[Consultation]:
    """Every consultation, by slug."""
    return list(db.session.execute(select(Consultation).order_by(Consultation.slug)).scalars())


def open_consultations() -> list[Consultation]:
    """Consultations residents can answer now, closing soonest first."""
    rows = [c for c in all_consultations() if is_open(c)]
    return sorted(rows, key=lambda c: (c.closes or dt.date.max, c.slug))


def versions(slug: str) -> list[ConsultationVersion]:
    """All stored versions of a consultation, oldest first."""
    c = get(slug)
    if c is None:
        return []
    q = select(ConsultationVersion).filter_by(consultation_id=c.id).order_by(ConsultationVersion.version)
    return list(db.session.execute(q).scalars())
