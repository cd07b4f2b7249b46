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

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from kiosk.consultations import routing
from kiosk.consultations import store as consultations
from kiosk.consultations.questions import registry as questions
from kiosk.consultations.types import Definition, Question
from kiosk.core.db import db, dialect_insert, rowcount
from kiosk.core.timeutil import london_day, utcnow
from kiosk.outreach import scans
from kiosk.outreach.models import Scan
from kiosk.reports.models import TallyAtom, TallyMark
from kiosk.responses import counting
from kiosk.responses.models import Response

#: How old a response must be before it is counted into the stored tallies (younger ones are live).
SETTLE = dt.timedelta(minutes=5)
#: Responses read at a time while counting.
CHUNK = 5000
#: A free-text question's tally shows its newest answers (kiosk.consultations.questions.types).
NEWEST = 5
RESPONSES, ANSWERED, BLANK, NOT_SHOWN = "#responses", "#answered", "#blank", "#not-shown"

Key = tuple[int, str, Hashable]  # version, question id ("" for the whole response), atom


def _hashable(value: Any) -> Hashable:
    return tuple(_hashable(v) for v in value) if isinstance(value, list) else value


def _text(atom: Hashable) -> str:
    return json.dumps(atom, separators=(",", ":"))


#: The columns a response is counted from.
FOLDED = (Response.version, Response.answers, Response.submitted_at, Response.channel, Response.event_id,
          Response.device_id, Response.tracking_code)
#: The question id under which a response's report atom (its London day, channel, event, kiosk and
#: code) is counted, and that of a scan's (day, code, stage, device class, first or not).
REPORT, SCANS = "#report", "#scans"
#: The mark saying a consultation's stored counts hold its synthetic rows (kiosk.responses.counting).
SYNTHETIC = "#synthetic"
#: Closed questions are also counted per channel, event, placement and kiosk, under "#x:<id>", so a
#: cross-tab of the whole consultation by one of those needs no pass over the answers.
CLOSED = ("single", "multiple", "scale", "postcode")
SPLIT = "#x:"


def split_values(q: Question, value: Any) -> list[str]:
    """The values a cross-tab counts for one answer: each option chosen, the scale point, the area."""
    if q["type"] == "postcode":
        return [value["area"]] if isinstance(value, dict) and isinstance(value.get("area"), str) else []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def fold(slug: str, rows: Iterable[Any], defs: dict[int, Definition | None] | None = None) -> Counter[Key]:
    """The atom counts of response rows (FOLDED): each answer judged by its own version's question,
    and each response's report atom."""
    defs = {} if defs is None else defs
    out: Counter[Key] = Counter()
    for version, answers, submitted, channel, event, device, code in rows:
        if version not in defs:
            defs[version] = consultations.definition(slug, version)
        out[(version, "", RESPONSES)] += 1
        out[(version, "", ("#channel", channel))] += 1
        out[(version, REPORT, (london_day(submitted).isoformat(), channel, event, device, code))] += 1
        splits = (("channel", channel), ("event", event or ""), ("placement", code or ""),
                  ("device", device or ""))
        for q in (defs[version] or {"questions": []})["questions"]:
            qid = q["id"]
            if not routing.holds(q.get("show_if"), answers):
                out[(version, qid, NOT_SHOWN)] += 1
                continue
            value = answers.get(qid)
            if value is None or value == "" or value == []:
                out[(version, qid, BLANK)] += 1
                continue
            out[(version, qid, ANSWERED)] += 1
            atoms = questions.TYPES[q["type"]].atoms
            if atoms is not None:
                for atom in atoms(q, value):
                    out[(version, qid, atom)] += 1
            if q["type"] in CLOSED:
                for token in split_values(q, value):
                    for dim, where in splits:
                        out[(version, SPLIT + qid, (dim, where, token))] += 1
    return out


def catch_up(slug: str) -> tuple[int, int]:
    """Count settled responses and scans after their marks into the stored atoms; the two marks
    after it. Another process counting the same rows at once loses nothing: only one moves a mark,
    and the other's counts go with its rolled-back transaction."""
    defs: dict[int, Definition | None] = {}
    synthetic = _synthetic_mode(slug)
    responses = _catch_up(slug, slug, Response, Response.received_at, FOLDED,
                          lambda rows: fold(slug, rows, defs), counting.counted(slug, synthetic=synthetic))
    scans.flush()  # this process's queued scans count too
    seen = _catch_up(slug, SCANS + ":" + slug, Scan, Scan.at, SCANNED, fold_scans,
                     counting.counted_scans(slug, synthetic=synthetic))
    return responses, seen


def _synthetic_mode(slug: str) -> bool:
    """Whether synthetic rows count (kiosk.responses.counting); the stored counts are forgotten when
    that changes (a consultation of synthetic rows gets its first real one), and kept with a mark
    saying they hold synthetic rows."""
    synthetic = counting.with_synthetic(slug)
    name = SYNTHETIC + ":" + slug
    if (db.session.get(TallyMark, name) is not None) != synthetic:
        forget(slug)
        if synthetic:
            db.session.add(TallyMark(consultation_slug=name, last_id=0, folded_at=utcnow()))
        db.session.commit()
    return synthetic


