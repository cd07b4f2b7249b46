"""What a screen reader gets, read from Chromium's own accessibility tree (CDP
Accessibility.getFullAXTree): sliders' values in pounds, scale radios named with their end labels,
one h1 on every kiosk question screen; and axe-core clean with forced colours on, where the
slider track and balance bar must still be drawn."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect

from kiosk.budget.rules import areas
from tests.budget.test_budget import DEMO_Q, SLUG
from tests.tablet.test_kiosk_browser import LABELS, answer_survey, choose_language

pytestmark = pytest.mark.browser

AREA_VALUE = re.compile(r"^£\d[\d,]*(\.\d+)?( million)?, "
                        r"(the same as today|£\d[\d,]*(\.\d+)?( million)? (more|less) than today)$")


def ax_nodes(page) -> list[dict]:  # type: ignore[no-untyped-def]
    """Every node Chromium exposes to assistive technology, ignored ones left out."""
    session = page.context.new_cdp_session(page)
    try:
        return [n for n in session.send("Accessibility.getFullAXTree")["nodes"] if not n.get("ignored")]
    finally:
        session.detach()


def role(node: dict) -> str:
    return node.get("role", {}).get("value", "")


def field(node: dict, key: str) -> str:
    return str(node.get(key, {}).get("value", ""))


def prop(node: dict, name: str) -> object:
    return next((p["value"].get("value") for p in node.get("properties", []) if p["name"] == name), None)


def sliders(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Each slider in the accessibility tree: its accessible name and the aria-valuetext a screen
    reader speaks. CDP reports a range's own number as `valuetext` and leaves aria-valuetext out
    (Chromium 156, for native and ARIA sliders alike), so the text is read from the same backend
    node the tree points at."""
    session = page.context.new_cdp_session(page)
    try:
        spoken = {}
        for n in session.send("Accessibility.getFullAXTree")["nodes"]:
            if n.get("ignored") or role(n) != "slider":
                continue
            node = session.send("DOM.describeNode", {"backendNodeId": n["backendDOMNodeId"]})["node"]
            attributes = dict(zip(node["attributes"][::2], node["attributes"][1::2], strict=True))
            spoken[field(n, "name")] = attributes.get("aria-valuetext", "")
        return spoken
    finally:
        session.detach()


