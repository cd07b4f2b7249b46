"""Consultation definitions: load YAML/JSON, validate, normalise."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import Any, cast

import yaml

from kiosk.consultations import routing, standard_questions
from kiosk.consultations.questions import registry as questions
from kiosk.consultations.types import Definition
from kiosk.core import safe_json, safe_yaml
from kiosk.core.problems import Problem, ProblemError
from kiosk.core.states import CONSULTATION_STATUSES
from kiosk.core.text import LANGS, text

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
#: Caps on one definition, far above any real consultation, so an import cannot exhaust the hub.
MAX_FILE_BYTES = 1024 * 1024
MAX_QUESTIONS = 200
#: Options, service areas, levers or any other list inside a definition.
MAX_ITEMS = 200
MAX_TEXT = 20_000
MAX_NODES = 50_000


def _date(value: Any, path: str, problems: list[Problem]) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        problems.append(Problem(path, f"{value!r} is not a date (use YYYY-MM-DD)"))
        return None


def size_problems(raw: Any) -> list[Problem]:
    """Problems for a definition over the caps (questions, list items, text, values, depth)."""
    problems: list[Problem] = []
    depth = safe_json.depth_problem(raw)
    if depth:
        return [Problem("", depth)]
    qs = raw.get("questions") if isinstance(raw, dict) else None
    if isinstance(qs, list) and len(qs) > MAX_QUESTIONS:
        problems.append(Problem("questions", f"more than {MAX_QUESTIONS} questions"))
    stack: list[tuple[Any, str]] = [(raw, "")]
    nodes = 0
    while stack and len(problems) < 10:
        node, path = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            problems.append(Problem("", f"more than {MAX_NODES} values in one definition"))
            break
        if isinstance(node, str) and len(node) > MAX_TEXT:
            problems.append(Problem(path, f"text longer than {MAX_TEXT} characters"))
        elif isinstance(node, list):
            if len(node) > MAX_ITEMS and path != "questions":
                problems.append(Problem(path, f"more than {MAX_ITEMS} items"))
            stack.extend((v, f"{path}[{i}]") for i, v in enumerate(node))
        elif isinstance(node, dict):
            if len(node) > MAX_ITEMS:
                problems.append(Problem(path, f"more than {MAX_ITEMS} keys"))
            stack.extend((v, f"{path}.{k}" if path else str(k)) for k, v in node.items())
    return problems


def validate(raw: Any) -> Definition:
    """Validate a raw definition and return its normalised form, or raise ProblemError."""
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        raise ProblemError([Problem("", "a consultation definition must be a mapping")])
    too_big = size_problems(raw)
    if too_big:  # refuse before walking anything large
        raise ProblemError(too_big)
    known = {"slug", "title", "summary", "status", "opens", "closes", "questions", "results",
             "english_only", "quality"}
    for key in sorted(set(raw) - known):
        problems.append(Problem(key, "unknown field"))
    slug = raw.get("slug")
    if not isinstance(slug, str) or not SLUG.match(slug):
        problems.append(Problem("slug", "must be 2-63 lower-case letters, digits or hyphens"))
    status = raw.get("status", "draft")
    if status not in CONSULTATION_STATUSES:
        problems.append(Problem("status", f"must be one of {', '.join(CONSULTATION_STATUSES)}"))
    out: dict[str, Any] = {
        "slug": slug,
        "title": text(raw.get("title"), "title", problems),
        "summary": text(raw.get("summary"), "summary", problems, required=False),
        "status": status,
        "opens": _date(raw.get("opens"), "opens", problems),
        "closes": _date(raw.get("closes"), "closes", problems),
    }
    english_only = raw.get("english_only", False)
    if not isinstance(english_only, bool):
        problems.append(Problem("english_only", "must be true or false"))
    elif english_only:  # the explicit override that lets an English-only text open on a bilingual hub
        out["english_only"] = True
    if out["opens"] and out["closes"] and out["closes"] < out["opens"]:
        problems.append(Problem("closes", "must not be before opens"))
    results = raw.get("results")
    if results is not None:
        if not isinstance(results, dict):
            problems.append(Problem("results", "must be a mapping with summary and published"))
        else:
            out["results"] = {
                "summary": text(results.get("summary"), "results.summary", problems),
                "published": _date(results.get("published"), "results.published", problems),
            }
    quality = _quality(raw.get("quality"), problems)
    if quality:
        out["quality"] = quality
    qs = raw.get("questions")
    if not isinstance(qs, list) or not qs:
        problems.append(Problem("questions", "at least one question needed"))
        qs = []
    seen: set[str] = set()
    out["questions"] = []
    written, qs = qs, standard_questions.expand(qs, problems)  # `- use: <name>` entries
    loop = routing.cycle(qs)
    for i, q in enumerate(qs):
        path = f"questions[{i}]"
        if q is None:  # a refused `use:` entry, its problem already recorded
            continue
        show_if = q.get("show_if") if isinstance(q, dict) else None
        if isinstance(q, dict):
            q = {k: v for k, v in q.items() if k != "show_if"}
        norm = questions.validate_definition(q, path, problems)
        if norm is None:
            continue
        standard_questions.mark(norm, written[i])
        if norm["id"] in seen:
            problems.append(Problem(f"{path}.id", f"duplicate question id {norm['id']!r}"))
        seen.add(norm["id"])
        if show_if is not None:
            if loop and norm["id"] in loop:
                problems.append(Problem(f"{path}.show_if", "show_if conditions form a cycle: "
                                        + " → ".join(loop)))
            else:
                norm["show_if"] = routing.define(show_if, f"{path}.show_if", norm["id"], qs, problems)
        out["questions"].append(norm)
    if problems:
        raise ProblemError(problems)
    return cast(Definition, out)


#: The longest absolute too-fast threshold a definition may set (an hour).
MAX_TOO_FAST = 3600


def _quality(raw: Any, problems: list[Problem]) -> dict[str, int]:
    """The quality settings: ``too_fast_seconds``, a whole number of seconds from 1 to an hour."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem("quality", "must be a mapping, e.g. {too_fast_seconds: 20}"))
        return {}
    for key in sorted(set(raw) - {"too_fast_seconds"}):
        problems.append(Problem(f"quality.{key}", "unknown field"))
    seconds = raw.get("too_fast_seconds")
    if seconds is None:
        return {}
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 1 <= seconds <= MAX_TOO_FAST:
        problems.append(Problem("quality.too_fast_seconds",
                                f"must be a whole number of seconds from 1 to {MAX_TOO_FAST}"))
        return {}
    return {"too_fast_seconds": seconds}


