"""Versions that never hide an answer: every version's questions merged by id, and what a new
version changes (compatible edits, or breaking ones that need a confirmation first)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, cast

from kiosk.consultations import routing
from kiosk.consultations.types import Definition, Question

OPTION_TYPES = ("single", "multiple", "ranking")
TEXT_KEYS = ("prompt", "help")


def version_span(versions: list[int]) -> str:
    """Versions as short ranges: [1, 2, 3, 5] -> "1–3, 5"."""
    spans: list[list[int]] = []
    for v in sorted(versions):
        if spans and v == spans[-1][1] + 1:
            spans[-1][1] = v
        else:
            spans.append([v, v])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


def merge(defns: list[tuple[int, Definition]], current: int) -> Definition:
    """One definition whose questions cover every version, keyed by question id.

    Each question is its latest wording with ``key`` (the column/tally name), ``asked_in`` (the
    versions that asked it) and, for choice questions, every option ever offered, each with the
    versions that offered it. A question whose type changed keeps its older answers under its own
    key, ``<id>@v<first>-<last>``, so answers of one type are never tallied as another.
    """
    defns = sorted(defns, key=lambda pair: pair[0])
    by_key: dict[str, Question] = {}
    order: list[str] = []
    for version, defn in defns:
        for q in defn["questions"]:
            key = q["id"]
            prev = by_key.get(key)
            if prev is not None and prev["type"] != q["type"]:
                old_key = f"{key}@v{prev['asked_in'][0]}-{prev['asked_in'][-1]}"
                by_key[old_key] = cast(Question, {**prev, "key": old_key})
                order.insert(order.index(key), old_key)
                prev = None
            merged = copy.deepcopy(q)
            merged["key"] = key
            merged["asked_in"] = (prev["asked_in"] if prev else []) + [version]
            merged["routes"] = {**(prev["routes"] if prev else {}), version: q.get("show_if")}
            if q["type"] in OPTION_TYPES:
                merged["options"] = _merge_options(prev["options"] if prev else [], q["options"], version)
            if q["type"] == "scale" and prev:
                merged["min"], merged["max"] = min(prev["min"], q["min"]), max(prev["max"], q["max"])
            by_key[key] = merged
            if key not in order:
                order.append(key)
    latest = cast(Definition, dict(defns[-1][1]) if defns else {"questions": []})
    for version, defn in defns:
        if version == current:
            latest = cast(Definition, dict(defn))
    asked_now = [k for k in order if current in by_key[k]["asked_in"]]
    latest_order = [q["id"] for q in latest["questions"]]
    asked_now.sort(key=lambda k: latest_order.index(k) if k in latest_order else len(latest_order))
    removed = [k for k in order if k not in asked_now]
    latest["questions"] = [by_key[k] for k in asked_now + removed]
    for q in latest["questions"]:
        q["current"] = current in q["asked_in"]
        q["asked_span"] = version_span(q["asked_in"])
        for opt in q.get("options", []):
            opt["offered_span"] = version_span(opt["offered_in"])
            opt["added_later"] = opt["offered_in"][0] > q["asked_in"][0]
            opt["current"] = current in opt["offered_in"]
    return latest


def _merge_options(before: list[dict], now: list[dict], version: int) -> list[dict]:
    out = [dict(o) for o in before]
    index = {o["value"]: o for o in out}
    for opt in now:
        if opt["value"] in index:
            index[opt["value"]].update(label=opt["label"])
            index[opt["value"]]["offered_in"] = index[opt["value"]]["offered_in"] + [version]
        else:
            added = {**opt, "offered_in": [version]}
            out.append(added)
            index[opt["value"]] = added
    return out


def asked(q: Question, version: int) -> bool:
    """Whether a response to this version was asked this (merged) question."""
    return "asked_in" not in q or version in q["asked_in"]


def shown(q: Question, answers: dict[str, Any], version: int) -> bool:
    """Whether a stored response was shown this question: asked in its version, and routed to it
    (stored answers hold no answer to a hidden question, so conditions read them as they stand)."""
    if not asked(q, version):
        return False
    return routing.holds(q.get("routes", {}).get(version, q.get("show_if")), answers)


# --- what a new version changes -----------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One difference between two definitions; breaking ones can hide or reinterpret answers."""

    text: str
    breaking: bool = False


def diff(old: Definition, new: Definition) -> list[Change]:
    """What changes from one definition to the next, questions first, in file order."""
    out: list[Change] = []
    before = {q["id"]: q for q in old["questions"]}
    after = {q["id"]: q for q in new["questions"]}
    for qid in before:
        if qid not in after:
            out.append(Change(f"question {qid!r} removed (its answers are kept)", True))
    for qid, q in after.items():
        if qid not in before:
            if q["required"]:
                out.append(Change(f"required question {qid!r} added", True))
            else:
                out.append(Change(f"optional question {qid!r} added"))
            continue
        out += _question_changes(before[qid], q)
    if [q for q in before if q in after] != [q for q in after if q in before]:
        out.append(Change("questions reordered"))
    for key in ("title", "summary", "opens", "closes", "results"):
        if old.get(key) != new.get(key):
            out.append(Change(f"{key} changed"))
    return out


def _question_changes(old: Question, new: Question) -> list[Change]:
    qid = new["id"]
    if old["type"] != new["type"]:
        return [Change(f"question {qid!r} changed type from {old['type']} to {new['type']}", True)]
    out: list[Change] = []
    for key in TEXT_KEYS:
        if old.get(key) != new.get(key):
            out.append(Change(f"question {qid!r}: {key} text changed"))
    if "options" in old:
        old_opts = {o["value"]: o for o in old["options"]}
        new_opts = {o["value"]: o for o in new["options"]}
        for value in old_opts:
            if value not in new_opts:
                out.append(Change(f"question {qid!r}: option {value!r} removed", True))
        for value, opt in new_opts.items():
            if value not in old_opts:
                out.append(Change(f"question {qid!r}: option {value!r} added"))
            elif old_opts[value]["label"] != opt["label"]:
                out.append(Change(f"question {qid!r}: option {value!r} label changed"))
        if old.get("other") and not new.get("other"):
            out.append(Change(f"question {qid!r}: option 'other' removed", True))
    if new["type"] == "scale" and (old["min"], old["max"]) != (new["min"], new["max"]):
        out.append(Change(f"question {qid!r}: scale changed from {old['min']}–{old['max']} "
                          f"to {new['min']}–{new['max']}", True))
    if new["type"] == "scale" and old.get("labels") != new.get("labels"):
        out.append(Change(f"question {qid!r}: scale labels changed"))
    rest = set(old) | set(new)
    rest -= {"id", "type", "options", "min", "max", "labels", *TEXT_KEYS}
    for key in sorted(rest):
        if old.get(key) != new.get(key):
            if new["type"] == "budget":
                out.append(Change(f"question {qid!r}: budget {key} changed", True))
            else:
                out.append(Change(f"question {qid!r}: {key} changed"))
    return out