def h1s(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [field(n, "name") for n in ax_nodes(page) if role(n) == "heading" and prop(n, "level") == 1]


def test_each_slider_speaks_its_value_in_pounds(live_server, phone) -> None:
    phone.goto(f"{live_server.url}/c/{SLUG}")
    expect(phone.get_by_role("slider").first).to_be_visible()
    spoken = sliders(phone)
    names = [a["name"]["en"] for a in areas(DEMO_Q)]
    assert sorted(spoken) == sorted([*names, "Police precept on council tax"])
    for name in names:
        assert AREA_VALUE.match(spoken[name]), (name, spoken[name])
    assert spoken["Neighbourhood policing"] == "£58 million, the same as today"
    assert spoken["Police precept on council tax"] == "0% change (£318.72 a year)"

    phone.get_by_role("slider", name="Neighbourhood policing").focus()
    phone.keyboard.press("ArrowLeft")
    expect(phone.get_by_role("slider", name="Neighbourhood policing")).to_have_attribute(
        "aria-valuetext", re.compile("less than today"))
    spoken = sliders(phone)
    assert spoken["Neighbourhood policing"] == "£57.5 million, £0.5 million less than today"
    effect = phone.locator('[data-area="local_policing"] [data-budget-effect]')
    expect(effect).to_have_text("A cut of 0.9% (£0.5 million) from today. At £55.1 million or less: "
                                "About 60 fewer PCSOs and fewer foot patrols.")
    phone.get_by_label("Amount for Victim services, in pounds").fill("5,500,000")
    spoken = sliders(phone)
    assert spoken["Victim services"] == "£5.5 million, £0.5 million more than today"
    assert all(AREA_VALUE.match(spoken[n]) for n in names)


def test_the_precept_says_what_each_band_pays(live_server, phone) -> None:
    phone.goto(f"{live_server.url}/c/{SLUG}")
    words = phone.locator("[data-budget-bill-words]")
    expect(words).to_have_text("A Band D home would pay £318.72 a year (£26.56 a month). That is the same as today.")
    phone.get_by_role("slider", name="Police precept on council tax").focus()
    phone.keyboard.press("ArrowRight")
    phone.get_by_label("Your council tax band").select_option("A")
    # £320.31 × 6/9 = £213.54 a year; today's £212.48: £1.06 more, about £0.09 a month.
    expect(words).to_have_text("A Band A home would pay £213.54 a year (£17.80 a month). "
                               "That is £1.06 a year (£0.09 a month) more than today.")
    described = [n for n in ax_nodes(phone) if role(n) == "slider" and field(n, "name").startswith("Police")]
    assert "A Band A home would pay £213.54 a year" in field(described[0], "description")
    phone.get_by_role("slider", name="Police precept on council tax").focus()
    for _ in range(10):  # to +5.5 %: past the referendum cap
        phone.keyboard.press("ArrowRight")
    phone.get_by_role("button", name="Submit my answers").click()
    blocked = phone.locator(".budget-blocked")
    expect(blocked).to_contain_text("a rise above 5% would need a local referendum")
    expect(blocked).to_be_focused()  # Submit stays enabled and moves focus to the reason instead


def test_scale_radios_are_named_with_their_end_labels(live_server, phone) -> None:
    phone.goto(f"{live_server.url}/c/policing-priorities")
    nodes = ax_nodes(phone)
    radios = [n for n in nodes if role(n) == "radio"]
    scale = {field(n, "name"): field(n, "description") for n in radios if re.match(r"^\d", field(n, "name"))}
    assert "1, Very unsafe" in scale and "5, Very safe" in scale, scale
    for middle in ("2", "3", "4"):
        assert scale[middle] == "1 = Very unsafe 5 = Very safe", (middle, scale)
    assert set(scale) == {"1, Very unsafe", "2", "3", "4", "5, Very safe"}
    groups = [n for n in nodes if role(n) == "group" and "How safe do you feel" in field(n, "name")]
    assert groups  # the fieldset; the help text is linked where a question has one
    phone.goto(f"{live_server.url}/c/{SLUG}")
    budget_group = [n for n in ax_nodes(phone) if role(n) == "group" and "How would you spend" in field(n, "name")]
    assert "Each slider starts at what we spend today" in field(budget_group[0], "description")


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_every_kiosk_question_screen_has_one_h1(live_kiosk, page, lang: str) -> None:
    text = LABELS[lang]
    page.goto(f"{live_kiosk.url}/kiosk/")
    choose_language(page, lang)
    page.get_by_role("button", name=text["start"]).click()
    seen: list[list[str]] = []
    answer_survey(page, lang, check=lambda: seen.append(h1s(page)))
    assert len(seen) == 5 and all(len(h) == 1 for h in seen), seen
    assert seen[0][0].startswith(("How safe do you feel", "Pa mor ddiogel"))
    page.goto(f"{live_kiosk.url}/kiosk/")
    page.get_by_role("button", name=text["budget"]).click()
    expect(page.locator("[data-budget-balance]")).to_be_visible()
    budget_h1 = h1s(page)
    assert len(budget_h1) == 1 and budget_h1[0].startswith(("How would you spend", "Sut fyddech"))
    page.get_by_role("button", name=text["next"], exact=True).click()  # today's budget is an answer
    expect(page.locator("#q-why")).to_be_visible()
    assert len(h1s(page)) == 1


def distinct_colours(png: bytes) -> int:
    from PIL import Image

    return len(Image.open(io.BytesIO(png)).convert("RGB").getcolors(maxcolors=100_000) or [])


@pytest.fixture(scope="module")
def axe():  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def serious(axe, page) -> list:  # type: ignore[no-untyped-def]
    return [(v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in axe.run(page).response["violations"] if v["impact"] in ("serious", "critical")]


def test_forced_colours_keep_the_track_and_bar_and_axe_is_clean(live_server, live_kiosk, phone, axe) -> None:
    phone.emulate_media(forced_colors="active")
    phone.goto(f"{live_server.url}/c/{SLUG}")
    assert phone.evaluate("matchMedia('(forced-colors: active)').matches")
    phone.get_by_role("slider", name="Victim services").focus()
    phone.keyboard.press("ArrowRight")  # something in the bar to draw
    track = phone.locator('[data-area="victims"] .budget-track').screenshot()
    bar = phone.locator(".budget-bar").screenshot()
    assert distinct_colours(track) >= 3  # canvas, the track line and the thumb
    assert distinct_colours(bar) >= 2
    assert serious(axe, phone) == []
    for path in ("/c/policing-priorities", "/"):
        phone.goto(live_server.url + path)
        assert serious(axe, phone) == [], path
    phone.goto(f"{live_kiosk.url}/kiosk/")
    phone.get_by_role("button", name=LABELS["en"]["budget"]).click()
    assert serious(axe, phone) == []
