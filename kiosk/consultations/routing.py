"""Routing: a question's ``show_if`` condition on earlier answers, checked at import and evaluated
the same way by the kiosk, the phone page, the server's answer checks and the reports.

Forms: ``{question: id, in: [values]}`` (single/multiple: any chosen value in the list),
``{question: id, min: n, max: m}`` (scale, either bound optional), ``{all: [...]}``, ``{any: [...]}``.
A hidden question's answer is absent: dropped before storing, and ``required`` applies only when shown.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kiosk.consultations.types import Definition, Question
from kiosk.core.problems import Problem

CHOICE = ("single", "multiple")
MAX_DEPTH = 5


def define(raw: Any, path: str, qid: str, questions: list[dict], problems: list[Problem],
           depth: int = 0) -> dict | None:
    """Check one show_if (questions: every question in the file, in order) and normalise it."""
    if not isinstance(raw, dict):
        problems.append(Problem(path, "must be a mapping: {question, in} / {question, min, max} / {all} / {any}"))
        return None
    if depth > MAX_DEPTH:
        problems.append(Problem(path, f"conditions may nest at most {MAX_DEPTH} deep"))
        return None
    for combiner in ("all", "any"):
        if combiner in raw:
            parts = raw[combiner]
            if set(raw) != {combiner} or not isinstance(parts, list) or not parts:
                problems.append(Problem(path, f"{combiner} must be the only key, with a list of conditions"))
                return None
            out = [define(p, f"{path}.{combiner}[{i}]", qid, questions, problems, depth + 1)
                   for i, p in enumerate(parts)]
            return {combiner: out} if all(out) else None
    ref = raw.get("question")
    order = [q.get("id") for q in questions if isinstance(q, dict)]
    if not isinstance(ref, str) or ref not in order:
        problems.append(Problem(f"{path}.question", f"unknown question {ref!r}"))
        return None
    if order.index(ref) >= order.index(qid):
        word = "itself" if ref == qid else f"a later question {ref!r}"
        problems.append(Problem(f"{path}.question", f"refers to {word}: show_if may use only "
                                                    "earlier questions"))
        return None
    target = next(q for q in questions if isinstance(q, dict) and q.get("id") == ref)
    if target.get("type") in CHOICE:
        return _define_in(raw, path, target, problems)
    if target.get("type") == "scale":
        return _define_range(raw, path, target, problems)
    problems.append(Problem(f"{path}.question", f"{ref!r} is a {target.get('type')} question: "
                                                "show_if can use single, multiple or scale questions"))
    return None


def _define_in(raw: dict, path: str, target: dict, problems: list[Problem]) -> dict | None:
    values = raw.get("in")
    if set(raw) != {"question", "in"} or not isinstance(values, list) or not values:
        problems.append(Problem(path, "a choice condition needs question and a list 'in'"))
        return None
    known = [o.get("value") for o in target.get("options") or [] if isinstance(o, dict)]
    known += ["other"] if target.get("other") else []
    ok = True
    for i, v in enumerate(values):
        if v not in known:
            problems.append(Problem(f"{path}.in[{i}]", f"{v!r} is not an option of {target['id']!r}"))
            ok = False
    return {"question": target["id"], "in": list(values)} if ok else None


def _define_range(raw: dict, path: str, target: dict, problems: list[Problem]) -> dict | None:
    if not set(raw) - {"question"} or set(raw) - {"question", "min", "max"}:
        problems.append(Problem(path, "a scale condition needs question and min and/or max"))
        return None
    lo, hi = target.get("min", 1), target.get("max", 5)
    out: dict[str, Any] = {"question": target["id"]}
    for key in ("min", "max"):
        if key in raw:
            v = raw[key]
            if not isinstance(v, int) or isinstance(v, bool) or not lo <= v <= hi:
                problems.append(Problem(f"{path}.{key}", f"must be a whole number from {lo} to {hi}"))
                return None
            out[key] = v
    return out


def references(cond: dict) -> Iterator[str]:
    """The question ids a condition reads."""
    for combiner in ("all", "any"):
        for part in cond.get(combiner, ()):
            yield from references(part)
    if "question" in cond:
        yield cond["question"]


def cycle(raw_questions: list[Any]) -> list[str] | None:
    """A chain of show_if references that comes back to where it started, if the file has one."""
    graph: dict[str, set[str]] = {}
    for q in raw_questions:
        if isinstance(q, dict) and isinstance(q.get("id"), str) and isinstance(q.get("show_if"), dict):
            graph[q["id"]] = set(_raw_refs(q["show_if"]))

    def walk(node: str, trail: list[str]) -> list[str] | None:
        if node in trail:
            return trail[trail.index(node):] + [node]
        for nxt in sorted(graph.get(node, ())):
            found = walk(nxt, trail + [node])
            if found:
                return found
        return None

    for start in graph:
        found = walk(start, [])
        if found:
            return found
    return None


def _raw_refs(cond: Any) -> Iterator[str]:
    if not isinstance(cond, dict):
        return
    for combiner in ("all", "any"):
        if isinstance(cond.get(combiner), list):
            for part in cond[combiner]:
                yield from _raw_refs(part)
    if isinstance(cond.get("question"), str):
        yield cond["question"]


def holds(cond: dict | None, answers: Mapping[str, Any]) -> bool:
    """Whether a condition holds for these answers (no condition: always shown)."""
    if cond is None:
        return True
    if "all" in cond:
        return all(holds(c, answers) for c in cond["all"])
    if "any" in cond:
        return any(holds(c, answers) for c in cond["any"])
    value = answers.get(cond["question"])
    if value is None or value == "" or value == []:
        return False
    if "in" in cond:
        chosen = value if isinstance(value, list) else [value]
        return any(v in cond["in"] for v in chosen)
    if not isinstance(value, int) or isinstance(value, bool):
        return False
    return cond.get("min", value) <= value <= cond.get("max", value)


def shown(defn: Definition, answers: Mapping[str, Any]) -> list[Question]:
    """The questions shown for these answers, in order; a hidden question's answer counts as
    absent for the questions after it."""
    seen: dict[str, Any] = {}
    out = []
    for q in defn["questions"]:
        if holds(q.get("show_if"), seen):
            out.append(q)
            seen[q["id"]] = answers.get(q["id"])
    return out


def prune(defn: Definition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers without those to hidden questions (and their "other" text)."""
    hidden = {q["id"] for q in defn["questions"]} - {q["id"] for q in shown(defn, answers)}
    return {k: v for k, v in answers.items() if k.split(".", 1)[0] not in hidden}


def is_routed(defn: Definition) -> bool:
    """Whether any question in a definition has a show_if."""
    return any(q.get("show_if") for q in defn["questions"])
