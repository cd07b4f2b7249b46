"""The shapes of a consultation definition and of a question, as stored and passed around.

Definitions are JSON documents (validated by ``consultations.definitions``); these TypedDicts say
which fields the code may read, so mypy checks every ``q["…"]``. Bilingual texts are
``{"en": …, "cy"?: …}`` mappings; a question type's own fields are listed under its type.
"""

from __future__ import annotations

from typing import Any, NotRequired, Required, TypedDict

#: A bilingual text: {"en": "…", "cy": "…"}.
Text = dict[str, str]


class Question(TypedDict, total=False):
    """One question of a definition (every type's own fields are optional here)."""

    id: Required[str]
    type: Required[str]
    prompt: Required[Text]
    required: Required[bool]
    help: Text
    key: str  # the column name in exports when it differs from the id
    show_if: Any  # routing: a condition on earlier answers
    standard: str  # a standard question's name (``- use: <name>``)
    equality: bool  # special-category data: aggregates only
    # single, multiple, ranking
    options: list[dict[str, Any]]
    other: bool
    max_selections: int
    # scale
    min: int
    max: int
    labels: dict[str, Text]
    # text
    max_length: int
    multiline: bool
    # postcode
    keep_district: bool
    # budget
    currency: str
    total: int
    fixed_income: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    levers: list[dict[str, Any]]
    rule: str
    tolerance: int
    require_change: bool
    # merged across versions (kiosk.consultations.versioning)
    asked_in: list[int]
    asked_span: str
    current: bool
    routes: dict[int, Any]  # each version's show_if


class Quality(TypedDict, total=False):
    """A consultation's quality settings (kiosk.responses.quality)."""

    too_fast_seconds: int  # a response completed in fewer seconds is flagged too-fast


class Definition(TypedDict):
    """A consultation definition: its identity, dates and questions."""

    slug: str
    title: Text
    summary: NotRequired[Text | None]
    status: str
    opens: NotRequired[str | None]
    closes: NotRequired[str | None]
    questions: list[Question]
    results: NotRequired[dict[str, Any] | None]
    english_only: NotRequired[bool]
    quality: NotRequired[Quality]
    routes: NotRequired[Any]
