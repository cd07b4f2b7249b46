"""The atoms of kept counts: what one response (or scan) adds to its consultation's tallies.

Each foldable question type turns an answer into tokens (its ``atoms``; see
kiosk.consultations.questions.base); a response also adds whole-response counts, a report atom (its
London day, channel, event, kiosk and code), its seconds to complete, and its closed answers split by
channel, event, placement and kiosk. kiosk.reports.kept stores the counts; kiosk.reports.tallies
reads them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Hashable, Iterable
from typing import Any

from kiosk.consultations import routing
from kiosk.consultations import store as consultations
from kiosk.consultations.questions import registry as questions
from kiosk.consultations.types import Definition, Question
from kiosk.core.timeutil import london_day
from kiosk.outreach.models import Scan
from kiosk.reports import flags
from kiosk.responses.models import Response

#: How old a response must be before it is counted into the stored tallies (younger ones are live).
SETTLE = dt.timedelta(minutes=5)
#: Responses read at a time while counting.
CHUNK = 5000
#: A free-text question's tally shows its newest answers (kiosk.consultations.questions.types).
NEWEST = 5
RESPONSES, ANSWERED, BLANK, NOT_SHOWN = "#responses", "#answered", "#blank", "#not-shown"

Key = tuple[int, str, Hashable]  # version, question id ("" for the whole response), atom


def atom_of(value: Any) -> Hashable:
    """An atom read back from its JSON (lists become tuples)."""
    return tuple(atom_of(v) for v in value) if isinstance(value, list) else value


def atom_text(atom: Hashable) -> str:
    """An atom as the JSON text it is stored as."""
    return json.dumps(atom, separators=(",", ":"))


#: The columns a response is counted from.
FOLDED = (Response.version, Response.answers, Response.submitted_at, Response.channel, Response.event_id,
          Response.device_id, Response.tracking_code, Response.started_at)
#: The question id under which a response's report atom (its London day, channel, event, kiosk and
#: code) is counted, and that of a scan's (day, code, stage, device class, first or not).
REPORT, SCANS = "#report", "#scans"
#: The question id under which responses are counted by their seconds to complete (kiosk.reports.flags).
TIMED = "#timed"
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
    for version, answers, submitted, channel, event, device, code, started in rows:
        if version not in defs:
            defs[version] = consultations.definition(slug, version)
        out[(version, "", RESPONSES)] += 1
        out[(version, "", ("#channel", channel))] += 1
        out[(version, REPORT, (london_day(submitted).isoformat(), channel, event, device, code))] += 1
        if (took := flags.timed_atom(started, submitted)) is not None:
            out[(version, TIMED, took)] += 1
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


#: The columns a scan is counted from.
SCANNED = (Scan.at, Scan.code, Scan.stage, Scan.device, Scan.first)


def fold_scans(rows: Iterable[Any]) -> Counter[Key]:
    """The atom counts of scan rows (SCANNED): London day, code, stage, device class, first."""
    out: Counter[Key] = Counter()
    for at, code, stage, device, first in rows:
        out[(0, SCANS, (london_day(at).isoformat(), code, stage, device, bool(first)))] += 1
    return out
