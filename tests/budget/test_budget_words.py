"""What the budget simulator says: money in words, a consequence for every change, council-tax bands,
the referendum cap and per-area comments."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from kiosk.budget import question as budget
from kiosk.budget import words as budget_words
from kiosk.budget.rules import areas, band_d
from tests.budget.test_budget import (
    DEMO_Q,
    SLUG,
    answer,
    demo_form,
    demo_raw,
    normalise,
    post_phone,
    problems_of,
)
from tests.conftest import rows


@pytest.fixture(autouse=True)
def english(app):  # type: ignore[no-untyped-def]
    with app.test_request_context("/?lang=en"):
        yield


@pytest.mark.parametrize(("pence", "like", "said"), [
    (5_750_000_000, None, "£57.5 million"), (5_800_000_000, None, "£58 million"),
    (5_725_000_000, None, "£57.25 million"), (5_700_100_000, None, "£57.001 million"),
    (50_000_000, 5_800_000_000, "£0.5 million"), (50_000_000, None, "£500,000"),
    (5_700_000_050, None, "£57,000,000.50"), (123_456_700_000_000, None, "£1,234,567 million"),
    (-50_000_000, 5_800_000_000, "\u2212£0.5 million"), (31_872, None, "£318.72"),
])
def test_money_is_said_in_millions_only_when_exact(pence: int, like: int | None, said: str) -> None:
    assert budget_words.short_money(pence, like) == said


def test_slider_value_text_is_in_pounds_with_the_change_from_today() -> None:
    assert budget_words.value_text(5_750_000_000, -50_000_000) == (
        "£57.5 million, £0.5 million less than today")
    assert budget_words.value_text(5_850_000_000, 50_000_000) == (
        "£58.5 million, £0.5 million more than today")
    assert budget_words.value_text(500_000_000, 0) == "£5 million, the same as today"


def test_every_change_has_a_consequence_and_none_says_today() -> None:
    for a in areas(DEMO_Q):
        for amount in range(a["min"], a["max"] + 1, a["step"]):
            words = budget_words.consequence(a, amount)
            if amount == a["current"]:
                assert words == next((e["text"]["en"] for e in a["effects"] if e["at"] == amount), "")
                continue
            assert words, (a["id"], amount)
            assert "Today" not in words, (a["id"], amount, words)
            assert words.startswith("A rise of " if amount > a["current"] else "A cut of ")


def test_a_small_change_names_its_size_and_the_next_level() -> None:
    policing = areas(DEMO_Q)[0]  # today £58m; -5 % is £55.1m
    assert budget_words.consequence(policing, 5_750_000_000) == (
        "A cut of 0.9% (£0.5 million) from today. "
        "At £55.1 million or less: About 60 fewer PCSOs and fewer foot patrols.")
    assert budget_words.consequence(policing, 5_500_000_000) == (
        "A cut of 5.2% (£3 million) from today. About 60 fewer PCSOs and fewer foot patrols.")
    assert budget_words.consequence(policing, 7_000_000_000) == (
        "A rise of 20.7% (£12 million) from today. A named officer for every ward, with evening patrols.")
    support = next(a for a in areas(DEMO_Q) if a["id"] == "support")  # no level above today
    assert budget_words.consequence(support, 3_750_000_000) == (
        "A rise of 1.4% (£0.5 million) from today.")


def test_band_bills_follow_the_ratios_per_year_and_per_month() -> None:
    lever = DEMO_Q["levers"][0]
    bill_d, today_d = band_d(lever, Decimal("2.5")), band_d(lever, Decimal("0"))
    assert (bill_d, today_d) == (32_669, 31_872)
    # Band A is 6/9 of Band D: £326.69 × 6/9 = £217.79(3) a year, £18.15 a month.
    assert budget_words.bill_consequence("A", Fraction(6, 9), bill_d, today_d) == (
        "A Band A home would pay £217.79 a year (£18.15 a month). "
        "That is £5.31 a year (£0.44 a month) more than today.")
    assert budget_words.bill_consequence("H", Fraction(18, 9), today_d, today_d) == (
        "A Band H home would pay £637.44 a year (£53.12 a month). That is the same as today.")
    assert budget_words.per_month(-531) == -44


def test_the_page_shows_the_precept_consequence_and_a_band_choice(client) -> None:
    body = client.get(f"/c/{SLUG}").get_data(as_text=True)
    assert "A Band D home would pay £318.72 a year (£26.56 a month). That is the same as today." in body
    for band in "ABCDEFGH":
        assert f'<option value="{band}"' in body
    assert "A rise above 5% would need a local referendum." in body
    assert 'inputmode="decimal"' in body and 'type="number"' not in body


def test_bands_and_cap_are_checked_in_the_definition() -> None:
    raw = demo_raw()
    raw["levers"][0]["bands"] = {"A": "6/9", "Z": "1", "B": "0"}
    raw["levers"][0]["referendum_cap"] = "-1"
    found = problems_of(raw)
    assert "questions[0].levers[0].bands.Z: a band is one letter from A to I" in found
    assert "questions[0].levers[0].bands.B: a ratio to Band D, like 6/9 or 1.5" in found
    assert "questions[0].levers[0].bands.D: Band D is needed (its ratio is 9/9)" in found
    assert "questions[0].levers[0].referendum_cap: must be at least today's setting" in found
    raw = demo_raw()
    raw["groups"][0]["areas"][1]["comment"] = 7
    assert problems_of(raw) == [
        "questions[0].groups[0].areas[1].comment: must be text or a mapping of en/cy text"]
    q = normalise({**demo_raw(), "require_change": False})
    assert q["levers"][0]["referendum_cap"] == "5" and q["levers"][0]["bands"]["H"] == "18/9"


def test_an_area_comment_is_stored_with_the_answer(app, client) -> None:
    r = post_phone(client, {**demo_form(), "budget.local_policing.comment": "  More foot patrols  ",
                            "budget.roads.comment": "not asked for", "action": "submit"})
    assert r.status_code == 303
    [row] = rows(app, consultation_slug=SLUG)
    assert row.answers == {"budget": {**answer(DEMO_Q), "comments": {"local_policing": "More foot patrols"}}}


def test_a_refused_budget_keeps_the_comment(client) -> None:
    r = post_phone(client, {**demo_form(victims="6,000,000"),
                            "budget.local_policing.comment": "Keep the PCSOs", "action": "submit"})
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and "Keep the PCSOs</textarea>" in body


def test_random_answers_with_comments_allowed_still_check() -> None:
    import random

    value = budget.sample(DEMO_Q, random.Random(4))
    budget.check(DEMO_Q, {**value, "comments": {"local_policing": "ok"}})
