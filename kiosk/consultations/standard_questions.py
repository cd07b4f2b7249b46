"""Standard questions: maintained, bilingual questions a definition includes with ``- use: <name>``.

The catalogue lives in ``standard_questions.yaml``. A ``use:`` entry becomes an ordinary question
(so the kiosk, the phone page, paper entry and sync treat it like any other), always optional, with
"Prefer not to say" on choice questions, and carries ``standard: <name>`` and, for equality
monitoring data, ``equality: true`` (see ``kiosk.consultations.equality`` for who may see those answers).
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import yaml

from kiosk.consultations.types import Question
from kiosk.core.problems import Problem

CATALOGUE_FILE = Path(__file__).with_name("standard_questions.yaml")
PREFER_NOT = {"value": "prefer_not_to_say",
              "label": {"en": "Prefer not to say", "cy": "Mae'n well gennyf beidio â dweud"}}
#: What a ``use:`` entry may say besides the name: a different id, and routing.
KEYS = {"use", "id", "show_if"}
#: Catalogue fields that describe the question rather than define it.
ABOUT = ("topic", "equality")


@functools.cache
def catalogue() -> dict[str, dict]:
    """Every standard question by name, as written in the catalogue file."""
    return yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))


def names() -> list[str]:
    """The names ``use:`` accepts, in catalogue order."""
    return list(catalogue())


def topic(name: str) -> dict:
    """What a standard question asks about, in a few words ({'en', 'cy'})."""
    return catalogue()[name]["topic"]


def expand(raw_questions: list[Any], problems: list[Problem]) -> list[Any]:
    """The file's questions with each ``use:`` entry replaced by its maintained question
    (None where the entry was refused; its problem is already recorded)."""
    return [_expand_one(q, f"questions[{i}]", problems) if isinstance(q, dict) and "use" in q else q
            for i, q in enumerate(raw_questions)]


def _expand_one(raw: dict, path: str, problems: list[Problem]) -> dict | None:
    name = raw.get("use")
    entry = catalogue().get(name) if isinstance(name, str) else None
    if entry is None:
        problems.append(Problem(f"{path}.use", f"unknown standard question {name!r} "
                                               f"(one of {', '.join(names())})"))
        return None
    extra = sorted(set(raw) - KEYS)
    for key in extra:
        problems.append(Problem(f"{path}.{key}", "a standard question takes only use, id and show_if"))
    if extra:
        return None
    q = {k: copy.deepcopy(v) for k, v in entry.items() if k not in ABOUT}
    q["id"] = raw.get("id", name)
    q["required"] = False
    if "options" in q:
        q["options"] = q["options"] + [copy.deepcopy(PREFER_NOT)]
    if "show_if" in raw:
        q["show_if"] = raw["show_if"]
    return q


def mark(question: Question, raw: Any) -> None:
    """Record on a validated question which standard question its file entry used, if any."""
    if isinstance(raw, dict) and isinstance(raw.get("use"), str) and raw["use"] in catalogue():
        question["standard"] = raw["use"]
        if catalogue()[raw["use"]].get("equality"):
            question["equality"] = True


def document(question: Question) -> dict:
    """A stored standard question back in its file form: ``use:``, and ``id``/``show_if`` if set."""
    out: dict[str, Any] = {"use": question["standard"]}
    if question["id"] != question["standard"]:
        out["id"] = question["id"]
    if question.get("show_if"):
        out["show_if"] = question["show_if"]
    return out
