"""Free-text answers copied out of responses as they are stored, so staff can read and search them.

Which answers count as free text is read from the definition of the response's version: a
``text`` question (key ``<id>``), the "Other, please say" text of a choice question
(``<id>.other``) and a budget area's comment (``<id>.comments.<area>``). Equality questions are
left out (special-category data is not for a workspace every member of staff reads).

Every write path keeps the copy in step in the same transaction: ORM inserts (a phone, a kiosk,
paper forms) through a flush listener, bulk Core inserts (sync ingest, demo data) by calling
``index_uuids``. Responses stored before this feature are copied on the first visit (``fill``).
The search index itself (SQLite FTS5 / PostgreSQL GIN) follows the ``text_answers`` table: see
``kiosk.analysis.search``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from kiosk.consultations import store as consultations
from kiosk.consultations.types import Definition
from kiosk.core.db import db, dialect_insert
from kiosk.core.timeutil import utcnow
from kiosk.responses.models import Response

from .models import TextAnswer, TextIndexed

CHUNK = 500
#: The columns of a response the copy needs (a bulk path selects only these).
NEEDED = (Response.id, Response.consultation_slug, Response.version, Response.answers,
          Response.language, Response.channel, Response.event_id, Response.tracking_code,
          Response.submitted_at)


def text_keys(defn: Definition) -> tuple[list[str], str | None]:
    """The answer keys that hold free text (budget comments as ``<id>.comments``) and the
    postcode question whose area filters them."""
    keys: list[str] = []
    area_question = None
    for q in defn["questions"]:
        if q.get("equality"):
            continue
        if q["type"] == "text":
            keys.append(q["id"])
        elif q.get("other"):
            keys.append(f"{q['id']}.other")
        elif q["type"] == "budget":
            keys.append(f"{q['id']}.comments")
        elif q["type"] == "postcode" and area_question is None:
            area_question = q["id"]
    return keys, area_question


def texts_of(answers: dict[str, Any], keys: Iterable[str]) -> dict[str, str]:
    """The free texts of one response's answers, keyed as stored in ``text_answers``."""
    out = {}
    for key in keys:
        if key.endswith(".comments"):
            said = (answers.get(key.rsplit(".", 1)[0]) or {})
            said = said.get("comments") if isinstance(said, dict) else None
            for area, value in (said or {}).items():
                if isinstance(value, str) and value.strip():
                    out[f"{key}.{area}"] = value
        elif isinstance(answers.get(key), str) and answers[key].strip():
            out[key] = answers[key]
    return out


def replace_text(answers: dict[str, Any], key: str, new: str) -> dict[str, Any]:
    """A copy of a response's answers with the free text under key replaced."""
    out = dict(answers)
    qid, _, rest = key.partition(".comments.")
    if rest and isinstance(out.get(qid), dict):
        out[qid] = {**out[qid], "comments": {**out[qid].get("comments", {}), rest: new}}
    elif key in out:
        out[key] = new
    else:
        raise KeyError(key)
    return out


def _rows(responses: Sequence[Any], defs: dict[tuple[str, int], Definition | None]) -> list[dict]:
    rows = []
    for r in responses:
        ident = (r.consultation_slug, r.version)
        if ident not in defs:
            defs[ident] = consultations.definition(*ident)
        defn = defs[ident]
        if defn is None:
            continue
        keys, area_question = text_keys(defn)
        place = r.answers.get(area_question) if area_question else None
        area = place.get("area") if isinstance(place, dict) else None
        for key, body in texts_of(r.answers, keys).items():
            rows.append({"response_id": r.id, "consultation_slug": r.consultation_slug,
                         "version": r.version, "question_id": key, "body": body,
                         "language": r.language, "channel": r.channel, "event_id": r.event_id,
                         "tracking_code": r.tracking_code, "area": area,
                         "submitted_at": r.submitted_at, "hidden_from_quotes": False})
    return rows


def _insert(session: Any, rows: list[dict]) -> None:
    if rows:
        conn = session.connection()
        session.execute(dialect_insert(TextAnswer, conn).on_conflict_do_nothing(
            index_elements=["response_id", "question_id"]), rows)


def on_hub() -> bool:
    """Whether this app is a hub (a kiosk keeps no analysis copy of its queue)."""
    return has_app_context() and current_app.config.get("ROLE") == "hub"


def index_uuids(uuids: Iterable[str]) -> None:
    """Copy the free text of responses just inserted by a bulk (Core) path, in its transaction."""
    if not on_hub():
        return
    wanted = list(uuids)
    defs: dict[tuple[str, int], Definition | None] = {}
    for start in range(0, len(wanted), CHUNK):
        found = db.session.execute(select(*NEEDED).where(
            Response.uuid.in_(wanted[start:start + CHUNK]))).all()
        _insert(db.session, _rows(found, defs))


def fill(slug: str) -> None:
    """Copy a consultation's responses stored before this feature existed (once; keeps what is
    already copied, redactions included)."""
    if not on_hub() or db.session.get(TextIndexed, slug) is not None:
        return
    defs: dict[tuple[str, int], Definition | None] = {}
    last = 0
    while True:  # by id, a page at a time: bounded memory at a million responses
        batch = db.session.execute(select(*NEEDED).filter_by(consultation_slug=slug)
                                   .where(Response.id > last).order_by(Response.id).limit(CHUNK)).all()
        if not batch:
            break
        _insert(db.session, _rows(batch, defs))
        last = batch[-1].id
    db.session.execute(dialect_insert(TextIndexed).values(consultation_slug=slug, indexed_at=utcnow())
                       .on_conflict_do_nothing())
    db.session.commit()


def _after_flush(session: Session, _context: Any) -> None:
    """Copy the free text of responses added through the ORM, in the same flush's transaction."""
    new = [o for o in session.new if isinstance(o, Response)]
    if new and on_hub():
        with session.no_autoflush:
            _insert(session, _rows(new, {}))


def init_app(_app: Any) -> None:
    """Keep text answers in step with every response the ORM stores (installed once)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
