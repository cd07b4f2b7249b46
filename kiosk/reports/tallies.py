"""Per-question tallies that cost the same at a million responses as at ten thousand.

Each foldable question type turns an answer into tokens (``atoms``) and a tally from token counts
(``summarise``); see kiosk.consultations.questions.base. Here the counts are kept in the database
(``tally_atoms``, per consultation, version and question), with the last response id counted
(``tally_marks``). A page reads those counts, counts live the responses after the mark, and adds
them up by the merged definition's question keys, so the figures are always exactly those of
``kiosk.responses.store.tallies`` over every row (tests/reports/test_tallies.py checks it) and
nothing can go stale.

Responses are counted into the table only once they are SETTLE old: on PostgreSQL a transaction
can commit a lower id after a higher one, and a mark must never pass a row not yet visible. A type
without atoms (free text) is summarised from its newest answers, read live.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy import select

from kiosk.consultations.questions import registry as questions
from kiosk.consultations.types import Definition, Question
from kiosk.core.db import db
from kiosk.outreach.models import Scan
from kiosk.reports import kept
from kiosk.reports.atoms import (
    ANSWERED,
    BLANK,
    CHUNK,
    FOLDED,
    NEWEST,
    NOT_SHOWN,
    REPORT,
    RESPONSES,
    SCANNED,
    SCANS,
    SPLIT,
    TIMED,
    Key,
    atom_of,
    fold,
    fold_scans,
)
from kiosk.reports.models import TallyAtom
from kiosk.responses import counting
from kiosk.responses.models import Response

#: Which atoms a page reads: answers (and whole-response counts), the report's, or the splits.
PARTS = ("answers", "report", "splits")


def _in_part(qid: str, part: str) -> bool:
    if part == "report":
        return qid in (REPORT, SCANS, TIMED)
    if part == "splits":
        return qid.startswith(SPLIT)
    return not qid.startswith("#")


def counts(slug: str, part: str = "answers") -> Counter[Key]:
    """One part (PARTS) of a consultation's atom counts: the stored ones and, live, those after
    the marks."""
    last, last_scan = kept.catch_up(slug)
    q = select(TallyAtom.version, TallyAtom.question_id, TallyAtom.atom, TallyAtom.n).filter_by(
        consultation_slug=slug)
    if part == "report":
        q = q.where(TallyAtom.question_id.in_([REPORT, SCANS, TIMED]))
    elif part == "splits":
        q = q.where(TallyAtom.question_id.startswith(SPLIT))
    else:
        q = q.where(~TallyAtom.question_id.startswith("#"))
    out: Counter[Key] = Counter()
    for v, qid, atom, n in db.session.execute(q):
        out[(v, qid, atom_of(json.loads(atom)))] += int(n)
    synthetic = counting.with_synthetic(slug)
    tail = db.session.execute(select(*FOLDED).where(
        counting.counted(slug, synthetic=synthetic), Response.id > last).order_by(Response.id)
        .execution_options(yield_per=CHUNK))
    out.update({k: n for k, n in fold(slug, tail).items() if _in_part(k[1], part)})
    if part == "report":
        out.update(fold_scans(db.session.execute(select(*SCANNED).where(
            counting.counted_scans(slug, synthetic=synthetic), Scan.id > last_scan)
            .execution_options(yield_per=CHUNK))))
    return out


@dataclass
class Overview:
    """What a consultation's staff page shows: responses per version and channel, and each
    question's tally."""
    by_version: Counter[int]
    by_channel: Counter[str]
    tallies: dict[str, dict]


def overview(slug: str, defn: Definition) -> Overview:
    """Per-question summaries keyed by question key, over every version (a merged definition), as
    kiosk.responses.store.tallies gives them, and the response counts, from the stored counts."""
    got = counts(slug)
    per: dict[tuple[int, str], Counter] = defaultdict(Counter)
    responses: Counter[int] = Counter()
    channels: Counter[str] = Counter()
    for (v, qid, atom), n in got.items():
        if qid == "":
            if atom == RESPONSES:
                responses[v] += n
            else:
                channels[atom[1]] += n  # type: ignore[index]  # ("#channel", channel)
        else:
            per[(v, qid)][atom] += n
    out = {}
    for q in defn["questions"]:
        versions = q.get("asked_in") or sorted(responses)
        merged: Counter = Counter()
        for v in versions:
            merged.update(per[(v, q["id"])])
        states = {s: merged.pop(s, 0) for s in (ANSWERED, BLANK, NOT_SHOWN)}
        t = _summary(slug, q, versions, merged)
        t.update(answered=states[ANSWERED], not_asked=sum(responses.values()) - sum(responses[v] for v in versions),
                 not_shown=states[NOT_SHOWN], not_answered=states[BLANK])
        out[q.get("key", q["id"])] = t
    return Overview(responses, channels, out)


def tallies(slug: str, defn: Definition) -> dict[str, dict]:
    """Per-question summaries keyed by question key (see overview)."""
    return overview(slug, defn).tallies


def _summary(slug: str, q: Question, versions: Sequence[int], atoms: Counter) -> dict:
    kind = questions.TYPES[q["type"]]
    if kind.summarise is not None:
        return kind.summarise(q, atoms)
    value = Response.answers[q["id"]]
    newest = db.session.execute(
        select(value).where(counting.counted(slug), Response.version.in_(versions),
                            value.as_string().is_not(None))
        .order_by(Response.id.desc()).limit(NEWEST)).scalars().all()
    return kind.tally(q, [v for v in reversed(newest) if v not in (None, "", [])])


def summary(slug: str, q: Question) -> dict:
    """One (merged) question's summary over every version that asked it."""
    return tallies(slug, cast(Definition, {"questions": [q]}))[q.get("key", q["id"])]
