"""Keeping the counts: settled responses and scans counted into ``tally_atoms`` up to a mark.

Responses are counted only once they are SETTLE old: on PostgreSQL a transaction can commit a lower
id after a higher one, and a mark must never pass a row not yet visible. Only one process moves a
mark; another counting the same rows at once rolls back with its counts. Excluding a response (or
undoing it) adjusts the counts at once; a change of which rows count (the first real response after
synthetic ones) drops them, and they are counted afresh.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from kiosk.consultations.types import Definition
from kiosk.core.db import db, dialect_insert, rowcount
from kiosk.core.timeutil import utcnow
from kiosk.outreach import scans
from kiosk.outreach.models import Scan
from kiosk.reports import flags
from kiosk.reports.atoms import (
    CHUNK,
    FOLDED,
    SCANNED,
    SCANS,
    SETTLE,
    SYNTHETIC,
    Key,
    atom_text,
    fold,
    fold_scans,
)
from kiosk.reports.models import TallyAtom, TallyMark
from kiosk.responses import counting
from kiosk.responses.models import Response


def catch_up(slug: str) -> tuple[int, int]:
    """Count settled responses and scans after their marks into the stored atoms; the two marks
    after it. Another process counting the same rows at once loses nothing: only one moves a mark,
    and the other's counts go with its rolled-back transaction."""
    defs: dict[int, Definition | None] = {}
    synthetic = _synthetic_mode(slug)
    where = counting.counted(slug, synthetic=synthetic)

    def counted(rows: list[Any]) -> Counter[Key]:
        flags.keep_bursts(slug, rows, where)
        return fold(slug, (tuple(r)[4:] for r in rows), defs)  # after row_id, arrived, counted, id

    responses = _catch_up(slug, slug, Response, Response.received_at, (Response.id, *FOLDED), counted, where)
    scans.flush()  # this process's queued scans count too
    seen = _catch_up(slug, SCANS + ":" + slug, Scan, Scan.at, SCANNED,
                     lambda rows: fold_scans(tuple(r)[3:] for r in rows),
                     counting.counted_scans(slug, synthetic=synthetic))
    return responses, seen


def _synthetic_mode(slug: str) -> bool:
    """Whether synthetic rows count (kiosk.responses.counting); the stored counts are forgotten when
    that changes (a consultation of synthetic rows gets its first real one), and kept with a mark
    saying they hold synthetic rows."""
    synthetic = counting.with_synthetic(slug)
    name = SYNTHETIC + ":" + slug
    if (db.session.get(TallyMark, name) is not None) != synthetic:
        forget(slug)
        if synthetic:
            db.session.add(TallyMark(consultation_slug=name, last_id=0, folded_at=utcnow()))
        db.session.commit()
    return synthetic


def adjust(slug: str, response_id: int, sign: int) -> None:
    """Take a response out of (sign -1) or put it back into (+1) the stored counts, when they
    already hold it (staff excluded it from results, or undid that); later ones are counted live."""
    if response_id > _mark(slug):
        return
    row = db.session.execute(select(*FOLDED).where(Response.id == response_id)).one()
    _add(slug, Counter({k: sign * n for k, n in fold(slug, [tuple(row)]).items()}))
    flags.refresh(slug, response_id, counting.counted(slug))


def _catch_up(slug: str, name: str, table: Any, arrived: Any, columns: Sequence[Any],
              folder: Callable[[list[Any]], Counter[Key]], counted: Any) -> int:
    last = _mark(name)
    while True:
        settled_before = utcnow() - SETTLE
        batch = db.session.execute(
            select(table.id.label("row_id"), arrived.label("arrived"), counted.label("counted"), *columns)
            .where(table.consultation_slug == slug, table.id > last)
            .order_by(table.id).limit(CHUNK)).all()
        settled = []
        for row in batch:
            if row.arrived > settled_before:
                break
            settled.append(row)
        if not settled:
            db.session.commit()  # end the read transaction either way
            return last
        try:
            if not _move_mark(name, last, settled[-1].row_id):
                db.session.rollback()
                return _mark(name)
            _add(slug, folder([r for r in settled if r.counted]))  # the mark passes uncounted rows too
            db.session.commit()
        except DBAPIError:  # SQLite: another writer moved first (a stale snapshot)
            db.session.rollback()
            return _mark(name)
        last = settled[-1].row_id
        if len(settled) < len(batch) or len(batch) < CHUNK:
            return last


def _mark(name: str) -> int:
    found = db.session.execute(select(TallyMark.last_id).filter_by(consultation_slug=name)).scalar()
    return int(found or 0)


def _move_mark(slug: str, old: int, new: int) -> bool:
    """Move the mark from old to new, or say someone else already moved it."""
    now = utcnow()
    if old == 0 and db.session.get(TallyMark, slug) is None:
        made = db.session.execute(dialect_insert(TallyMark).values(
            consultation_slug=slug, last_id=new, folded_at=now).on_conflict_do_nothing()
            .returning(TallyMark.consultation_slug))  # (an ORM insert's rowcount is -1 on PostgreSQL)
        return made.first() is not None
    done = db.session.execute(update(TallyMark).where(
        TallyMark.consultation_slug == slug, TallyMark.last_id == old).values(last_id=new, folded_at=now))
    return rowcount(done) == 1


def _add(slug: str, counts: Counter[Key]) -> None:
    if not counts:
        return
    ins = dialect_insert(TallyAtom)
    db.session.execute(ins.on_conflict_do_update(
        index_elements=["consultation_slug", "version", "question_id", "atom"],
        set_={"n": TallyAtom.n + ins.excluded.n}),
        [{"consultation_slug": slug, "version": v, "question_id": qid, "atom": atom_text(atom), "n": n}
         for (v, qid, atom), n in counts.items()])


def forget(slug: str) -> None:
    """Drop a consultation's stored tallies (they are counted afresh on next use): for the rare
    change to stored responses, such as excluding one from results."""
    db.session.execute(delete(TallyAtom).filter_by(consultation_slug=slug))
    db.session.execute(delete(TallyMark).where(TallyMark.consultation_slug.in_(
        [slug, SCANS + ":" + slug, SYNTHETIC + ":" + slug])))
    flags.forget(slug)
