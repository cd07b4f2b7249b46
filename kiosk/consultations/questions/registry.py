"""The question types voxbox knows, and the operations that pick a question's type for it.

BUILT_IN is the one list of types (datasette's explicit tuple of built-ins, not registration by
import): adding a type means writing its QuestionType and naming it here.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from kiosk.budget.question import BUDGET
from kiosk.consultations import routing
from kiosk.consultations.questions.base import (
    COMMON,
    OTHER,
    OTHER_MAX,
    QID,
    QuestionType,
    chose_other,
)
from kiosk.consultations.questions.postcode import POSTCODE
from kiosk.consultations.questions.types import MULTIPLE, RANKING, SCALE, SINGLE, TEXT
from kiosk.consultations.types import Definition, Question
from kiosk.core.problems import AnswerError, Problem
from kiosk.core.text import text

__all__ = ["BUILT_IN", "OTHER", "TYPES", "answer_from_form", "as_typed", "check_answers", "check_one",
           "document", "sample", "tally", "validate_definition"]

BUILT_IN: tuple[QuestionType, ...] = (SINGLE, MULTIPLE, SCALE, RANKING, TEXT, POSTCODE, BUDGET)
TYPES: dict[str, QuestionType] = {t.name: t for t in BUILT_IN}


def validate_definition(raw: Any, path: str, problems: list[Problem]) -> Question | None:
    """Check one question definition and return its normalised form."""
    if not isinstance(raw, dict):
        problems.append(Problem(path, "a question must be a mapping"))
        return None
    qid, qtype = raw.get("id"), raw.get("type")
    if not isinstance(qid, str) or not QID.match(qid):
        problems.append(Problem(f"{path}.id", "must start with a letter: a-z, 0-9, _ (≤ 40)"))
    handler = TYPES.get(qtype) if isinstance(qtype, str) else None
    if handler is None:
        problems.append(Problem(f"{path}.type", f"unknown type {qtype!r} (one of {', '.join(TYPES)})"))
        return None
    for key in sorted(set(raw) - COMMON - handler.keys):
        problems.append(Problem(f"{path}.{key}", f"unknown field for a {qtype} question"))
    required = raw.get("required", False)
    if not isinstance(required, bool):
        problems.append(Problem(f"{path}.required", "must be true or false"))
    out: Question = {
        "id": str(qid),
        "type": str(qtype),
        "prompt": text(raw.get("prompt"), f"{path}.prompt", problems) or {},
        "required": bool(required),
    }
    if raw.get("help"):
        out["help"] = text(raw.get("help"), f"{path}.help", problems) or {}
    handler.define(raw, out, path, problems)
    return out


def answer_from_form(q: Question, form: Any) -> tuple[Any, str | None]:
    """Parse one question's form fields into (value, other text); raise AnswerError."""
    value = TYPES[q["type"]].from_form(q, form)
    other = None
    if q.get("other") and chose_other(value):
        other = (form.get(f"{q['id']}.other") or "").strip()
    return value, other


def as_typed(q: Question, form: Any) -> Any:
    """What a resident chose on a form that could not be parsed, to show it again.

    Rankings come back as ``{option: "position"}``; other types as the raw field value.
    """
    if q["type"] == "ranking":
        return {o["value"]: (form.get(f"{q['id']}.{o['value']}") or "").strip() for o in q["options"]}
    return form.get(q["id"])


def check_answers(defn: Definition, answers: Mapping[str, Any]) -> dict[str, str]:
    """Check a whole set of answers against a definition; returns {question id: message}."""
    errors: dict[str, str] = {}
    ids = {q["id"] for q in defn["questions"]}
    allowed = ids | {f"{q['id']}.other" for q in defn["questions"] if q.get("other")}
    for key in answers:
        if key not in allowed:
            errors[str(key)] = "not a question in this consultation"
    shown = {q["id"] for q in routing.shown(defn, answers)}
    for q in defn["questions"]:
        if q["id"] not in shown:  # routed past: it must have no answer, and is never required
            if answers.get(q["id"]) not in (None, "", []) or f"{q['id']}.other" in answers:
                errors[q["id"]] = "answers a question that was not shown"
            continue
        try:
            check_one(q, answers.get(q["id"]), answers.get(f"{q['id']}.other"))
        except AnswerError as exc:
            errors[q["id"]] = str(exc)
    return errors


def check_one(q: Question, value: Any, other: Any = None) -> None:
    """Check one answer (and its "other" text); raise AnswerError with a resident-facing message."""
    if value is None or value == [] or value == "":
        if q["required"]:
            raise AnswerError(_l("This question needs an answer."))
        if other is not None:
            raise AnswerError(_l("An 'other' answer was given without choosing Other."))
        return
    TYPES[q["type"]].check(q, value)
    if q.get("other") and chose_other(value):
        if not isinstance(other, str) or not other.strip():
            raise AnswerError(_l("Please say what 'Other' means for you."))
        if len(other) > OTHER_MAX:
            raise AnswerError(_l("Please keep 'Other' to %(n)s characters.", n=OTHER_MAX))
    elif other is not None:
        raise AnswerError(_l("An 'other' answer was given without choosing Other."))


def tally(q: Question, values: list[Any]) -> dict:
    """Summarise the answers given to one question."""
    given = [v for v in values if v not in (None, "", [])]
    result = TYPES[q["type"]].tally(q, given)
    result["answered"] = len(given)
    return result


def sample(q: Question, rng: random.Random) -> tuple[Any, str | None]:
    """A random valid answer, for synthetic data."""
    if not q["required"] and rng.random() < 0.1:
        return None, None
    value = TYPES[q["type"]].sample(q, rng)
    other = "Something else" if q.get("other") and chose_other(value) else None
    return value, other


def document(q: Question) -> dict:
    """A stored question in the form its definition file would give it."""
    return TYPES[q["type"]].document(q)
