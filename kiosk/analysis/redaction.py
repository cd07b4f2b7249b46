"""Redacting personal data from a free-text answer, and keeping answers out of published quotes.

A redaction replaces spans of the answer with ``[redacted]`` and nothing else (so an answer can
be cut, never reworded). The original is destroyed wherever the hub keeps it: the response's
answers, the text copy, and the search index. On SQLite (``secure_delete`` is on for every hub
connection) the FTS5 index is rebuilt from its segments (``optimize``) so no segment still
holds the old words, and the WAL is checkpointed and truncated, so no old page image remains in
either file. On PostgreSQL the old row versions stay in the table files until ``VACUUM`` (see
README). The response's ``content_hash`` is kept, so a kiosk resending the original is still
acknowledged as a duplicate. The audit log says who, when and why; never the text.
"""

from __future__ import annotations

import re

from sqlalchemy import select, text

from kiosk.core import audit
from kiosk.core.db import db
from kiosk.core.problems import Problem, ProblemError
from kiosk.core.timeutil import utcnow
from kiosk.responses.models import Response

from . import texts
from .models import TextAnswer

MARK = "[redacted]"
REASON_MAX = 200


def answer(slug: str, answer_id: int) -> TextAnswer:
    """One free-text answer of this consultation; ProblemError otherwise."""
    row = db.session.get(TextAnswer, answer_id)
    if row is None or row.consultation_slug != slug:
        raise ProblemError([Problem("answer", "is not an answer to this consultation")])
    return row


def only_cuts(original: str, redacted: str) -> bool:
    """Whether redacted is original with some spans replaced by ``[redacted]`` and nothing else."""
    pieces = redacted.split(MARK)
    if len(pieces) < 2:
        return False
    pattern = "(?:.+?)".join(re.escape(p) for p in pieces)
    return re.fullmatch(pattern, original, re.S) is not None


def redact(slug: str, answer_id: int, redacted: str, reason: str, actor: str, address: str = "") -> None:
    """Replace an answer by its redacted form, destroy the original, and log who and why."""
    row = answer(slug, answer_id)
    reason = " ".join(reason.split())
    problems = []
    if not reason:
        problems.append(Problem("reason", "say why (for example: a name, a phone number)"))
    elif len(reason) > REASON_MAX:
        problems.append(Problem("reason", f"at most {REASON_MAX} characters"))
    if not only_cuts(row.body, redacted):
        problems.append(Problem("redacted", f"replace the personal data with {MARK} and change "
                                            "nothing else"))
    if problems:
        raise ProblemError(problems)
    response = db.session.get(Response, row.response_id)
    assert response is not None  # text answers are deleted with their response
    response.answers = texts.replace_text(response.answers, row.question_id, redacted)
    row.body = redacted
    row.redacted_at = utcnow()
    db.session.flush()
    _purge_index()
    db.session.commit()
    _checkpoint()
    audit.record("answer.redact", f"{slug}#{answer_id}", actor, address, reason=reason)


def _purge_index() -> None:
    """Merge the FTS5 segments so none still lists the words taken out (SQLite only)."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(text("INSERT INTO text_answers_fts(text_answers_fts) VALUES ('optimize')"))


def _checkpoint() -> None:
    """Copy the WAL into the database file and truncate it (SQLite only)."""
    if db.session.get_bind().dialect.name == "sqlite":
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def set_hidden(slug: str, answer_id: int, hidden: bool, actor: str, address: str = "") -> None:
    """Keep an answer out of public quotes (or let it back in), logged."""
    row = answer(slug, answer_id)
    row.hidden_from_quotes = hidden
    audit.record("answer.quote", f"{slug}#{answer_id}", actor, address,
                 state="hidden" if hidden else "quotable")


def quotable(slug: str, include_redacted: bool = False, limit: int | None = None) -> list[TextAnswer]:
    """Answers the results editor may quote: not hidden and (unless asked) not redacted, newest first."""
    query = select(TextAnswer).where(TextAnswer.consultation_slug == slug,
                                     TextAnswer.hidden_from_quotes.is_(False))
    if not include_redacted:
        query = query.where(TextAnswer.redacted_at.is_(None))
    query = query.order_by(TextAnswer.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.execute(query).scalars())
