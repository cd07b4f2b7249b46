"""Real Chromium: nothing a resident typed is lost (refusals, the language toggle, errors, save and
come back later), the phone's GOV.UK error pattern, and a kiosk that always finds its way home."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask, abort
from playwright.sync_api import expect

from tests.conftest import LiveServer, load_demo, rows

pytestmark = pytest.mark.browser

SLUG = "policing-priorities"
RANK_LABELS = {"visible": "Visible neighbourhood policing", "victims": "Support for victims",
               "roads": "Safer roads", "online": "Tackling online fraud"}


def serve(make_app: Callable[..., Flask], role: str, **config: object) -> LiveServer:
    application = make_app(role, **config)
    with application.app_context():
        load_demo()
    return LiveServer(application)


@pytest.fixture
def limited_hub(make_app: Callable[..., Flask]) -> Iterator[LiveServer]:
    """A hub that accepts one phone submission per address a day (the language toggle is one)."""
    server = serve(make_app, "hub", RATELIMIT_ENABLED=True, LIMIT_SUBMIT="1 per day")
    yield server
    server.stop()


def fill_phone_survey(phone) -> None:  # type: ignore[no-untyped-def]
    phone.get_by_role("radio", name="4").check()
    phone.locator("#q-top_concern").get_by_role("radio", name="Other").check()
    phone.locator("#q-top_concern").get_by_label("Other, please say").fill("Litter")
    phone.get_by_role("checkbox", name="Email alerts").check()
    for key, pos in {"visible": "2", "victims": "1", "roads": "4", "online": "3"}.items():
        phone.get_by_label(RANK_LABELS[key]).select_option(pos)
    phone.get_by_label("Is there anything else").fill("More patrols please")


def assert_survey_kept(phone, other_label: str = "Other, please say") -> None:  # type: ignore[no-untyped-def]
    expect(phone.locator("input[name=safe_day][value='4']")).to_be_checked()
    expect(phone.locator("input[name=top_concern][value=other]")).to_be_checked()
    expect(phone.locator("#q-top_concern").get_by_label(other_label)).to_have_value("Litter")
    expect(phone.locator("input[name=contact][value=email]")).to_be_checked()
    for key, pos in {"visible": "2", "victims": "1", "roads": "4", "online": "3"}.items():
        expect(phone.locator(f"select[name='rank_priorities.{key}']")).to_have_value(pos)
    expect(phone.locator("textarea[name=comments]")).to_have_value("More patrols please")


# --- never lose input ----------------------------------------------------------------------------


def test_the_phone_language_toggle_then_a_rate_limit_keep_every_answer(limited_hub, phone) -> None:
    phone.goto(limited_hub.url + f"/c/{SLUG}")
    fill_phone_survey(phone)
    phone.locator("header").get_by_role("button", name="Cymraeg").click()
    expect(phone.locator("html")).to_have_attribute("lang", "cy")
    assert_survey_kept(phone, "Arall, dywedwch beth")
    # the toggle used up the day's one submission: the next is refused, with nothing lost
    phone.get_by_role("button", name="Cyflwyno fy atebion").click()
    expect(phone.locator("[data-error-summary]")).to_be_visible()
    assert phone.title().startswith("Gwall:")
    assert_survey_kept(phone, "Arall, dywedwch beth")
    assert rows(limited_hub.app) == []


def test_a_ranking_error_keeps_the_chosen_positions(live_server, phone) -> None:
    phone.goto(live_server.url + f"/c/{SLUG}")
    for key, pos in {"visible": "1", "victims": "1", "roads": "3"}.items():
        phone.get_by_label(RANK_LABELS[key]).select_option(pos)
    phone.get_by_label("Is there anything else").fill("Lighting on Mill Lane")
    phone.get_by_role("button", name="Submit my answers").click()
    expect(phone.locator("#err-rank_priorities")).to_contain_text("different position")
    for key, pos in {"visible": "1", "victims": "1", "roads": "3", "online": ""}.items():
        expect(phone.locator(f"select[name='rank_priorities.{key}']")).to_have_value(pos)
    expect(phone.locator("textarea[name=comments]")).to_have_value("Lighting on Mill Lane")


def test_other_please_say_is_revealed_only_with_other_and_disabled_with_it(live_server, phone) -> None:
    phone.goto(live_server.url + f"/c/{SLUG}")
    single = phone.locator("#q-top_concern")
    box = single.get_by_label("Other, please say")
    expect(box).to_be_hidden()
    single.get_by_role("radio", name="Other").check()
    expect(box).to_be_visible()
    box.fill("Litter")
    single.get_by_role("radio", name="Burglary").check()
    expect(box).to_be_hidden()
    # a multiple-choice question at its limit disables Other, and so its box
    multiple = phone.locator("#q-contact")
    multiple.get_by_role("checkbox", name="Email alerts").check()
    multiple.get_by_role("checkbox", name="Street stalls").check()
    expect(multiple.get_by_role("checkbox", name="Other")).to_be_disabled()
    expect(phone.locator("input[name='contact.other']")).to_be_disabled()
    multiple.get_by_role("checkbox", name="Street stalls").uncheck()
    multiple.get_by_role("checkbox", name="Other").check()
    expect(multiple.get_by_label("Other, please say")).to_be_enabled()
    # Other un-chosen: its text is not sent as an answer
    phone.get_by_role("radio", name="2").check()
    for key, pos in {"visible": "2", "victims": "1", "roads": "4", "online": "3"}.items():
        phone.get_by_label(RANK_LABELS[key]).select_option(pos)
    multiple.get_by_label("Other, please say").fill("Leaflets")
    phone.get_by_role("button", name="Submit my answers").click()
    phone.get_by_role("heading", name="Thank you").wait_for()
    [row] = rows(live_server.app)
    assert row.answers["top_concern"] == "burglary" and "top_concern.other" not in row.answers
    assert row.answers["contact.other"] == "Leaflets"


def test_a_draw_contact_error_keeps_the_opt_in_and_name(draw_kiosk, page) -> None:
    from tests.browser.test_kiosk_browser import LABELS, answer_survey

    page.goto(draw_kiosk.url + "/kiosk/")
    page.get_by_role("button", name=LABELS["en"]["start"]).click()
    answer_survey(page, "en")
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_role("link", name="Enter the prize draw").click()
    page.get_by_role("checkbox", name="Yes, enter me in the prize draw").check()
    page.get_by_label("Your name").fill("Bryn Jones")
    page.get_by_label("Email address or phone number").fill("not a contact")
    page.get_by_role("button", name="Enter the draw").click()
    expect(page.get_by_text("Enter an email address like")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Yes, enter me in the prize draw")).to_be_checked()
    expect(page.get_by_label("Your name")).to_have_value("Bryn Jones")
    expect(page.get_by_label("Email address or phone number")).to_have_value("not a contact")


def test_save_and_come_back_later_on_a_phone(live_server, phone, browser) -> None:
    from kiosk.core.db import db
    from kiosk.responses.models import Draft

    phone.goto(live_server.url + f"/c/{SLUG}")
    fill_phone_survey(phone)
    phone.get_by_role("button", name="Save and come back later").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your answers are saved")
    link = phone.get_by_label("Your saved link").input_value()
    token = link.rsplit("/", 1)[1]
    assert len(token) >= 40
    with live_server.app.app_context():
        [draft] = db.session.execute(db.select(Draft)).scalars()
        assert draft.token != token and token not in str(draft.answers)  # only a hash is kept

    later = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:  # another day, another browser, no account: only the link
        again = later.new_page()
        again.goto(live_server.url + link[len("http://127.0.0.1:5000"):])
        expect(again).to_have_url(live_server.url + f"/c/{SLUG}")
        expect(again.get_by_text("Welcome back")).to_be_visible()
        assert_survey_kept(again)
        again.get_by_role("button", name="Submit my answers").click()
        again.get_by_role("heading", name="Thank you").wait_for()
        again.goto(live_server.url + link[len("http://127.0.0.1:5000"):])
        expect(again.get_by_text("That link has expired or was already used")).to_be_visible()
    finally:
        later.close()
    [row] = rows(live_server.app)
    assert row.answers["top_concern.other"] == "Litter"
    with live_server.app.app_context():
        assert db.session.execute(db.select(Draft)).scalars().all() == []


# --- GOV.UK error pattern on the phone -----------------------------------------------------------


def test_the_error_summary_is_focused_names_each_problem_and_moves_focus(live_server, phone) -> None:
    phone.goto(live_server.url + f"/c/{SLUG}")
    phone.get_by_label("Is there anything else").fill("Typed before the error")
    phone.get_by_role("button", name="Submit my answers").click()
    summary = phone.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert phone.title().startswith("Error: ")
    link = summary.get_by_role("link", name="How safe do you feel", exact=False)
    expect(link).to_contain_text("This question needs an answer.")
    link.click()
    expect(phone.locator("input[name=safe_day]").first).to_be_focused()
    expect(phone.locator("textarea[name=comments]")).to_have_value("Typed before the error")
    assert phone.locator("button[disabled]").count() == 0


# --- a kiosk that always finds its way home ---------------------------------------------------------


@pytest.fixture
def homing_kiosk(make_app: Callable[..., Flask]) -> Iterator[LiveServer]:
    """A quick kiosk (2 s idle, 2 s countdown) with routes that fail as a broken page would."""
    application = make_app("kiosk", IDLE_SECONDS=2, IDLE_COUNTDOWN_SECONDS=2,
                           PROPAGATE_EXCEPTIONS=False, ORG_NAME="Avonbridge Police and Crime Commissioner")

    def failing(code: int):  # type: ignore[no-untyped-def]
        if code == 500:
            raise RuntimeError("a bug a resident must never be stuck on")
        abort(code)

    application.add_url_rule("/kiosk/failing/<int:code>", "failing", failing)
    with application.app_context():
        load_demo()
    server = LiveServer(application)
    yield server
    server.stop()


HOME_WITHIN_MS = (2 + 2 + 8) * 1000  # idle + countdown, and room for a loaded machine


def assert_goes_home(page, base: str) -> None:  # type: ignore[no-untyped-def]
    expect(page.locator("body")).to_have_class("kiosk")
    assert "voxbox" not in page.content().lower().replace("voxbox.css", "").replace("voxbox.js", "")
    expect(page.locator("header")).to_contain_text("Avonbridge Police and Crime Commissioner")
    page.wait_for_url(base + "/kiosk/", timeout=HOME_WITHIN_MS)
    expect(page.get_by_role("heading", level=1)).to_have_text("Have your say / Dweud eich dweud")


@pytest.mark.parametrize("path", ["/kiosk/no-such-page", "/no-such-page", "/kiosk/failing/403",
                                  "/kiosk/failing/429", "/kiosk/failing/500", "/privacy",
                                  "/accessibility"])
def test_every_dead_end_returns_to_the_attract_screen(homing_kiosk, page, path) -> None:
    page.goto(homing_kiosk.url + path)
    assert_goes_home(page, homing_kiosk.url)


def test_the_pin_lock_out_and_back_after_a_post_return_home(homing_kiosk, page) -> None:
    base = homing_kiosk.url
    page.goto(base + "/kiosk/staff/pin")
    for _ in range(3):
        page.locator("form.login").get_by_label("Staff PIN").fill("0000")
        page.locator("form.login").get_by_role("button").click()
    expect(page.get_by_text("Too many wrong PINs")).to_be_visible()
    assert_goes_home(page, base)
    # Back to the page that answered a POST: a plain page again, never "Confirm form resubmission"
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff PIN")
    assert_goes_home(page, base)


def test_the_thank_you_screen_warns_before_it_goes_home(homing_kiosk, page) -> None:
    from tests.browser.test_kiosk_browser import answer_minimum

    answer_minimum(page, homing_kiosk.url)
    dialog = page.get_by_role("dialog", name="Still there? / Dal yna?")
    expect(dialog).to_be_visible(timeout=HOME_WITHIN_MS)  # a warning before going back
    page.get_by_role("button", name="I'm still here").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert_goes_home(page, homing_kiosk.url)


def test_a_reload_of_the_thank_you_screen_goes_home(live_kiosk, page) -> None:
    from tests.browser.test_kiosk_browser import answer_minimum

    answer_minimum(page, live_kiosk.url)
    page.reload()
    expect(page).to_have_url(live_kiosk.url + "/kiosk/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Have your say / Dweud eich dweud")


def test_larger_text_is_reset_for_the_next_resident(homing_kiosk, page) -> None:
    base = homing_kiosk.url
    page.goto(base + "/kiosk/")
    page.get_by_role("button", name="Larger text").click()
    expect(page.locator("html")).to_have_class("large")
    with page.expect_navigation(timeout=HOME_WITHIN_MS):
        pass  # left alone, the attract screen quietly resets itself
    expect(page).to_have_url(base + "/kiosk/")
    expect(page.locator("html")).not_to_have_class("large")  # the new page did not bring it back


def test_the_phone_language_toggle_keeps_a_changed_budget(live_server, phone) -> None:
    phone.goto(live_server.url + "/c/police-budget-2027")
    typed = phone.locator("input[name^='budget.']").first
    name, before = typed.get_attribute("name"), typed.input_value()
    phone.locator(".budget-area").first.locator("[data-step='1']").click()
    after = phone.locator(f"input[name='{name}']").input_value()
    assert after != before
    phone.locator("header").get_by_role("button", name="Cymraeg").click()
    expect(phone.locator("html")).to_have_attribute("lang", "cy")
    expect(phone.locator(f"input[name='{name}']")).to_have_value(after)
