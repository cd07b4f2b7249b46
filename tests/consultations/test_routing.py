"""Routing: show_if is checked at import (naming the path) and evaluated the same way everywhere;
a hidden question's answer is never stored and `required` applies only when it is shown."""

from __future__ import annotations

import pytest
import yaml

from kiosk.consultations import definitions, routing
from kiosk.consultations import store as consultations
from kiosk.core.problems import ProblemError
from kiosk.responses import store as responses

ROUTED = """
slug: crime-survey
status: open
title: {en: Crime survey, cy: Arolwg troseddau}
questions:
  - id: victim
    type: single
    required: true
    prompt: {en: "Have you been a victim of crime in the last year?", cy: "Ydych chi wedi dioddef trosedd yn y flwyddyn ddiwethaf?"}
    options:
      - {value: victim_yes, label: {en: "Yes", cy: "Ydw"}}
      - {value: victim_no, label: {en: "No", cy: "Nac ydw"}}
  - id: reported
    type: single
    required: true
    show_if: {question: victim, in: [victim_yes]}
    prompt: {en: "Did you report it?", cy: "Wnaethoch chi roi gwybod amdani?"}
    options:
      - {value: reported_yes, label: {en: "Yes", cy: "Do"}}
      - {value: reported_no, label: {en: "No", cy: "Naddo"}}
  - id: safe
    type: scale
    min: 1
    max: 5
    required: true
    prompt: {en: "How safe do you feel?", cy: "Pa mor ddiogel ydych chi'n teimlo?"}
  - id: unsafe_why
    type: text
    required: true
    show_if: {any: [{question: safe, min: 1, max: 2}, {all: [{question: victim, in: [victim_yes]}, {question: reported, in: [reported_no]}]}]}
    prompt: {en: "What would help you feel safer?", cy: "Beth fyddai'n eich helpu i deimlo'n fwy diogel?"}
  - id: comments
    type: text
    prompt: {en: "Anything else?", cy: "Unrhyw beth arall?"}
"""


def raw() -> dict:
    return yaml.safe_load(ROUTED)


def problems_of(doc: dict) -> list[str]:
    with pytest.raises(ProblemError) as info:
        definitions.validate(doc)
    return [str(p) for p in info.value.problems]


def test_a_routed_definition_is_valid() -> None:
    defn = definitions.validate(raw())
    assert defn["questions"][1]["show_if"] == {"question": "victim", "in": ["victim_yes"]}
    assert routing.is_routed(defn)


def test_show_if_on_a_later_question_is_refused_naming_the_path() -> None:
    doc = raw()
    doc["questions"][1]["show_if"] = {"question": "safe", "min": 1}
    assert problems_of(doc) == [
        "questions[1].show_if.question: refers to a later question 'safe': show_if may use only "
        "earlier questions"]


def test_an_unknown_value_or_question_is_refused_naming_the_path() -> None:
    doc = raw()
    doc["questions"][1]["show_if"] = {"question": "victim", "in": ["victim_yes", "maybe"]}
    assert problems_of(doc) == ["questions[1].show_if.in[1]: 'maybe' is not an option of 'victim'"]
    doc = raw()
    doc["questions"][3]["show_if"]["any"][1]["all"][1] = {"question": "nosuch", "in": ["x"]}
    assert problems_of(doc) == ["questions[3].show_if.any[1].all[1].question: unknown question 'nosuch'"]
    doc = raw()
    doc["questions"][3]["show_if"]["any"][0] = {"question": "safe", "min": 0}
    assert problems_of(doc) == ["questions[3].show_if.any[0].min: must be a whole number from 1 to 5"]


def test_a_cycle_is_refused_naming_the_path() -> None:
    doc = raw()
    doc["questions"][0]["show_if"] = {"question": "reported", "in": ["reported_yes"]}
    found = problems_of(doc)
    assert "questions[0].show_if: show_if conditions form a cycle: victim → reported → victim" in found
    doc = raw()
    doc["questions"][1]["show_if"] = {"question": "reported", "in": ["reported_yes"]}
    assert problems_of(doc) == [
        "questions[1].show_if: show_if conditions form a cycle: reported → reported"]


