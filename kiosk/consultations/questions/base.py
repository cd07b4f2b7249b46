"""The question-type interface: what every type of question does, by name.

A type checks and tidies its part of a definition (``define``), reads an answer from a form
(``from_form``), checks a stored answer (``check``), sums answers up (``tally``; a foldable type
does it as ``summarise`` over the counted ``atoms`` of each answer, so reports can keep the counts
and never re-read old answers), makes a random
valid answer for synthetic data (``sample``) and gives a stored question back in the form its
definition file would give it (``document``). The kiosk, the phone page, sync ingest, paper
responses and the demo all go through these, so every channel treats an answer alike. The types
voxbox knows are named once, in ``kiosk.consultations.questions.registry.BUILT_IN``.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from kiosk.consultations.types import Question
from kiosk.core.problems import Problem

#: A question id: a letter, then letters, digits or _ (40 at most).
QID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
#: The option value that means "Other, please say"; its text is stored under "<id>.other".
OTHER = "other"
OTHER_MAX = 300
#: Fields every question may have, whatever its type.
COMMON = frozenset({"id", "type", "prompt", "help", "required"})


def _as_defined(q: Question) -> dict:
    return dict(q)


@dataclass(frozen=True, kw_only=True)
class QuestionType:
    """One type of question: its name, its own definition fields and its six operations."""

    name: str
    keys: frozenset[str]
    define: Callable[[dict, Question, str, list[Problem]], None]
    from_form: Callable[[Question, Any], Any]
    check: Callable[[Question, Any], None]
    tally: Callable[[Question, list[Any]], dict]
    sample: Callable[[Question, random.Random], Any]
    #: the stored question back in its YAML form, when storing changed it (e.g. pounds to pence)
    document: Callable[[Question], dict] = _as_defined
    #: a foldable type: the tokens one answer adds (JSON-able: str, int or tuples of them) ...
    atoms: Callable[[Question, Any], Iterable[Hashable]] | None = None
    #: ... and the tally from the count of each token: tally(q, given) is summarise(q, counts)
    summarise: Callable[[Question, Counter], dict] | None = None


def folded(atoms: Callable[[Question, Any], Iterable[Hashable]],
           summarise: Callable[[Question, Counter], dict]) -> Callable[[Question, list[Any]], dict]:
    """The tally of a foldable type: its summary over the counted atoms of every answer given."""
    def tally(q: Question, given: list[Any]) -> dict:
        counts: Counter = Counter()
        for value in given:
            counts.update(atoms(q, value))
        return summarise(q, counts)

    return tally


def chose_other(value: Any) -> bool:
    """Whether an answer picked "Other" (alone, or among several choices)."""
    return value == OTHER or (isinstance(value, list) and OTHER in value)
