"""Equality answers are special category data: who may see them, and small-cell suppression.

Anyone but an officer sees equality questions only in aggregate, with every count under the
threshold (``SMALL_CELL_THRESHOLD``) suppressed, and gets exports without per-response equality
answers. Officers may download them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from kiosk.consultations import standard_questions
from kiosk.consultations import store as consultations
from kiosk.consultations.models import Consultation
from kiosk.consultations.types import Definition, Question
from kiosk.core.states import ConsultationStatus
from kiosk.responses import store as responses

SUPPRESSED = None  # a suppressed count: shown as "fewer than N"


def is_equality(q: Question) -> bool:
    """Whether a question collects equality (special category) data."""
    return bool(q.get("equality"))


def uses_equality(defn: Definition | None) -> bool:
    """Whether a definition asks any equality question."""
    if not defn:
        return False
    return any(is_equality(q) for q in defn["questions"])


def hidden_ids(defn: Definition, officer: bool) -> frozenset[str]:
    """Question ids whose per-response answers this viewer may not see."""
    return frozenset() if officer else frozenset(q["id"] for q in defn["questions"] if is_equality(q))


def for_viewer(defn: Definition, officer: bool) -> Definition:
    """The definition as a per-response export shows it: without equality questions for non-officers."""
    if officer or not uses_equality(defn):
        return defn
    return {**defn, "questions": [q for q in defn["questions"] if not is_equality(q)]}


def strip_answers(answers: dict[str, Any], hidden: frozenset[str]) -> dict[str, Any]:
    """Answers without those to hidden questions (nor their "other" text)."""
    return {k: v for k, v in answers.items() if k.split(".", 1)[0] not in hidden}


def suppress_counts(counts: dict[str, int], threshold: int) -> dict[str, int | None]:
    """Counts with every cell under the threshold suppressed (None); when that leaves exactly one
    suppressed cell, the next smallest is suppressed too, so no cell can be worked out from the total."""
    out: dict[str, int | None] = {k: (n if n >= threshold else SUPPRESSED) for k, n in counts.items()}
    hidden = [k for k, n in out.items() if n is SUPPRESSED]
    shown = sorted((n, k) for k, n in out.items() if n is not SUPPRESSED)
    if len(hidden) == 1 and shown:
        out[shown[0][1]] = SUPPRESSED
    return out


def suppress_tally(tally: dict, threshold: int) -> dict:
    """One question's tally with its small cells suppressed (and the threshold, to say so)."""
    if "counts" not in tally:
        return tally
    return {**tally, "counts": suppress_counts(tally["counts"], threshold), "threshold": threshold}


def suppress_tallies(defn: Definition, tallies: dict[str, dict], threshold: int) -> dict[str, dict]:
    """Tallies (keyed by question key) with each equality question's small cells suppressed."""
    out = dict(tallies)
    for q in defn["questions"]:
        key = q.get("key", q["id"])
        if is_equality(q) and key in tallies:
            out[key] = suppress_tally(tallies[key], threshold)
    return out


def aggregate_rows(defn: Definition, tallies: dict[str, dict], threshold: int,
                   officer: bool = False) -> Iterator[list[Any]]:
    """Rows of an equality aggregate export: question, option value, option label, count
    (``<threshold`` where suppressed; officers get every count)."""
    if not officer:
        tallies = suppress_tallies(defn, tallies, threshold)
    yield ["question", "option", "label", "count"]
    for q in defn["questions"]:
        if not is_equality(q):
            continue
        labels = {o["value"]: o["label"]["en"] for o in q.get("options", [])}
        for value, n in tallies[q.get("key", q["id"])]["counts"].items():
            yield [q["id"], value, labels.get(value, value), f"<{threshold}" if n is SUPPRESSED else n]


def aggregate_csv(defn: Definition, tallies: dict[str, dict], threshold: int, officer: bool = False) -> str:
    """The equality aggregate export as CSV text, safe to open in a spreadsheet."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    for row in aggregate_rows(defn, tallies, threshold, officer):
        writer.writerow([responses.safe_cell(v) for v in row])
    return buf.getvalue()


def in_use(rows: Iterable[Consultation] | None = None) -> list[tuple[Consultation, list[dict]]]:
    """Published consultations that ask equality questions, each with what they ask about."""
    out = []
    for c in rows if rows is not None else consultations.all_consultations():
        if c.status == ConsultationStatus.DRAFT:
            continue
        defn = consultations.definition(c.slug)
        topics = [standard_questions.topic(standard) for q in (defn["questions"] if defn else [])
                  if is_equality(q) and (standard := q.get("standard"))]
        if topics:
            out.append((c, topics))
    return out
