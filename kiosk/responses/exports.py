"""Columns for flat exports: one or more per question."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk.areas.store import name_of
from kiosk.budget import question as budget
from kiosk.consultations.types import Definition, Question

META = ["uuid", "consultation", "version", "channel", "language", "device_id", "event_id",
        "tracking_code", "started_at", "submitted_at"]


@dataclass(frozen=True)
class Column:
    """One export column: its name, how to read it from answers, and the question it is for
    (a merged question's ``asked_in`` says which versions' responses have it)."""

    name: str
    value: Callable[[dict[str, Any]], Any]
    question: Question | None = None


def columns(defn: Definition) -> list[Column]:
    """Export columns for a definition's questions."""
    out: list[Column] = []
    for q in defn["questions"]:
        qid, name = q["id"], q.get("key", q["id"])
        if q["type"] == "budget":
            names = budget.csv_columns(q)
            if name != qid:  # an older type's answers under their own names
                names = [name + n[len(qid):] for n in names]
            out += [Column(n, _budget_cell(q, i), q) for i, n in enumerate(names)]
            continue
        if q["type"] == "postcode":  # the area's code and name, and any district kept
            out += [Column(name, _area(qid, "area"), q), Column(f"{name}.area_name", _area(qid, "name"), q),
                    Column(f"{name}.district", _area(qid, "district"), q)]
            continue
        out.append(Column(name, _plain(qid), q))
        if q.get("other"):
            out.append(Column(f"{name}.other", _plain(f"{qid}.other"), q))
    return out


def _plain(key: str) -> Callable[[dict[str, Any]], Any]:
    def get(answers: dict[str, Any]) -> Any:
        value = answers.get(key)
        return "; ".join(map(str, value)) if isinstance(value, list) else value

    return get


def _area(key: str, part: str) -> Callable[[dict[str, Any]], Any]:

    def get(answers: dict[str, Any]) -> Any:
        value = answers.get(key)
        if not isinstance(value, dict):
            return None
        return name_of(value.get("area")).get("en") if part == "name" else value.get(part)

    return get


def _budget_cell(q: Question, index: int) -> Callable[[dict[str, Any]], Any]:
    def get(answers: dict[str, Any]) -> Any:
        value = answers.get(q["id"])
        return budget.csv_values(q, value)[index] if value else None

    return get
