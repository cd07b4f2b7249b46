"""Consultation operations: import, export, list, look up definitions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from sqlalchemy import func, select

from kiosk.consultations import versioning
from kiosk.consultations.definitions import missing_welsh, questions_hash
from kiosk.consultations.models import Consultation, ConsultationVersion
from kiosk.consultations.types import Definition
from kiosk.core import clock
from kiosk.core.db import db
from kiosk.core.states import CONSULTATION_STATUSES, ConsultationStatus
from kiosk.core.timeutil import london_today
from kiosk.responses.models import Response


@dataclass(frozen=True)
class ImportResult:
    """What importing one definition did, and each thing it changed."""
    slug: str
    version: int
    action: str  # created | updated | new version | unchanged
    changes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportPlan:
    """What importing a definition would do, worked out before anything is stored."""
    slug: str
    exists: bool
    changes: tuple[versioning.Change, ...]
    #: breaking changes to a consultation that already has answers: ask before storing
    needs_confirmation: bool


class BreakingChange(Exception):
    """A breaking version was not confirmed; nothing was stored."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__(f"{plan.slug}: breaking changes need confirmation")
        self.plan = plan




def plan(defn: Definition, status: str | None = None) -> ImportPlan:
    """Compare a validated definition with the stored one; stores nothing."""
    c = get(defn["slug"])
    if c is None:
        return ImportPlan(defn["slug"], False, (), False)
    current = cast(Definition, _version_row(c.id, c.version).definition)
    changes = versioning.diff(current, defn)
    new_status = status or c.status
    if new_status != c.status:
        changes.append(versioning.Change(f"status {c.status} → {new_status}"))
    needs = any(ch.breaking for ch in changes) and _has_responses(c.slug)
    return ImportPlan(c.slug, True, tuple(changes), needs)


def import_definition(defn: Definition, *, status: str | None = None,
                      confirm_breaking: bool = False) -> ImportResult:
    """Store a validated definition; a question change after responses gives a new version.

    The status written in the file applies only when the consultation is created; after that it
    changes only when ``status`` is given. A breaking change to a consultation with answers
    raises BreakingChange unless ``confirm_breaking``.
    """
    if status is not None and status not in CONSULTATION_STATUSES:
        raise ValueError(f"status must be one of {', '.join(CONSULTATION_STATUSES)}, not {status!r}")
    c = get(defn["slug"])
    if c is None:
        defn = {**defn, "status": status or defn["status"]}
        c = Consultation(slug=defn["slug"], version=1)
        db.session.add(c)
        _apply(c, defn)
        db.session.flush()
        db.session.add(ConsultationVersion(consultation_id=c.id, version=1, definition=defn,
                                           questions_hash=questions_hash(defn)))
        db.session.commit()
        return ImportResult(c.slug, 1, "created", (f"status {c.status}",))
    todo = plan(defn, status)
    if todo.needs_confirmation and not confirm_breaking:
        raise BreakingChange(todo)
    defn = {**defn, "status": status or c.status}
    qhash = questions_hash(defn)
    changes = tuple(ch.text for ch in todo.changes)
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
        current.definition = dict(defn)
        current.questions_hash = qhash
        action = "updated"
    db.session.commit()
    return ImportResult(c.slug, c.version, action, changes)


class EnglishOnlyError(ValueError):
    """An English-only consultation may not open on a bilingual site without the explicit override."""


def check_publishable(defn: Definition, languages: list[str] | tuple[str, ...],
                      status: str | None = None) -> None:
    """Refuse to open a consultation lacking Welsh on a bilingual site unless marked english_only.

    Without ``status`` (an import) the file's status counts only for a new consultation, as in
    import_definition; an existing one keeps its own.
    """
    if status is None:
        known = get(defn["slug"])
        status = known.status if known is not None else defn.get("status")
    if status != ConsultationStatus.OPEN or "cy" not in languages or defn.get("english_only"):
        return
    gaps = missing_welsh(defn)
    if gaps:
        raise EnglishOnlyError(
            f"{defn['slug']}: Welsh text missing ({', '.join(gaps[:3])}{', …' if len(gaps) > 3 else ''}); "
            "add it, or publish it as English only (english_only: true)")


def set_status(slug: str, status: str, languages: list[str] | tuple[str, ...] = ("en",),
               english_only: bool = False) -> ImportResult:
    """Publish (open), close or withdraw (draft) a consultation; its questions stay as they are."""
    if status not in CONSULTATION_STATUSES:
        raise ValueError(f"status must be one of {', '.join(CONSULTATION_STATUSES)}, not {status!r}")
    defn = definition(slug)
    if defn is None:
        raise ValueError(f"no consultation {slug!r}")
    changed = {**defn, "english_only": True} if english_only else defn
    check_publishable(changed, languages, status)
    return import_definition(changed, status=status)


def _apply(c: Consultation, defn: Definition) -> None:
    c.status = defn["status"]
    c.title = defn["title"]
    c.summary = defn.get("summary")
    c.opens = dt.date.fromisoformat(opens) if (opens := defn.get("opens")) else None
    c.closes = dt.date.fromisoformat(closes) if (closes := defn.get("closes")) else None
    c.results = defn.get("results")


def _meta_matches(c: Consultation, defn: Definition) -> bool:
    probe = Consultation()
    _apply(probe, defn)
    return all(getattr(probe, k) == getattr(c, k)
               for k in ("status", "title", "summary", "opens", "closes", "results"))


def _has_responses(slug: str, version: int | None = None) -> bool:
    q = select(func.count()).select_from(Response).filter_by(consultation_slug=slug)
    if version is not None:
        q = q.filter_by(version=version)
    return db.session.execute(q).scalar_one() > 0


def _version_row(consultation_id: int, version: int) -> ConsultationVersion:
    return db.session.execute(
        select(ConsultationVersion).filter_by(consultation_id=consultation_id, version=version)
    ).scalar_one()


def get(slug: str) -> Consultation | None:
    """The consultation with this slug, or None."""
    return db.session.execute(select(Consultation).filter_by(slug=slug)).scalar_one_or_none()


def definition(slug: str, version: int | None = None) -> Definition | None:
    """A consultation's definition at a version (default: current), or None."""
    c = get(slug)
    if c is None:
        return None
    row = db.session.execute(
        select(ConsultationVersion).filter_by(consultation_id=c.id, version=version or c.version)
    ).scalar_one_or_none()
    return cast(Definition, row.definition) if row else None


def is_open(c: Consultation, today: dt.date | None = None) -> bool:
    """Open for answers: status open and today within its dates."""
    today = today or _today()
    return (c.status == ConsultationStatus.OPEN and (c.opens is None or c.opens <= today)
            and (c.closes is None or today <= c.closes))


def _today() -> dt.date:
    """Today; on a kiosk, by the hub's clock as measured at the last pull (its own may be wrong)."""
    from flask import current_app

    if current_app and current_app.config["ROLE"] == "kiosk":
        return london_today(clock.skew() or 0)
    return london_today()


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


def merged_definition(slug: str) -> Definition | None:
    """A consultation's questions across all its versions (see versioning.merge), or None."""
    c = get(slug)
    if c is None:
        return None
    return versioning.merge([(v.version, cast(Definition, v.definition)) for v in versions(slug)],
                            c.version)
