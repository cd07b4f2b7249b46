"""Real Chromium at a street stall: idle reset, the staff corner and PIN, the flow in Welsh,
axe-core on every kiosk screen in both languages, and a kiosk that never reaches off the machine."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from kiosk.core.db import db
from kiosk.events.models import Event
from kiosk.responses.models import Draft
from tests.browser.test_survey_browser import EXPECTED
from tests.conftest import rows

pytestmark = pytest.mark.browser

SLUG = "policing-priorities"
BUDGET = "police-budget-2027"

# What a resident taps, by language (interface strings from the catalogue, content from the demo).
LABELS = {
    "en": {"start": "Start: Your priorities for policing", "next": "Next", "submit": "Submit my answers",
           "thanks": "Thank you", "other": "Other", "other_text": "Other, please say",
           "contact": ["Email alerts", "Street stalls"], "limit": "Social media",
           "rank": {"visible": "Visible neighbourhood policing", "victims": "Support for victims",
                    "roads": "Safer roads", "online": "Tackling online fraud"},
           "comments": "Is there anything else", "finish": "Finish", "draw": "Enter the prize draw",
           "budget": re.compile(r"Start\s*:\s*Balance the 2027.28 police budget"),
           "opt_in": "Yes, enter me in the prize draw", "name": "Your name",
           "address": "Email address or phone number", "enter": "Enter the draw",
           "pin_button": "Open the staff panel", "panel": "Kiosk staff panel"},
    "cy": {"start": "Dechrau: Eich blaenoriaethau ar gyfer plismona", "next": "Nesaf",
           "submit": "Cyflwyno fy atebion", "thanks": "Diolch", "other": "Arall",
           "other_text": "Arall, dywedwch beth", "contact": ["Rhybuddion e-bost", "Stondinau stryd"],
           "limit": "Cyfryngau cymdeithasol",
           "rank": {"visible": "Plismona cymdogaeth gweladwy", "victims": "Cymorth i ddioddefwyr",
                    "roads": "Ffyrdd mwy diogel", "online": "Mynd i'r afael â thwyll ar-lein"},
           "comments": "Oes unrhyw beth arall", "finish": "Gorffen", "draw": "Ymuno â’r raffl",
           "budget": re.compile(r"Dechrau\s*:\s*Mantolwch gyllideb"), "opt_in": None, "name": None, "address": None,
           "enter": None, "pin_button": "Agor y panel staff", "panel": "Panel staff y ciosg"},
}
RANKING = {"visible": "2", "victims": "1", "roads": "4", "online": "3"}


def choose_language(page, lang: str) -> None:  # type: ignore[no-untyped-def]
    """On the attract screen, pick the language up front."""
    name = {"en": "English", "cy": "Cymraeg"}[lang]
    page.locator(".lang-choice").get_by_role("button", name=name).click()
    expect(page.locator("html")).to_have_attribute("lang", lang)


def answer_survey(page, lang: str, check=lambda: None) -> None:  # type: ignore[no-untyped-def]
    """Answer every question type of the demo survey; check() runs on each screen."""
    text = LABELS[lang]

    def next_screen() -> None:
        check()
        page.get_by_role("button", name=text["next"], exact=True).click()

    page.get_by_role("radio", name="4").check()
    next_screen()
    page.locator("#q-top_concern").get_by_role("radio", name=text["other"], exact=True).check()
    page.locator("#q-top_concern").get_by_label(text["other_text"]).fill("Litter")
    next_screen()
    for name in text["contact"]:
        page.get_by_role("checkbox", name=name).check()
    expect(page.get_by_role("checkbox", name=text["limit"])).to_be_disabled()
    next_screen()
    for key, pos in RANKING.items():
        page.get_by_label(text["rank"][key]).select_option(pos)
    next_screen()
    page.get_by_label(text["comments"]).fill("More patrols please")
    check()


def drafts(application) -> list[dict]:  # type: ignore[no-untyped-def]
    """Every partial answer held in the kiosk database."""
    with application.app_context():
        return [d.answers for d in db.session.execute(select(Draft)).scalars()]


def assert_attract_screen_without_answers(page, base: str) -> None:  # type: ignore[no-untyped-def]
    expect(page).to_have_url(base + "/kiosk/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Have your say / Dweud eich dweud")
    html = page.content()
    assert "Litter" not in html and "More patrols" not in html
    assert page.locator("input:checked").count() == 0


# --- acceptance 1: a resident walks away -----------------------------------------------------


def test_a_resident_who_walks_away_is_forgotten(quick_kiosk, page, browser) -> None:
    base, app = quick_kiosk.url, quick_kiosk.app
    page.goto(base + "/kiosk/")
    page.get_by_role("button", name=LABELS["en"]["start"]).click()
    page.get_by_role("radio", name="4").check()
    page.get_by_role("button", name="Next").click()
    page.locator("#q-top_concern").get_by_role("radio", name="Other", exact=True).check()
    page.locator("#q-top_concern").get_by_label("Other, please say").fill("Litter")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Question 3 of 5")).to_be_visible()
    answered = [page.url.replace("/2", "/0"), page.url.replace("/2", "/1"), page.url]
    page.get_by_role("checkbox", name="Email alerts").check()
    assert drafts(app) == [{"safe_day": 4, "top_concern": "other", "top_concern.other": "Litter"}]

    # ...and walks away: "Still there?" counts down, then the attract screen returns
    dialog = page.get_by_role("dialog", name="Still there? / Dal yna?")
    expect(dialog).to_be_visible(timeout=5_000)
    expect(dialog).to_contain_text("Starting again in")
    expect(dialog.locator("[data-seconds]")).to_have_text("1")
    page.wait_for_url(base + "/kiosk/", timeout=5_000)
    assert_attract_screen_without_answers(page, base)
    assert drafts(app) == [] and rows(app) == []  # no partial record, no response

    for _ in range(3):  # Back, as far as the history goes, brings none of it back
        page.go_back()
        if page.url == "about:blank":
            break
        assert_attract_screen_without_answers(page, base)
    page.goto(answered[1])
    assert_attract_screen_without_answers(page, base)
    page.reload()
    assert_attract_screen_without_answers(page, base)

    other = browser.new_context(viewport={"width": 1024, "height": 768})
    try:
        stranger = other.new_page()
        for url in answered:  # a new session at the same addresses
            stranger.goto(url)
            assert_attract_screen_without_answers(stranger, base)
    finally:
        other.close()
    assert drafts(app) == [] and rows(app) == []


def test_after_the_draw_the_next_person_finds_nothing(draw_kiosk, page) -> None:
    base = draw_kiosk.url
    page.goto(base + "/kiosk/")
    page.get_by_role("button", name=LABELS["en"]["start"]).click()
    answer_survey(page, "en")
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_role("link", name="Enter the prize draw").click()
    draw_page = page.url
    page.get_by_role("checkbox", name="Yes, enter me in the prize draw").check()
    page.get_by_label("Your name").fill("Bryn Jones")
    page.get_by_label("Email address or phone number").fill("07700 900123")
    page.get_by_role("button", name="Enter the draw").click()
    page.get_by_role("heading", name="You are in the draw").wait_for()
    page.get_by_role("link", name="Finish").click()
    page.wait_for_url(base + "/kiosk/")
    page.go_back()  # the next person presses Back: no resubmission prompt, no form, no answers
    assert_attract_screen_without_answers(page, base)
    assert "Bryn" not in page.content()
    page.goto(draw_page)  # the entry form is only for someone just thanked
    assert_attract_screen_without_answers(page, base)
    [row] = rows(draw_kiosk.app)
    assert row.answers == EXPECTED


# --- acceptance 2: staff corner, PIN, event -----------------------------------------------------


def hold(page, target, seconds: float) -> None:  # type: ignore[no-untyped-def]
    """Press and hold a finger (the mouse) on an element."""
    box = target.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.wait_for_timeout(int(seconds * 1000))
    page.mouse.up()


def pin_form(page):  # type: ignore[no-untyped-def]
    return page.locator("form.login").get_by_label(re.compile(r"^(Staff PIN|PIN staff)$"))


def type_pin(page, pin: str) -> None:  # type: ignore[no-untyped-def]
    pin_form(page).fill(pin)
    page.locator("form.login").get_by_role("button").click()


def answer_minimum(page, base: str) -> None:  # type: ignore[no-untyped-def]
    """The required questions only, then submit."""
    page.goto(base + "/kiosk/")
    page.get_by_role("button", name=LABELS["en"]["start"]).click()
    page.get_by_role("radio", name="2").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("radio", name="Burglary").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Next").click()
    for key, pos in RANKING.items():
        page.get_by_label(LABELS["en"]["rank"][key]).select_option(pos)
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_role("heading", name="Thank you").wait_for()


def test_staff_corner_pin_and_event_tagging(live_kiosk, page) -> None:
    import datetime as dt
    import time

    base, app = live_kiosk.url, live_kiosk.app
    with app.app_context():  # an event pulled from the hub earlier
        db.session.add(Event(id="0b7a3f0e-0000-4000-8000-000000000001", name={"en": "PACT meeting"},
                             place="Riverside community centre", consultations=[], source="hub",
                             starts_at=dt.datetime.combine(dt.date.today(), dt.time(18, 30))))
        db.session.commit()
    page.goto(base + "/kiosk/")
    corner = page.get_by_role("link", name="Staff (press and hold)")
    corner.click()  # a tap is not the gesture
    page.wait_for_timeout(300)
    expect(page).to_have_url(base + "/kiosk/")
    hold(page, corner, 1.0)  # nor is a short press
    expect(page).to_have_url(base + "/kiosk/")
    hold(page, corner, 3.3)
    page.wait_for_url(base + "/kiosk/staff/pin")

    for wrong in ("0000", "1234"):
        type_pin(page, wrong)
        expect(page.get_by_role("alert")).to_contain_text("That PIN is not right.")
        expect(pin_form(page)).to_have_attribute("aria-describedby", "pin-error")
    locked_at = time.monotonic()
    type_pin(page, "9999")
    expect(page.get_by_role("alert")).to_contain_text("Too many wrong PINs. Try again in 2 seconds.")
    expect(pin_form(page)).to_be_disabled()
    # the lock is on the server, not just the form: the right PIN, forced through, is refused
    page.evaluate("document.querySelectorAll('form.login [disabled]')"
                  ".forEach(function (e) { e.disabled = false; })")
    type_pin(page, "4321")
    expect(page.get_by_role("alert")).to_contain_text("Too many wrong PINs")
    expect(page).to_have_url(base + "/kiosk/staff/pin")
    while pin_form(page).is_disabled():  # the lock-out passes; then the right PIN works
        assert time.monotonic() - locked_at < 6, "the 2 s lock-out did not end"
        page.wait_for_timeout(250)
        page.goto(base + "/kiosk/staff/pin")
    assert time.monotonic() - locked_at >= 1.0  # slowed: nothing got through at once
    type_pin(page, "4321")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiosk staff panel")

    page.get_by_label("Choose an event").select_option(
        label=f"PACT meeting – Riverside community centre – {dt.date.today().isoformat()}")
    page.get_by_role("button", name="Use this event", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("Current event saved. New responses are tagged with it.")
    expect(page.locator("#h-event + p")).to_contain_text("PACT meeting")
    page.get_by_role("button", name="Sign out and return to the start screen").click()
    expect(page).to_have_url(base + "/kiosk/")
    answer_minimum(page, base)

    page.goto(base + "/kiosk/")  # the keyboard route: the stop after "Skip to content", Enter
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Tab")
    expect(corner).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/kiosk/staff/pin")
    type_pin(page, "4321")
    page.get_by_label("Name", exact=True).fill("Market stall")
    page.get_by_label("Place", exact=True).fill("Avonbridge market square")
    page.get_by_role("button", name="Create and use this event").click()
    expect(page.get_by_role("alert")).to_have_text("Event created. New responses are tagged with it.")
    page.get_by_role("button", name="Sign out and return to the start screen").click()
    answer_minimum(page, base)

    with app.app_context():
        market = db.session.execute(select(Event).filter_by(place="Avonbridge market square")).scalar_one()
        assert (market.name, market.source, market.starts_at.date()) == (
            {"en": "Market stall"}, "local", dt.date.today())
    first, second = sorted(rows(app), key=lambda r: r.id)
    assert first.event_id == "0b7a3f0e-0000-4000-8000-000000000001"
    assert second.event_id == market.id
    assert first.answers["top_concern"] == second.answers["top_concern"] == "burglary"
    page.goto(base + "/kiosk/staff/")  # signing out ended the staff session
    expect(page).to_have_url(base + "/kiosk/staff/pin")


# --- acceptance 3: the whole flow in Welsh ------------------------------------------------------


def english_strings(content: list[dict]) -> list[re.Pattern]:
    """Patterns for every English interface string the code uses (unless its Welsh is the same)
    and every English text of the given consultation content."""
    from tests.test_translations import interface_strings, welsh_catalogue

    welsh = welsh_catalogue()
    texts = []
    for m in interface_strings():
        msgid = m.id[0] if isinstance(m.id, tuple) else m.id
        found = welsh.get(m.id, m.context)
        msgstr = (found.string[0] if isinstance(found.string, tuple) else found.string) if found else ""
        if msgid and msgstr != msgid and len(re.sub(r"%\(\w+\)s|\W", "", msgid)) >= 4:
            texts.append(msgid)

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("en"), str) and node.get("cy") and node["cy"] != node["en"]:
                texts.append(node["en"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(content)
    return [_pattern(t) for t in set(texts)]


def _pattern(text: str) -> re.Pattern:
    """A whole-text pattern for a message, any value standing in for its placeholders."""
    parts = re.split(r"%\(\w+\)s", text)
    return re.compile(r"\s*" + r".+?".join(re.escape(" ".join(p.split())) for p in parts) + r"\s*")


PAGE_TEXTS = """() => {
  const out = [];
  // text marked lang="en" inside the page is English on purpose ("Have your say / Dweud ...")
  const inEnglish = (el) => {
    const l = el && el.closest('[lang]');
    return l && l !== document.documentElement && l.lang === 'en';
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || el.closest('script, style, noscript') || inEnglish(el)) continue;
    const t = node.textContent.replace(/\\s+/g, ' ').trim();
    if (t) out.push(t);
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
    if (inEnglish(el)) continue;
    for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
      if (el.hasAttribute(a)) out.push(el.getAttribute(a).replace(/\\s+/g, ' ').trim());
    }
  }
  out.push(document.title);
  return out;
}"""


def english_on(page, patterns: list[re.Pattern]) -> list[str]:  # type: ignore[no-untyped-def]
    """Texts on the page (outside lang="en") that are an untranslated English string."""
    return sorted({t for t in page.evaluate(PAGE_TEXTS) for p in patterns if p.fullmatch(t)})


@pytest.fixture(scope="module")
def english() -> list[re.Pattern]:
    import yaml

    from kiosk.demo.content import DEMO_DIR

    return english_strings([yaml.safe_load(p.read_text()) for p in sorted(DEMO_DIR.glob("*.yaml"))])


def test_the_whole_kiosk_flow_in_welsh(live_kiosk, page, english) -> None:
    base = live_kiosk.url
    seen: list[str] = []

    def no_english() -> None:
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        seen.append(page.url)
        assert english_on(page, english) == [], page.url

    page.goto(base + "/kiosk/")
    choose_language(page, "cy")
    no_english()
    expect(page.get_by_text("Dewiswch ymgynghoriad i ddechrau.")).to_be_visible()
    page.get_by_role("button", name=LABELS["cy"]["start"]).click()
    expect(page.get_by_text("Cwestiwn 1 o 5")).to_be_visible()
    answer_survey(page, "cy", check=no_english)
    page.get_by_role("button", name="Cyflwyno fy atebion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diolch")
    no_english()
    assert len(set(seen)) == 7  # the attract screen, five questions, thank-you
    [row] = rows(live_kiosk.app)
    assert row.language == "cy"
    assert row.answers == EXPECTED and row.channel == "kiosk"
    page.get_by_role("link", name="Gorffen").click()  # Finish forgets them; Back shows nothing
    page.wait_for_url(base + "/kiosk/")
    page.go_back()
    assert_attract_screen_without_answers(page, base)


def test_the_english_detector_finds_english(live_kiosk, page, english) -> None:
    """The Welsh check above can fail: on an English screen it finds the English strings."""
    page.goto(live_kiosk.url + "/kiosk/")
    page.get_by_role("button", name=LABELS["en"]["start"]).click()
    found = english_on(page, english)
    assert "Next" in found and "How safe do you feel in your neighbourhood during the day?" in found
    assert "Question 1 of 5" in found


# --- acceptance 4: axe-core on every kiosk screen, in English and Welsh ----------------------------


@pytest.fixture(scope="module")
def axe():  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


SMALL_TARGETS = """() => {
  const small = [];
  const targets = document.querySelectorAll(
    'button, .button, select, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), textarea, label.choice, summary');
  for (const el of targets) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') continue;  // not shown
    if (el.closest('dialog:not([open])')) continue;
    if (r.width < 44 || r.height < 44) small.push(`${el.tagName.toLowerCase()} ${(el.textContent || el.name || '').trim().slice(0, 30)} ${Math.round(r.width)}x${Math.round(r.height)}`);
  }
  return small;
}"""


class Audit:
    """axe-core (serious and critical), 44 px touch targets and, in Welsh, no English text."""

    def __init__(self, page, axe, lang: str, english: list[re.Pattern]) -> None:  # type: ignore[no-untyped-def]
        self.page, self.axe, self.lang, self.english = page, axe, lang, english
        self.problems: list[str] = []
        self.screens: list[str] = []

    def __call__(self, screen: str) -> None:
        page = self.page
        expect(page.locator("html")).to_have_attribute("lang", self.lang)
        self.screens.append(screen)
        results = self.axe.run(page)
        for v in results.response["violations"]:
            if v["impact"] in ("serious", "critical"):
                self.problems.append(f"{screen}: axe {v['id']} ({v['impact']}) "
                                     f"{[n['target'] for n in v['nodes']][:3]}")
        for small in page.evaluate(SMALL_TARGETS):
            self.problems.append(f"{screen}: touch target under 44 px: {small}")
        if self.lang == "cy":
            for text in english_on(page, self.english):
                self.problems.append(f"{screen}: English text {text!r}")


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_every_kiosk_screen_passes_axe(draw_kiosk, page, axe, english, lang: str) -> None:
    base, text = draw_kiosk.url, LABELS[lang]
    audit = Audit(page, axe, lang, english)
    page.goto(base + "/kiosk/")
    choose_language(page, lang)
    audit("attract screen")

    page.get_by_role("button", name=text["start"]).click()
    expect(page.locator("#q-safe_day")).to_be_visible()
    page.evaluate("document.getElementById('idle').showModal()")
    audit("Still there? dialog")
    page.reload()
    page.get_by_role("button", name=text["next"], exact=True).click()  # nothing chosen yet
    expect(page.locator("#err-safe_day")).to_be_visible()
    audit("error state (scale)")
    screens = iter(["scale", "single choice with other", "multiple choice", "ranking", "free text"])
    answer_survey(page, lang, check=lambda: audit(next(screens)))
    page.get_by_role("button", name=text["submit"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["thanks"])
    audit("thank-you with the draw offer")

    page.get_by_role("link", name=text["draw"]).click()
    audit("prize-draw entry")
    page.locator("form.draw-entry button[type=submit]").click()
    expect(page.locator(".draw-entry [role=alert]").first).to_be_visible()
    audit("prize-draw entry errors")
    page.locator("form.draw-entry input[type=checkbox]").check()
    page.locator("form.draw-entry input[name=name]").fill("Bryn Jones")
    page.locator("form.draw-entry input[name=contact]").fill("07700 900123")
    page.locator("form.draw-entry button[type=submit]").click()
    expect(page.locator("form.draw-entry")).to_have_count(0)
    audit("prize-draw entered")

    page.goto(base + "/kiosk/")
    page.get_by_role("button", name=text["budget"]).click()
    expect(page.locator("[data-budget-balance]")).to_be_visible()
    audit("budget")
    page.get_by_role("slider").first.focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator(".budget-balance.bad")).to_be_visible()
    expect(page.locator(".budget-blocked")).to_be_visible()  # overspent: it says why not yet
    audit("budget overspent")

    page.goto(base + "/kiosk/staff/pin")
    audit("staff PIN")
    type_pin(page, "0000")
    expect(page.locator("#pin-error")).to_be_visible()
    audit("staff PIN error")
    type_pin(page, "4321")
    expect(page.get_by_role("heading", level=1)).to_have_text(text["panel"])
    audit("staff panel")
    page.locator("#ev-name").fill("Market stall")
    page.locator("#ev-place").fill("Avonbridge market square")
    page.locator("form[action$='/event/new'] button").click()
    audit("staff panel with a chosen event")
    assert audit.problems == []
    assert len(audit.screens) == 18


# --- acceptance 5: no request leaves the machine -------------------------------------------------


def test_a_response_completes_with_every_outside_request_blocked(live_kiosk, page) -> None:
    base = live_kiosk.url
    blocked: list[str] = []
    served: list[str] = []

    def gate(route) -> None:  # type: ignore[no-untyped-def]
        url = route.request.url
        if urlsplit(url).hostname in ("127.0.0.1", "localhost", "::1"):
            served.append(url)
            route.continue_()
        else:
            blocked.append(url)
            route.abort("internetdisconnected")

    page.context.route("**/*", gate)
    page.goto(base + "/kiosk/")
    page.get_by_role("button", name=LABELS["en"]["budget"]).click()
    slider = page.get_by_role("slider", name="Neighbourhood policing", exact=True)
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.get_by_role("slider", name="Police precept on council tax", exact=True).focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator("[data-budget-balance]")).to_have_text("Balanced")
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    page.get_by_role("link", name="Finish").click()  # the reset is a fetch() too
    page.wait_for_url(base + "/kiosk/")

    assert blocked == []
    paths = {urlsplit(u).path for u in served}
    assert {"/static/voxbox.css", "/static/kiosk.js", "/static/budget.js", "/static/budget.css",
            "/kiosk/reset"} <= paths
    [row] = rows(live_kiosk.app)
    assert row.consultation_slug == BUDGET
    assert row.answers["budget"]["levers"] == {"precept": "0.5"}