def test_conditions_follow_earlier_answers_and_hidden_answers_count_as_absent() -> None:
    defn = definitions.validate(raw())
    ids = lambda answers: [q["id"] for q in routing.shown(defn, answers)]  # noqa: E731
    assert ids({}) == ["victim", "safe", "comments"]
    assert ids({"victim": "victim_yes", "safe": 4}) == ["victim", "reported", "safe", "comments"]
    assert ids({"victim": "victim_yes", "reported": "reported_no", "safe": 4}) == [
        "victim", "reported", "safe", "unsafe_why", "comments"]
    # "reported" is hidden once victim is no, so its stale answer cannot reveal unsafe_why
    assert ids({"victim": "victim_no", "reported": "reported_no", "safe": 4}) == [
        "victim", "safe", "comments"]
    assert ids({"victim": "victim_no", "safe": 2}) == ["victim", "safe", "unsafe_why", "comments"]


def test_the_server_drops_hidden_answers_and_requires_only_shown_questions(app) -> None:
    defn = definitions.validate(raw())
    with app.app_context():
        consultations.import_definition(defn)
        r = responses.submit(defn, 1, {"victim": "victim_no", "reported": "reported_yes",
                                       "safe": 4, "unsafe_why": "lights"},
                             language="en", channel="web")
        assert r.answers == {"victim": "victim_no", "safe": 4}
        with pytest.raises(ProblemError) as info:
            responses.submit(defn, 1, {"victim": "victim_yes", "safe": 4}, language="en",
                             channel="web")
        assert [p.path for p in info.value.problems] == ["reported"]


def test_tallies_and_the_csv_tell_not_shown_from_not_answered(app, staff_client) -> None:
    import csv
    import io

    defn = definitions.validate(raw())
    with app.app_context():
        consultations.import_definition(defn)
        for answers in ({"victim": "victim_no", "safe": 4},
                        {"victim": "victim_yes", "reported": "reported_yes", "safe": 5},
                        {"victim": "victim_no", "safe": 1, "unsafe_why": "lights"},
                        {"victim": "victim_yes", "reported": "reported_no", "safe": 3,
                         "unsafe_why": "patrols", "comments": "thanks"}):
            responses.submit(defn, 1, answers, language="en", channel="web")
    page = staff_client.get("/staff/c/crime-survey").get_data(as_text=True)
    reported = page[page.index('id="q-reported"'):page.index('id="q-safe"')]
    assert "2 answered" in reported and "2 not shown (routed past)" in reported
    comments = page[page.index('id="q-comments"'):]
    assert "1 answered" in comments and "3 shown but not answered" not in comments  # no show_if
    rows = list(csv.DictReader(io.StringIO(
        staff_client.get("/staff/c/crime-survey/responses.csv?values=1").get_data(as_text=True))))
    assert [r["reported"] for r in rows] == ["[not shown]", "reported_yes", "[not shown]", "reported_no"]
    assert [r["unsafe_why"] for r in rows] == ["[not shown]", "[not shown]", "lights", "patrols"]
    assert [r["comments"] for r in rows] == ["", "", "", "thanks"]


def test_the_phone_page_works_without_javascript(app) -> None:
    import re

    from tests.conftest import csrf_token, rows

    with app.app_context():
        consultations.import_definition(definitions.validate(raw()))
    phone = app.test_client()
    hidden = re.compile(r'<div class="routed" data-question="reported"[^>]* hidden>')
    page = phone.get("/c/crime-survey").get_data(as_text=True)
    assert hidden.search(page) and "Show the questions my answers lead to" in page
    token = csrf_token(phone, "/c/crime-survey")
    r = phone.post("/c/crime-survey", data={"csrf_token": token, "action": "route",
                                            "victim": "victim_yes"})
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and not hidden.search(page)
    assert 'data-question="reported"' in page and "Please check your answers" not in page
    r = phone.post("/c/crime-survey", data={
        "csrf_token": token, "action": "submit", "victim": "victim_no", "reported": "reported_yes",
        "safe": "4", "unsafe_why": "Better lighting"})
    assert r.status_code == 303
    [row] = rows(app, consultation_slug="crime-survey")
    assert row.answers == {"victim": "victim_no", "safe": 4}
