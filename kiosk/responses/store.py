"""Storing and reading responses: validated, hashed, committed before the resident is thanked."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import uuid as uuidlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from kiosk.consultations import routing, versioning
from kiosk.consultations.definitions import canonical
from kiosk.consultations.questions import registry as questions
from kiosk.consultations.types import Definition
from kiosk.core.db import db
from kiosk.core.problems import Problem, ProblemError
from kiosk.core.timeutil import iso, utcnow
from kiosk.responses import counting, exports
from kiosk.responses.models import Draft, Response

CHANNELS = ("kiosk", "web", "paper")
#: The CSV cell of a question the resident was routed past (an empty cell: shown, not answered).
NOT_SHOWN = exports.NOT_SHOWN
HASHED = ("uuid", "consultation", "version", "answers", "language", "channel", "device_id",
          "event_id", "tracking_code", "started_at", "submitted_at")


def wire(r: Response) -> dict[str, Any]:
    """A response as its canonical wire record (what sync sends and hashes)."""
    return {
        "uuid": r.uuid,
        "consultation": r.consultation_slug,
        "version": r.version,
        "answers": r.answers,
        "language": r.language,
        "channel": r.channel,
        "device_id": r.device_id,
        "event_id": r.event_id,
        "tracking_code": r.tracking_code,
        "started_at": iso(r.started_at),
        "submitted_at": iso(r.submitted_at),
    }


def content_hash(record: Mapping[str, Any]) -> str:
    """SHA-256 over the canonical JSON of a wire record's immutable fields."""
    return hashlib.sha256(canonical({k: record.get(k) for k in HASHED}).encode()).hexdigest()


def submit(defn: Definition, version: int, answers: dict[str, Any], *, language: str, channel: str,
           device_id: str | None = None, event_id: str | None = None,
           tracking_code: str | None = None, started_at: dt.datetime | None = None,
           draft_token: str | None = None, uuid: str | None = None) -> Response:
    """Validate and durably store a response; raise ProblemError naming each bad field.

    A kiosk passes the draft the answers came from: it is deleted in the same transaction, so
    one commit both stores the response and forgets the partial answers, whatever crashes when.
    A phone passes the uuid minted when its form was served: the response is stored once under
    it (the same unique-constraint rule as sync), so a resubmission, or a retry after a COMMIT
    whose answer was lost, returns the stored response instead of storing a second one.
    """
    if uuid is not None:
        stored = _stored_once(uuid, defn["slug"])
        if stored is not None:
            return stored
    answers = routing.prune(defn, answers)  # a hidden question's answer is never stored
    errors = questions.check_answers(defn, answers)
    if errors:
        raise ProblemError([Problem(k, v) for k, v in errors.items()])
    if channel not in CHANNELS:
        raise ProblemError([Problem("channel", f"must be one of {', '.join(CHANNELS)}")])
    answers = {k: v for k, v in answers.items() if v not in (None, "", [])}
    r = Response(
        uuid=uuid or str(uuidlib.uuid4()), consultation_slug=defn["slug"], version=version,
        answers=answers, language=language, channel=channel, device_id=device_id,
        event_id=event_id, tracking_code=tracking_code, started_at=started_at,
        submitted_at=utcnow(),
    )
    r.content_hash = content_hash(wire(r))
    db.session.add(r)
    if draft_token:
        db.session.execute(delete(Draft).where(Draft.token == draft_token))
    try:
        db.session.commit()
    except DBAPIError as exc:
        # A unique violation (the same form posted twice at once), or an error after COMMIT
        # was sent (the connection dropped before its answer came back): ask what is stored.
        db.session.rollback()
        if uuid is None and not isinstance(exc, IntegrityError):
            raise
        stored = _stored_once(r.uuid, defn["slug"])
        if stored is None:
            raise
        return stored
    return r


def _stored_once(uuid: str, slug: str) -> Response | None:
    """The response already stored under uuid for this consultation, or None; a uuid taken by
    another consultation's response is a client error, not a thank-you."""
    stored = by_uuid(uuid)
    if stored is not None and stored.consultation_slug != slug:
        raise ProblemError([Problem("response_id", "belongs to another consultation")])
    return stored


