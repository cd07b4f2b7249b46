"""Columns for flat exports: one or more per question, with machine names or readable labels.

Two forms of the same rows (README "Exports"): the readable one (the default) heads each column
with the question's text and fills choice cells with option labels; ``values`` heads them with
question keys and fills them with stored values, for scripts. Both give a multiple-choice question
one column per option (1 chosen, 0 not, blank when not asked or not offered in that version).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from kiosk.areas.store import name_of
from kiosk.budget import question as budget
from kiosk.consultations import versioning
from kiosk.consultations.questions.base import OTHER
from kiosk.consultations.types import Definition, Question
from kiosk.core.text import tr
from kiosk.core.timeutil import iso
from kiosk.responses.models import Response

META = ["uuid", "consultation", "version", "channel", "language", "device_id", "event_id",
        "tracking_code", "started_at", "submitted_at"]
#: The cell of a question the resident was routed past (an empty cell: shown, not answered).
NOT_SHOWN = "[not shown]"


@dataclass(frozen=True)
class Column:
    """One export column: its name, how to read it from answers, the question it is for (a merged
    question's ``asked_in`` says which versions' responses have it) and, for one option of a
    multiple-choice question, the versions that offered it."""

    name: str
    value: Callable[[dict[str, Any]], Any]
    question: Question | None = None
    offered: tuple[int, ...] | None = None


def columns(defn: Definition, labels: bool = False, lang: str = "en") -> list[Column]:
    """Export columns for a definition's questions: headed by key (or, with labels, by question
    text in lang, with option labels in the cells)."""
    out: list[Column] = []
    for q in defn["questions"]:
        qid, key = q["id"], q.get("key", q["id"])
        name = tr(q["prompt"], lang) if labels else key
        if q["type"] == "budget":
            names = budget.csv_columns(q)
            if key != qid:  # an older type's answers under their own names
                names = [key + n[len(qid):] for n in names]
            if labels:
                names = [f"{name}: {n[len(key) + 1:]}" for n in names]
            cells = _budget_cells(q)
            out += [Column(n, _nth(cells, i), q) for i, n in enumerate(names)]
            continue
        if q["type"] == "postcode":  # the area's code and name, and any district kept
            sep = ": " if labels else "."
            out += [Column(name, _area(qid, "area"), q),
                    Column(f"{name}{sep}{'area name' if labels else 'area_name'}", _area(qid, "name"), q),
                    Column(f"{name}{sep}district", _area(qid, "district"), q)]
            continue
        if q["type"] == "multiple":
            out += _option_columns(q, name, labels, lang)
        else:
            out.append(Column(name, _labelled(q, lang) if labels else _plain(qid), q))
        if q.get("other"):
            out.append(Column(f"{name}: {_other_label(lang)}" if labels else f"{name}.other",
                              _plain(f"{qid}.other"), q))
    return out


def _option_columns(q: Question, name: str, labels: bool, lang: str) -> list[Column]:
    """A multiple-choice question: (for scripts, its values joined in one column, then) one 1/0
    column per option and one for Other."""
    out = [] if labels else [Column(name, _plain(q["id"]), q)]
    options = [(o["value"], tr(o["label"], lang), o.get("offered_in")) for o in q["options"]]
    if q.get("other"):
        options.append((OTHER, _other_label(lang, chosen=True), None))
    for value, label, offered in options:
        out.append(Column(f"{name}: {label}" if labels else f"{name}:{value}", _chosen(q["id"], value), q,
                          tuple(offered) if offered else None))
    return out


def _other_label(lang: str, chosen: bool = False) -> str:
    if lang == "cy":
        return "Arall" if chosen else "Arall (testun)"
    return "Other" if chosen else "Other (text)"


def _plain(key: str) -> Callable[[dict[str, Any]], Any]:
    def get(answers: dict[str, Any]) -> Any:
        value = answers.get(key)
        return "; ".join(map(str, value)) if isinstance(value, list) else value

    return get


def _labelled(q: Question, lang: str) -> Callable[[dict[str, Any]], Any]:
    """Option labels for choice and ranking answers (a ranking's in rank order); others as stored."""
    names = {o["value"]: tr(o["label"], lang) for o in q.get("options", [])}
    names[OTHER] = _other_label(lang, chosen=True)

    def get(answers: dict[str, Any]) -> Any:
        value = answers.get(q["id"])
        if isinstance(value, list):
            return "; ".join(names.get(str(v), str(v)) for v in value)
        return names.get(value, value) if isinstance(value, str) else value

    return get


def _chosen(key: str, option: str) -> Callable[[dict[str, Any]], Any]:
    def get(answers: dict[str, Any]) -> Any:
        value = answers.get(key)
        return int(option in value) if isinstance(value, list) else None

    return get


def _area(key: str, part: str) -> Callable[[dict[str, Any]], Any]:

    def get(answers: dict[str, Any]) -> Any:
        value = answers.get(key)
        if not isinstance(value, dict):
            return None
        return name_of(value.get("area")).get("en") if part == "name" else value.get(part)

    return get


def _budget_cells(q: Question) -> Callable[[dict[str, Any]], list[str] | None]:
    """A budget answer's cells, worked out once per response (each column reads one of them)."""
    last: list[Any] = [None, None]  # the answers last seen, and their cells

    def get(answers: dict[str, Any]) -> list[str] | None:
        if last[0] is not answers:
            value = answers.get(q["id"])
            last[:] = [answers, budget.csv_values(q, value) if value else None]
        return last[1]

    return get


def _nth(cells: Callable[[dict[str, Any]], list[str] | None], index: int) -> Callable[[dict[str, Any]], Any]:
    def get(answers: dict[str, Any]) -> Any:
        got = cells(answers)
        return got[index] if got else None

    return get


def header(cols: list[Column], extra: list[Any]) -> list[str]:
    """The header row: the response's own fields, any extra columns, then the answers'."""
    return META + [x.name for x in extra] + [c.name for c in cols]


def rows(cols: list[Column], responses: Iterator[Response], extra: list[Any]) -> Iterator[list[Any]]:
    """One list of raw cells per response (numbers stay numbers), streamed as responses are."""
    for r in responses:
        meta = [r.uuid, r.consultation_slug, r.version, r.channel, r.language, r.device_id,
                r.event_id, r.tracking_code, iso(r.started_at), iso(r.submitted_at)]
        yield meta + [x.value(r) for x in extra] + [_cell(c, r) for c in cols]


def _cell(c: Column, r: Response) -> Any:
    if c.question is None or versioning.shown(c.question, r.answers, r.version):
        if c.offered is not None and r.version not in c.offered:
            return None
        return c.value(r.answers)
    return NOT_SHOWN if versioning.asked(c.question, r.version) else None
