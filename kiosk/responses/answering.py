"""Reading answers from forms, shared by the kiosk and phone flows."""

from __future__ import annotations

from typing import Any

from kiosk.consultations import routing
from kiosk.consultations.questions import registry as questions
from kiosk.consultations.types import Definition, Question
from kiosk.core.problems import AnswerError


def read_question(q: Question, form: Any, answers: dict[str, Any],
                  kept: dict[str, Any] | None = None) -> str | None:
    """Parse one question's fields into answers (in place); return an error message or None.

    When the fields cannot be parsed (positions given twice, say), what was chosen goes into
    ``kept`` so the form can show it again instead of losing it.
    """
    try:
        value, other = questions.answer_from_form(q, form)
    except AnswerError as exc:
        if kept is not None:
            kept[q["id"]] = questions.as_typed(q, form)
        return str(exc)
    answers[q["id"]] = value
    answers.pop(f"{q['id']}.other", None)
    if other is not None:
        answers[f"{q['id']}.other"] = other
    try:
        questions.check_one(q, value, other)
    except AnswerError as exc:
        return str(exc)
    return None


def read_all(defn: Definition, form: Any,
             kept: dict[str, Any] | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """Parse every question on a one-page form; returns (answers, errors by question id)."""
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for q in defn["questions"]:
        error = read_question(q, form, answers, kept)
        if error:
            errors[q["id"]] = error
    # Questions routed past by these answers: whatever the form posted for them is dropped.
    shown = {q["id"] for q in routing.shown(defn, answers)}
    errors = {k: v for k, v in errors.items() if k in shown}
    return routing.prune(defn, answers), errors