def adjust(slug: str, response_id: int, sign: int) -> None:
    """Take a response out of (sign -1) or put it back into (+1) the stored counts, when they
    already hold it (staff excluded it from results, or undid that); later ones are counted live."""
    if response_id > _mark(slug):
        return
    row = db.session.execute(select(*FOLDED).where(Response.id == response_id)).one()
    _add(slug, Counter({k: sign * n for k, n in fold(slug, [tuple(row)]).items()}))


def _catch_up(slug: str, name: str, table: Any, arrived: Any, columns: Sequence[Any],
              folder: Callable[[list[Any]], Counter[Key]], counted: Any) -> int:
    last = _mark(name)
    while True:
        settled_before = utcnow() - SETTLE
        batch = db.session.execute(
            select(table.id, arrived.label("arrived"), counted.label("counted"), *columns)
            .where(table.consultation_slug == slug, table.id > last)
            .order_by(table.id).limit(CHUNK)).all()
        settled = []
        for row in batch:
            if row.arrived > settled_before:
                break
            settled.append(row)
        counts = [tuple(r)[3:] for r in settled if r.counted]  # the mark passes uncounted rows too
        if not settled:
            db.session.commit()  # end the read transaction either way
            return last
        try:
            if not _move_mark(name, last, settled[-1].id):
                db.session.rollback()
                return _mark(name)
            _add(slug, folder(counts))
            db.session.commit()
        except DBAPIError:  # SQLite: another writer moved first (a stale snapshot)
            db.session.rollback()
            return _mark(name)
        last = settled[-1].id
        if len(settled) < len(batch) or len(batch) < CHUNK:
            return last


#: The columns a scan is counted from.
SCANNED = (Scan.at, Scan.code, Scan.stage, Scan.device, Scan.first)


def fold_scans(rows: Iterable[Any]) -> Counter[Key]:
    """The atom counts of scan rows (SCANNED): London day, code, stage, device class, first."""
    out: Counter[Key] = Counter()
    for at, code, stage, device, first in rows:
        out[(0, SCANS, (london_day(at).isoformat(), code, stage, device, bool(first)))] += 1
    return out


def _mark(name: str) -> int:
    found = db.session.execute(select(TallyMark.last_id).filter_by(consultation_slug=name)).scalar()
    return int(found or 0)


def _move_mark(slug: str, old: int, new: int) -> bool:
    """Move the mark from old to new, or say someone else already moved it."""
    now = utcnow()
    if old == 0 and db.session.get(TallyMark, slug) is None:
        made = db.session.execute(dialect_insert(TallyMark).values(
            consultation_slug=slug, last_id=new, folded_at=now).on_conflict_do_nothing()
            .returning(TallyMark.consultation_slug))  # (an ORM insert's rowcount is -1 on PostgreSQL)
        return made.first() is not None
    done = db.session.execute(update(TallyMark).where(
        TallyMark.consultation_slug == slug, TallyMark.last_id == old).values(last_id=new, folded_at=now))
    return rowcount(done) == 1


def _add(slug: str, counts: Counter[Key]) -> None:
    if not counts:
        return
    ins = dialect_insert(TallyAtom)
    db.session.execute(ins.on_conflict_do_update(
        index_elements=["consultation_slug", "version", "question_id", "atom"],
        set_={"n": TallyAtom.n + ins.excluded.n}),
        [{"consultation_slug": slug, "version": v, "question_id": qid, "atom": _text(atom), "n": n}
         for (v, qid, atom), n in counts.items()])


def forget(slug: str) -> None:
    """Drop a consultation's stored tallies (they are counted afresh on next use): for the rare
    change to stored responses, such as excluding one from results."""
    db.session.execute(delete(TallyAtom).filter_by(consultation_slug=slug))
    db.session.execute(delete(TallyMark).where(TallyMark.consultation_slug.in_(
        [slug, SCANS + ":" + slug, SYNTHETIC + ":" + slug])))


#: Which atoms a page reads: answers (and whole-response counts), the report's, or the splits.
PARTS = ("answers", "report", "splits")


def _in_part(qid: str, part: str) -> bool:
    if part == "report":
        return qid in (REPORT, SCANS)
    if part == "splits":
        return qid.startswith(SPLIT)
    return not qid.startswith("#")


def counts(slug: str, part: str = "answers") -> Counter[Key]:
    """One part (PARTS) of a consultation's atom counts: the stored ones and, live, those after
    the marks."""
    last, last_scan = catch_up(slug)
    q = select(TallyAtom.version, TallyAtom.question_id, TallyAtom.atom, TallyAtom.n).filter_by(
        consultation_slug=slug)
    if part == "report":
        q = q.where(TallyAtom.question_id.in_([REPORT, SCANS]))
    elif part == "splits":
        q = q.where(TallyAtom.question_id.startswith(SPLIT))
    else:
        q = q.where(~TallyAtom.question_id.startswith("#"))
    out: Counter[Key] = Counter()
    for v, qid, atom, n in db.session.execute(q):
        out[(v, qid, _hashable(json.loads(atom)))] += int(n)
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
