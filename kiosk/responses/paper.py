"""Paper responses: staff key in a paper form, or import a CSV of them all or nothing.

Each is a Response on the ``paper`` channel, dated by the date written on the form (midday, so
the London day is that date), with a PaperEntry saying who keyed it, when, and its batch.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid as uuidlib
from dataclasses import dataclass
from typing import Any

from kiosk.areas import postcodes
from kiosk.areas import store as areas
from kiosk.consultations import routing
from kiosk.consultations.questions import registry as questions
from kiosk.consultations.types import Definition, Question
from kiosk.core.db import db
from kiosk.core.problems import AnswerError, Problem, ProblemError
from kiosk.core.timeutil import london_today
from kiosk.responses import store as responses
from kiosk.responses.models import BATCH_MAX, PaperEntry, Response

MAX_ROWS = 20_000
MAX_PROBLEMS = 50
META_COLUMNS = ("form_date", "batch", "language")


@dataclass(frozen=True)
class Meta:
    """What is written on (or about) one paper form besides its answers."""
    form_date: dt.date
    batch: str | None = None
    language: str = "en"


def parse_date(value: str) -> dt.date:
    """A form date as YYYY-MM-DD or DD/MM/YYYY, not in the future; raise ValueError."""
    value = value.strip()
    try:
        day = (dt.datetime.strptime(value, "%d/%m/%Y").date() if "/" in value
               else dt.date.fromisoformat(value))
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)") from None
    if day > london_today():
        raise ValueError(f"{value} is in the future")
    return day


def parse_meta(form_date: str, batch: str | None, language: str | None = None) -> Meta:
    """Check the form date, batch reference and language; raise ValueError naming the field."""
    if not (form_date or "").strip():
        raise ValueError("form_date: the date written on the form is needed")
    try:
        day = parse_date(form_date)
    except ValueError as exc:
        raise ValueError(f"form_date: {exc}") from None
    batch = (batch or "").strip() or None
    if batch and len(batch) > BATCH_MAX:
        raise ValueError(f"batch: at most {BATCH_MAX} characters")
    language = (language or "").strip() or "en"
    if language not in ("en", "cy"):
        raise ValueError("language: en or cy")
    return Meta(day, batch, language)


def check(defn: Definition, answers: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Answers to keep (hidden questions' answers dropped, blanks removed) and the problems."""
    answers = routing.prune(defn, answers)
    errors = questions.check_answers(defn, answers)
    return {k: v for k, v in answers.items() if v not in (None, "", [])}, errors


def _row(defn: Definition, version: int, answers: dict[str, Any], meta: Meta,
         entered_by: str) -> tuple[Response, PaperEntry]:
    r = Response(uuid=str(uuidlib.uuid4()), consultation_slug=defn["slug"], version=version,
                 answers=answers, language=meta.language, channel="paper",
                 submitted_at=dt.datetime.combine(meta.form_date, dt.time(12)))
    r.content_hash = responses.content_hash(responses.wire(r))
    return r, PaperEntry(response_uuid=r.uuid, form_date=meta.form_date, batch=meta.batch,
                         entered_by=entered_by)


def enter(defn: Definition, version: int, answers: dict[str, Any], meta: Meta, entered_by: str) -> Response:
    """Store one keyed paper form; raise ProblemError naming each bad answer."""
    answers, errors = check(defn, answers)
    if errors:
        raise ProblemError([Problem(k, v) for k, v in errors.items()])
    r, entry = _row(defn, version, answers, meta, entered_by)
    db.session.add_all([r, entry])
    db.session.commit()
    return r


def import_csv(defn: Definition, version: int, text: str, entered_by: str,
               batch: str | None = None) -> int:
    """Store every row of a paper CSV, or none: problems name the line and column.

    Columns are question ids (``<id>.other`` for Other text), ``form_date`` (required) and
    optionally ``batch`` and ``language``; choices may be given as values or as labels (English or
    Welsh), several separated by ``;``; a ranking is its items in order, separated by ``;``.
    """
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    problems = _header_problems(defn, header)
    if problems:
        raise ProblemError(problems, "CSV")
    by_id = {q["id"]: q for q in defn["questions"]}
    rows: list[tuple[Response, PaperEntry]] = []
    for line, cells in enumerate(reader, start=2):
        if len(rows) >= MAX_ROWS:
            problems.append(Problem(f"line {line}", f"at most {MAX_ROWS} rows in one file"))
            break
        if not any(c.strip() for c in cells):
            continue
        record = dict(zip(header, cells, strict=False))
        if len(cells) != len(header):
            problems.append(Problem(f"line {line}", f"{len(cells)} cells, the header has {len(header)}"))
            continue
        try:
            meta = parse_meta(record.get("form_date", ""), record.get("batch") or batch,
                              record.get("language"))
        except ValueError as exc:
            problems.append(Problem(f"line {line}", str(exc)))
            continue
        answers: dict[str, Any] = {}
        for col, raw in record.items():
            if col in META_COLUMNS or not raw.strip():
                continue
            qid = col.split(".", 1)[0]
            try:
                answers[col] = raw.strip() if col.endswith(".other") else cell_value(by_id[qid], raw)
            except ValueError as exc:
                problems.append(Problem(f"line {line}", f"{col}: {exc}"))
        answers, errors = check(defn, answers)
        problems += [Problem(f"line {line}", f"{k}: {v}") for k, v in errors.items()]
        if not problems:
            rows.append(_row(defn, version, answers, meta, entered_by))
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise ProblemError(problems[:MAX_PROBLEMS], "CSV")
    for r, entry in rows:
        db.session.add_all([r, entry])
    db.session.commit()
    return len(rows)


def _header_problems(defn: Definition, header: list[str]) -> list[Problem]:
    known = set(META_COLUMNS)
    for q in defn["questions"]:
        if q["type"] == "budget":
            continue
        known.add(q["id"])
        if q.get("other"):
            known.add(f"{q['id']}.other")
    out = [Problem("line 1", f"unknown column {h!r}") for h in header if h not in known]
    if "form_date" not in header:
        out.append(Problem("line 1", "a form_date column is needed (the date written on each form)"))
    if len(set(header)) != len(header):
        out.append(Problem("line 1", "a column name appears twice"))
    return out


def cell_value(q: Question, raw: str) -> Any:
    """One CSV cell as the answer value a question stores; labels become values."""
    raw = raw.strip()
    if q["type"] == "scale":
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"{raw!r} is not a whole number") from None
    if q["type"] == "text":
        return raw
    if q["type"] == "postcode":  # looked up at once: only the area is kept

        try:
            return areas.answer_for(postcodes.parse(raw), q.get("keep_district", False)) if raw else None
        except AnswerError as exc:
            raise ValueError(str(exc)) from None
    lookup = {o["value"].lower(): o["value"] for o in q["options"]}
    for o in q["options"]:
        for text in o["label"].values():
            lookup.setdefault(text.strip().lower(), o["value"])
    if q.get("other"):
        lookup.setdefault(questions.OTHER, questions.OTHER)
    parts = [p.strip() for p in raw.split(";")] if q["type"] != "single" else [raw]
    values = []
    for part in parts:
        if part.lower() not in lookup:
            raise ValueError(f"{part!r} is not one of the options")
        values.append(lookup[part.lower()])
    return values[0] if q["type"] == "single" else values
