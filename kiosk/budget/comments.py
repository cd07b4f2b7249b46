"""Comments on budget areas: a free-text box per area where the definition asks for one.

An area with ``comment: true`` (or ``comment: {en: prompt, cy: ...}``) shows a box; what a resident
types is stored with the answer as ``{"comments": {area_id: text}}``, only for areas they wrote about.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from kiosk.budget import rules
from kiosk.consultations.types import Question
from kiosk.core.problems import AnswerError, Problem
from kiosk.core.text import text, tr

MAX_COMMENT = 500  # characters


def define(raw: Any, path: str, problems: list[Problem]) -> bool | dict | None:
    """An area's `comment`: False (no box), True (the usual prompt) or its own bilingual prompt."""
    if raw is None or raw is False:
        return False
    if raw is True:
        return True
    return text(raw, path, problems)


def commented(q: Question) -> list[dict]:
    """The areas that ask for a comment, in order."""
    return [a for a in rules.areas(q) if a.get("comment")]


def prompt(area: dict) -> str:
    """The comment box's label for an area."""
    if isinstance(area.get("comment"), dict):
        return tr(area["comment"])
    return _("Why did you choose this amount for %(name)s? (optional)", name=tr(area["name"]))


def from_form(q: Question, form: Any) -> dict[str, str]:
    """The comments typed in `<qid>.<area>.comment` fields, stripped; empty ones left out."""
    out = {}
    for a in commented(q):
        typed = (form.get(f"{q['id']}.{a['id']}.comment") or "").strip()
        if typed:
            out[a["id"]] = typed
    return out


def check(q: Question, comments: Any) -> None:
    """Refuse comments for areas that do not ask for one, non-text or over-long comments."""
    if not isinstance(comments, dict):
        raise AnswerError(_("This budget answer is not in the expected form."))
    allowed = {a["id"]: a for a in commented(q)}
    for ident, typed in comments.items():
        area = allowed.get(ident)
        if area is None:
            raise AnswerError(_("%(name)s does not take a comment.", name=repr(str(ident)[:40])))
        if not isinstance(typed, str) or not typed.strip():
            raise AnswerError(_("%(name)s: a comment must be text.", name=tr(area["name"])))
        if len(typed) > MAX_COMMENT:
            raise AnswerError(_("%(name)s: please keep your comment to %(n)s characters or fewer.",
                                name=tr(area["name"]), n=MAX_COMMENT))


def columns(q: Question) -> list[str]:
    """CSV columns for comments: `<qid>.<area>.comment`."""
    return [f"{q['id']}.{a['id']}.comment" for a in commented(q)]


def cells(q: Question, value: Any) -> list[str]:
    """One answer's comment cells (empty where none was written)."""
    got = value.get("comments") if isinstance(value, dict) else None
    got = got if isinstance(got, dict) else {}
    return [comment if isinstance(comment := got.get(a["id"]), str) else "" for a in commented(q)]
