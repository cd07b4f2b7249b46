"""Real Chromium: residents balance the demo police budget on the kiosk and on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kiosk.budget.rules import areas
from tests.budget.test_budget import DEMO_Q, SLUG, answer
from tests.conftest import rows

pytestmark = pytest.mark.browser

START = re.compile(r"Start\s*:\s*Balance the 2027.28 police budget")  # "/" upsets the selector
MONEY = re.compile(r"^£\d{1,3}(,\d{3})*(\.\d+)?( million)?, ")


def slider(page, name: str):  # type: ignore[no-untyped-def]
    return page.get_by_role("slider", name=name, exact=True)


def press(page, name: str, key: str, times: int = 1) -> None:  # type: ignore[no-untyped-def]
    """Move a slider by keyboard, as a keyboard or switch user would."""
    s = slider(page, name)
    s.focus()
    for _ in range(times):
        page.keyboard.press(key)


def assert_sliders_are_named_with_money_value_text(page) -> None:  # type: ignore[no-untyped-def]
    """Acceptance 5: every slider has an accessible name and a value text in money."""
    names = [a["name"]["en"] for a in areas(DEMO_Q)] + [lv["name"]["en"] for lv in DEMO_Q["levers"]]
    expect(page.get_by_role("slider")).to_have_count(len(names))
    for name in names[:-1]:
        expect(slider(page, name)).to_have_attribute("aria-valuetext", MONEY)
    expect(slider(page, names[-1])).to_have_attribute("aria-valuetext", "0% change (£318.72 a year)")


def test_kiosk_resident_balances_the_budget_by_keyboard(live_kiosk, page) -> None:
    page.goto(live_kiosk.url + "/kiosk/")
    page.get_by_role("button", name=START).click()
    assert_sliders_are_named_with_money_value_text(page)
    next_button = page.get_by_role("button", name="Next")
    balance = page.locator("[data-budget-balance]")
    expect(balance).to_have_text("Balanced")
    expect(next_button).to_be_enabled()  # keeping today's budget is an answer in the demo
    expect(page.locator(".budget-blocked")).to_be_hidden()

    press(page, "Neighbourhood policing", "ArrowRight")
    expect(balance).to_have_text("£500,000 overspent")
    expect(slider(page, "Neighbourhood policing")).to_have_attribute(
        "aria-valuetext", "£58.5 million, £0.5 million more than today")
    expect(page.get_by_label("Amount for Neighbourhood policing, in pounds")).to_have_value("58,500,000")
    expect(page.locator(".budget-blocked")).to_contain_text("Your budget is £500,000 overspent.")
    expect(next_button).to_have_attribute("aria-describedby", re.compile("budget-blocked"))
    next_button.click()  # never disabled: it explains instead, and nothing is sent
    expect(page.locator(".budget-blocked")).to_be_focused()
    expect(slider(page, "Neighbourhood policing")).to_be_visible()

    press(page, "Police precept on council tax", "ArrowRight")
    expect(balance).to_have_text("Balanced")
    expect(page.locator("[data-budget-bandd]")).to_have_text("£320.31 a year")
    expect(slider(page, "Police precept on council tax")).to_have_attribute(
        "aria-valuetext", "+0.5% change (£320.31 a year)")
    expect(page.locator(".budget-blocked")).to_be_hidden()

    next_button.click()
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_role("heading", name="Thank you").wait_for()
    [row] = rows(live_kiosk.app, consultation_slug=SLUG)
    assert row.answers == {"budget": {**answer(DEMO_Q, local_policing=5_850_000_000),
                                      "levers": {"precept": "0.5"}}}
    assert row.channel == "kiosk"


def test_phone_resident_uses_buttons_keys_and_typing(live_server, phone) -> None:
    phone.goto(f"{live_server.url}/c/{SLUG}")
    assert_sliders_are_named_with_money_value_text(phone)
    submit = phone.get_by_role("button", name="Submit my answers")
    balance = phone.locator("[data-budget-balance]")

    more_victims = phone.get_by_role("button", name="Increase Victim services")
    more_victims.click()
    more_victims.click()
    expect(balance).to_have_text("£1,000,000 overspent")
    expect(phone.locator('[data-area="victims"] [data-budget-effect]')).to_have_text(
        "A rise of 20% (£1 million) from today. About 800 more victims supported each year.")
    expect(phone.locator(".budget-blocked")).to_be_visible()

    press(phone, "Support services", "ArrowLeft", times=2)
    expect(balance).to_have_text("Balanced")
    expect(phone.locator(".budget-blocked")).to_be_hidden()

    phone.get_by_label("Amount for Roads policing, in pounds").fill("14000000")
    expect(balance).to_have_text("£500,000 unspent")
    expect(slider(phone, "Roads policing")).to_have_attribute(
        "aria-valuetext", "£14 million, £0.5 million less than today")
    expect(phone.locator(".budget-blocked")).to_contain_text("£500,000 left unspent")

    press(phone, "Police precept on council tax", "ArrowLeft")
    expect(balance).to_have_text("Balanced")
    expect(phone.locator("[data-budget-bandd]")).to_have_text("£317.13 a year")
    submit.click()
    phone.get_by_role("heading", name="Thank you").wait_for()
    [row] = rows(live_server.app, consultation_slug=SLUG)
    expected = answer(DEMO_Q, victims=600_000_000, support=3_600_000_000, roads=1_400_000_000)
    assert row.answers == {"budget": {**expected, "levers": {"precept": "-0.5"}}}


def test_reset_returns_every_slider_to_today(live_server, page) -> None:
    page.goto(f"{live_server.url}/c/{SLUG}")
    press(page, "Cybercrime and fraud", "ArrowRight", times=3)
    press(page, "Police precept on council tax", "End")
    expect(page.locator("[data-budget-balance]")).not_to_have_text("Balanced")
    page.get_by_role("button", name="Reset to today's budget").click()
    expect(page.locator("[data-budget-balance]")).to_have_text("Balanced")
    expect(page.get_by_label("Amount for Cybercrime and fraud, in pounds")).to_have_value("8,500,000")
    expect(page.get_by_label("Change to Police precept on council tax, in per cent")).to_have_value("0")
    expect(page.locator(".budget-blocked")).to_be_hidden()  # today's budget is a valid answer


def test_without_javascript_check_my_budget_gives_the_same_result(browser, live_server) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/c/{SLUG}")
    expect(page.get_by_role("slider")).to_have_count(0)  # sliders need the script; inputs do not
    page.get_by_label("Amount for Victim services, in pounds").fill("6000000")
    page.get_by_role("button", name="Check my budget").click()
    expect(page.locator("#err-budget")).to_contain_text("Your budget is £1,000,000 overspent.")
    expect(page.locator("[data-budget-balance]")).to_have_text("£1,000,000 overspent")
    page.get_by_label("Change to Police precept on council tax, in per cent").fill("1")
    page.get_by_role("button", name="Check my budget").click()
    expect(page.locator(".budget-checked")).to_have_text("Your budget balances. You can carry on.")
    assert rows(live_server.app, consultation_slug=SLUG) == []
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_role("heading", name="Thank you").wait_for()
    [row] = rows(live_server.app, consultation_slug=SLUG)
    assert row.answers == {"budget": {**answer(DEMO_Q, victims=600_000_000), "levers": {"precept": "1"}}}
    context.close()
