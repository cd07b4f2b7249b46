"""Real Chromium: a routed survey skips and reveals questions on the kiosk and on a phone, Back
returns to the right screen, and the stored response has no answer to a hidden question."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from kiosk.consultations import definitions
from kiosk.consultations import store as consultations
from tests.conftest import LiveServer, load_demo, rows
from tests.consultations.test_routing import ROUTED

pytestmark = pytest.mark.browser


def routed_server(make_app: Callable[..., Flask], role: str) -> LiveServer:
    application = make_app(role)
    with application.app_context():
        load_demo()
        consultations.import_definition(definitions.load_text(ROUTED, "crime.yaml"))
    return LiveServer(application)


@pytest.fixture
def routed_kiosk(make_app: Callable[..., Flask]) -> Iterator[LiveServer]:
    server = routed_server(make_app, "kiosk")
    yield server
    server.stop()


@pytest.fixture
def routed_hub(make_app: Callable[..., Flask]) -> Iterator[LiveServer]:
    server = routed_server(make_app, "hub")
    yield server
    server.stop()


def screen(page, prompt: str, position: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("legend").get_by_text(prompt).wait_for()
    assert page.get_by_text(position).is_visible(), position


def test_kiosk_skips_hidden_questions_forwards_and_backwards(routed_kiosk, page) -> None:
    page.goto(routed_kiosk.url + "/kiosk/")
    page.get_by_role("button", name="Start: Crime survey").click()
    screen(page, "Have you been a victim", "Question 1 of 3")
    page.get_by_role("radio", name="No").check()
    page.get_by_role("button", name="Next").click()
    screen(page, "How safe do you feel?", "Question 2 of 3")  # "Did you report it?" skipped
    page.get_by_role("button", name="Back").click()
    screen(page, "Have you been a victim", "Question 1 of 3")

    page.get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Next").click()
    screen(page, "Did you report it?", "Question 2 of 4")
    page.get_by_role("radio", name="No").check()
    page.get_by_role("button", name="Next").click()
    screen(page, "How safe do you feel?", "Question 3 of 5")  # not reporting reveals a follow-up
    page.get_by_role("radio", name="4").check()
    page.get_by_role("button", name="Next").click()
    screen(page, "What would help you feel safer?", "Question 4 of 5")
    page.get_by_role("textbox").fill("Better lighting")
    page.get_by_role("button", name="Next").click()
    screen(page, "Anything else?", "Question 5 of 5")

    # Back to the start and change the first answer: the follow-ups are skipped again
    for prompt in ("What would help you feel safer?", "How safe do you feel?", "Did you report it?",
                   "Have you been a victim"):
        page.get_by_role("button", name="Back").click()
        page.locator("legend").get_by_text(prompt).wait_for()
    page.get_by_role("radio", name="No").check()
    page.get_by_role("button", name="Next").click()
    screen(page, "How safe do you feel?", "Question 2 of 3")
    page.get_by_role("button", name="Next").click()
    screen(page, "Anything else?", "Question 3 of 3")
    page.get_by_role("button", name="Back").click()
    screen(page, "How safe do you feel?", "Question 2 of 3")
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_role("heading", name="Thank you").wait_for()
    [row] = rows(routed_kiosk.app, consultation_slug="crime-survey")
    # the draft held answers to "reported" and "unsafe_why"; they were routed past, so not stored
    assert row.answers == {"victim": "victim_no", "safe": 4}


def test_phone_reveals_and_hides_in_place_and_stores_no_hidden_answer(routed_hub, page) -> None:
    page.goto(routed_hub.url + "/c/crime-survey")
    reported = page.locator("#q-reported")
    why = page.locator("#q-unsafe_why")
    assert reported.is_hidden() and why.is_hidden()
    victim = page.locator("#q-victim")
    victim.get_by_role("radio", name="Yes").check()
    reported.wait_for(state="visible")
    reported.get_by_role("radio", name="No").check()
    why.wait_for(state="visible")
    why.get_by_role("textbox").fill("Better lighting")
    page.locator("#q-safe").get_by_role("radio", name="4").check()
    # changing the first answer hides both follow-ups (the second one through the first)
    victim.get_by_role("radio", name="No").check()
    reported.wait_for(state="hidden")
    why.wait_for(state="hidden")
    assert page.get_by_role("button", name="Show the questions my answers lead to").is_hidden()
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_role("heading", name="Thank you").wait_for()
    [row] = rows(routed_hub.app, consultation_slug="crime-survey")
    # the hidden inputs still held "No" and "Better lighting" and were posted; none is stored
    assert row.answers == {"victim": "victim_no", "safe": 4}
