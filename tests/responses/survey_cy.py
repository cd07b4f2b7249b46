"""A small bilingual survey with Welsh letters (ŵ, ŷ) in its labels and answers, and a helper that
stores real responses to it through the same function the phone and kiosk pages use."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask

from kiosk.consultations import definitions
from kiosk.consultations import store as consultations
from kiosk.core.timeutil import utcnow
from kiosk.responses import store as responses

SLUG = "arolwg-y-dref"
YAML = """
slug: arolwg-y-dref
status: open
title: {en: Town survey, cy: Arolwg y dref}
quality: {too_fast_seconds: 20}
questions:
  - id: place
    type: single
    required: true
    prompt: {en: "Where do you feel safest?", cy: "Ble ydych chi'n teimlo'n fwyaf diogel?"}
    options:
      - {value: home, label: {en: At home, cy: Yn y tŷ}}
      - {value: fair, label: {en: At the fair, cy: Yn yr ŵyl}}
  - id: hear
    type: multiple
    required: false
    other: true
    prompt: {en: "How should we reach you?", cy: "Sut dylen ni gysylltu â chi?"}
    options:
      - {value: post, label: {en: Post, cy: Post}}
      - {value: email, label: {en: Email, cy: E-bost}}
      - {value: stall, label: {en: Street stall, cy: Stondin stryd}}
  - id: safe
    type: scale
    required: true
    min: 1
    max: 5
    prompt: {en: "How safe do you feel?", cy: "Pa mor ddiogel ydych chi'n teimlo?"}
  - id: words
    type: text
    required: false
    max_length: 200
    prompt: {en: "Anything else?", cy: "Unrhyw beth arall?"}
"""
#: (answers, seconds taken): a Welsh answer, a negative number, a formula, a quick one.
ANSWERS: list[tuple[dict[str, Any], int]] = [
    ({"place": "fair", "hear": ["post", "stall"], "safe": 4, "words": "Mae'r ŵyl yn y tŷ"}, 300),
    ({"place": "home", "hear": ["other"], "hear.other": "Drwy'r ŷd", "safe": 2, "words": "-3.5"}, 240),
    ({"place": "home", "safe": 5, "words": "=1+2"}, 200),
    ({"place": "fair", "hear": ["email"], "safe": 3}, 8),
]


def import_survey() -> None:
    """Import the survey (in an app context)."""
    consultations.import_definition(definitions.load_text(YAML, "survey.yaml"))


def answer(app: Flask) -> list[str]:
    """Store ANSWERS as real web responses; returns their uuids in order."""
    uuids = []
    with app.app_context():
        import_survey()
        defn = consultations.definition(SLUG)
        assert defn is not None
        for answers, took in ANSWERS:
            r = responses.submit(defn, 1, dict(answers), language="cy", channel="web",
                                 started_at=utcnow() - dt.timedelta(seconds=took))
            uuids.append(r.uuid)
    return uuids
