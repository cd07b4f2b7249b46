"""Real Chromium: standard questions (`- use: <name>`) answered in Welsh on a kiosk and in English
on a phone, "Prefer not to say" included, and stored like any other answer."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from playwright.sync_api import expect

from kiosk.consultations import definitions
from kiosk.consultations import store as consultations
from tests.conftest import LiveServer, load_demo, rows
from tests.consultations.test_standard_questions import SLUG, SURVEY

pytestmark = pytest.mark.browser


def survey_server(make_app: Callable[..., Flask], role: str) -> LiveServer:
    application = make_app(role)
    with application.app_context():
        load_demo()
        consultations.import_definition(definitions.load_text(SURVEY, "survey.yaml"))
    return LiveServer(application)


@pytest.fixture
def survey_kiosk(make_app: Callable[..., Flask]) -> Iterator[LiveServer]:
    server = survey_server(make_app, "kiosk")
    yield server
    server.stop()


@pytest.fixture
def survey_hub(make_app: Callable[..., Flask]) -> Iterator[LiveServer]:
    server = survey_server(make_app, "hub")
    yield server
    server.stop()


def test_a_welsh_resident_answers_standard_questions_on_the_kiosk(survey_kiosk, page) -> None:
    page.goto(survey_kiosk.url + "/kiosk/")
    page.locator(".lang-choice").get_by_role("button", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.get_by_role("button", name="Dechrau: Arolwg cymunedol").click()
    page.locator("legend").get_by_text("Beth yw eich oedran?").wait_for()
    page.get_by_role("radio", name="Mae'n well gennyf beidio â dweud").check()
    page.get_by_role("button", name="Nesaf", exact=True).click()
    page.locator("legend").get_by_text("Beth yw eich grŵp ethnig?").wait_for()
    page.get_by_role("radio", name="Gwyn: Gwyddelig").check()
    page.get_by_role("button", name="Nesaf", exact=True).click()
    page.get_by_role("radio", name="Ffyrdd").check()
    page.get_by_role("button", name="Nesaf", exact=True).click()
    page.get_by_text("Pa effeithiau ydych chi'n credu").first.wait_for()
    page.get_by_role("textbox").fill("Mwy o arwyddion Cymraeg")
    page.get_by_role("button", name="Cyflwyno fy atebion").click()
    page.get_by_role("heading", name="Diolch").wait_for()
    [stored] = rows(survey_kiosk.app, consultation_slug=SLUG)
    assert stored.language == "cy"
    assert stored.answers == {"age_band": "prefer_not_to_say", "ethnicity": "white_irish",
                              "priority": "roads", "welsh_language_effects": "Mwy o arwyddion Cymraeg"}


def test_a_phone_shows_standard_questions_optional_with_prefer_not_to_say(survey_hub, phone) -> None:
    phone.goto(survey_hub.url + f"/c/{SLUG}")
    age = phone.locator("#q-age_band")
    expect(age.locator("legend")).to_contain_text("What is your age?")
    expect(age.locator("legend")).to_contain_text("optional")
    age.get_by_role("radio", name="25 to 34").check()
    phone.locator("#q-ethnicity").get_by_role("radio", name="Prefer not to say").check()
    phone.get_by_role("button", name="Submit my answers").click()
    phone.get_by_role("heading", name="Thank you").wait_for()
    [stored] = rows(survey_hub.app, consultation_slug=SLUG)
    assert stored.answers == {"age_band": "a25_34", "ethnicity": "prefer_not_to_say"}
