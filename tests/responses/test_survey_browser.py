"""Real Chromium: a resident completes the demo survey on the kiosk and on a phone."""

from __future__ import annotations

import pytest

from tests.conftest import rows

pytestmark = pytest.mark.browser

RANKING = {"visible": "2", "victims": "1", "roads": "4", "online": "3"}
EXPECTED = {
    "safe_day": 4, "top_concern": "other", "top_concern.other": "Litter",
    "contact": ["email", "street"], "rank_priorities": ["victims", "visible", "online", "roads"],
    "comments": "More patrols please",
}


def answer_every_type(page, next_label: str | None) -> None:  # type: ignore[no-untyped-def]
    """Tap through each question type; next_label is the button between screens (kiosk)."""
    def go() -> None:
        if next_label:
            page.get_by_role("button", name=next_label).click()

    page.get_by_role("radio", name="4").check()
    go()
    page.locator("#q-top_concern").get_by_role("radio", name="Other").check()
    page.locator("#q-top_concern").get_by_label("Other, please say").fill("Litter")
    go()
    page.get_by_role("checkbox", name="Email alerts").check()
    page.get_by_role("checkbox", name="Street stalls").check()
    assert page.get_by_role("checkbox", name="Social media").is_disabled()  # max 2 enforced
    go()
    labels = {"visible": "Visible neighbourhood policing", "victims": "Support for victims",
              "roads": "Safer roads", "online": "Tackling online fraud"}
    for key, pos in RANKING.items():
        page.get_by_label(labels[key]).select_option(pos)
    go()
    page.get_by_label("Is there anything else").fill("More patrols please")


def test_kiosk_survey_in_chromium(live_kiosk, page) -> None:
    page.goto(live_kiosk.url + "/kiosk/")
    page.get_by_role("button", name="Start: Your priorities for policing").click()
    assert page.get_by_text("Question 1 of 5").is_visible()
    answer_every_type(page, "Next")
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_role("heading", name="Thank you").wait_for()
    [row] = rows(live_kiosk.app)
    assert row.answers == EXPECTED
    assert (row.channel, row.version) == ("kiosk", 1)


def test_kiosk_back_keeps_answers(live_kiosk, page) -> None:
    page.goto(live_kiosk.url + "/kiosk/")
    page.get_by_role("button", name="Start: Your priorities for policing").click()
    page.get_by_role("radio", name="2").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Back").click()
    assert page.get_by_role("radio", name="2").is_checked()


def test_phone_survey_in_chromium(live_server, phone) -> None:
    phone.goto(live_server.url + "/c/policing-priorities")
    answer_every_type(phone, None)
    phone.get_by_role("button", name="Submit my answers").click()
    phone.get_by_role("heading", name="Thank you").wait_for()
    [row] = rows(live_server.app)
    assert row.answers == EXPECTED
    assert (row.channel, row.version) == ("web", 1)


def test_phone_error_is_tied_to_its_field(live_server, phone) -> None:
    phone.goto(live_server.url + "/c/policing-priorities")
    phone.get_by_role("button", name="Submit my answers").click()
    alert = phone.locator("#err-safe_day")
    assert "needs an answer" in alert.inner_text()
    assert phone.locator("#q-safe_day").get_attribute("aria-describedby") == "err-safe_day"
    assert rows(live_server.app) == []