def is_response_id(value: str | None) -> bool:
    """Whether value is a well-formed response id (a UUID in its canonical text form)."""
    try:
        return value is not None and str(uuidlib.UUID(value)) == value
    except ValueError:
        return False


def new_response_id() -> str:
    """A fresh response id, minted when a phone's form is served."""
    return str(uuidlib.uuid4())


def by_uuid(value: str) -> Response | None:
    """The response with this UUID, or None."""
    return db.session.execute(select(Response).filter_by(uuid=value)).scalar_one_or_none()


def for_consultation(slug: str, *, synthetic: bool | None = None,
                     excluded: bool = False) -> Iterator[Response]:
    """The responses to a consultation that count (kiosk.responses.counting), oldest first, streamed."""
    q = select(Response).where(counting.counted(slug, synthetic=synthetic, excluded=excluded))
    yield from db.session.execute(q.order_by(Response.id).execution_options(yield_per=1000)).scalars()


def counts_by_consultation() -> dict[str, int]:
    """Counted responses per consultation slug (consultations with none are absent)."""
    return counting.counts_by_consultation()


def counts_by_channel(slug: str) -> dict[str, int]:
    """One consultation's counted responses per channel (kiosk, web, paper)."""
    return {channel: int(n) for channel, n in db.session.execute(
        select(Response.channel, func.count()).where(counting.counted(slug))
        .group_by(Response.channel))}


def tallies(defn: Definition, rows: Iterable[Any]) -> dict[str, dict]:
    """Per-question summaries keyed by question key; a merged definition (see versioning.merge)
    counts each question over the versions that asked it, and says how many were not asked.
    (Pages read the same figures from kiosk.reports.tallies, which keeps the counts; this is the
    plain count over rows, for a set of rows of one's own and as the tests' oracle.)"""
    keys = {q.get("key", q["id"]): q for q in defn["questions"]}
    values: dict[str, list[Any]] = {k: [] for k in keys}
    not_asked = dict.fromkeys(keys, 0)
    not_shown = dict.fromkeys(keys, 0)
    for r in rows:
        for key, q in keys.items():
            if not versioning.asked(q, r.version):
                not_asked[key] += 1
            elif not versioning.shown(q, r.answers, r.version):
                not_shown[key] += 1  # routed past: not the same as seen and left blank
            else:
                values[key].append(r.answers.get(q["id"]))
    out = {}
    for key, q in keys.items():
        t = questions.tally(q, values[key])
        out[key] = {**t, "not_asked": not_asked[key], "not_shown": not_shown[key],
                    "not_answered": len(values[key]) - t["answered"]}
    return out


#: A plain number or phone number ("-3.5", "1e3", "+44 7700 900123"): a spreadsheet cannot run it,
#: so it keeps its sign instead of gaining the formula guard's apostrophe.
PLAIN_NUMBER = re.compile(r"[+-]?(?=[\d.])\d[\d ]*(\.\d+)?([eE][+-]?\d+)?|[+-]?\.\d+")


def safe_cell(value: Any) -> str:
    """A CSV cell that spreadsheets will not run as a formula: text starting with = + - @ (or a
    tab, CR, | or %) gets a leading apostrophe; numbers are left as numbers."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r|%" and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def export_csv(defn: Definition, rows: Iterable[Response], extra: Sequence[Any] = (), *,
               labels: bool = False, lang: str = "en") -> Iterator[str]:
    """CSV text, one row per response, one or more columns per question (headed by key, or with
    labels by question text with option labels in the cells); extra columns (objects with a name
    and a value(response) function, e.g. attribution) go before the answers."""
    columns = exports.columns(defn, labels, lang)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(exports.header(columns, list(extra)))
    yield buf.getvalue()
    for cells in exports.rows(columns, iter(rows), list(extra)):
        buf.seek(0)
        buf.truncate()
        writer.writerow([safe_cell(v) for v in cells])
        yield buf.getvalue()