def load_file(path: str | Path) -> Definition:
    """Read and validate a YAML or JSON definition; errors name the file and the path."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ProblemError([Problem("", f"cannot read file: {exc.strerror}")], str(path)) from exc
    if len(raw) > MAX_FILE_BYTES:
        raise ProblemError([Problem("", f"larger than {MAX_FILE_BYTES // 1024} KB")], str(path))
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProblemError([Problem("", "not UTF-8 text")], str(path)) from None
    return load_text(body, str(path))


def load_text(body: str, name: str) -> Definition:
    """Parse and validate a definition's text (JSON when name ends in .json, else YAML);
    errors name the file and the path in the document."""
    try:
        raw = safe_json.loads(body) if name.lower().endswith(".json") else safe_yaml.load(body)
    except (safe_yaml.Refused, safe_json.TooDeep) as exc:
        raise ProblemError([Problem("", f"refused: {exc}")], name) from None
    except (yaml.YAMLError, ValueError) as exc:
        raise ProblemError([Problem("", f"not valid YAML/JSON: {exc}")], name) from None
    try:
        return validate(raw)
    except ProblemError as exc:
        raise ProblemError(exc.problems, name) from None


def document(defn: Definition) -> dict:
    """A stored definition as a YAML/JSON document that imports back to the same definition."""
    return {**defn, "questions": [standard_questions.document(q) if q.get("standard")
                                  else questions.document(q) for q in defn["questions"]]}


def questions_hash(defn: Definition) -> str:
    """Hash of what residents answer: a change here needs a new version."""
    return hashlib.sha256(canonical(defn["questions"]).encode()).hexdigest()


def canonical(value: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def missing_welsh(defn: Definition) -> list[str]:
    """Paths of text fields in a definition that have English but no Welsh."""
    found: list[str] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            if "en" in node and set(node) <= set(LANGS) and isinstance(node["en"], str):
                if not node.get("cy"):
                    found.append(path)
                return
            for k, v in node.items():
                walk(v, f"{path}.{k}" if path else k)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]")

    walk({k: defn[k] for k in ("title", "summary", "questions") if defn.get(k)}, "")
    return found
