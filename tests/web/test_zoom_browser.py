"""Real Chromium at 200 % and 400 % zoom and 320 CSS px (WCAG 1.4.10 reflow, 2.4.11 focus not
obscured): no page scrolls sideways, and the budget's sticky balance box stays small and never
covers the control that has focus, for every Tab and Shift+Tab stop.

Zoom is emulated the way a browser zooms: a 1280×1024 window at 200 % lays pages out in a
640×512 CSS px viewport, at 400 % in 320×256 (a device scale factor would not change the layout).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.budget.test_budget import SLUG

pytestmark = pytest.mark.browser

ZOOM_2X, ZOOM_4X, NARROW = (640, 512), (320, 256), (320, 640)
PUBLIC_PAGES = ["/", "/events", "/c/policing-priorities", "/c/police-budget-2027", "/c/town-centre-safety",
                "/c/town-centre-safety/results", "/q/ZZZZZZ", "/no-such-page", "/draw/nope"]
START = re.compile(r"^Start\s*:")
BUDGET = re.compile(r"Start\s*:\s*Balance the 2027.28 police budget")

OVERFLOW = """() => {
  const doc = document.documentElement, wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > doc.clientWidth + 1 && getComputedStyle(el).position !== 'fixed'
        && !el.closest('.visually-hidden, .skip, dialog:not([open])')) {
      wide.push(`${el.tagName.toLowerCase()}.${el.className} right=${Math.round(r.right)}`);
    }
  }
  return {scroll: doc.scrollWidth, width: doc.clientWidth, wide: wide.slice(0, 5)};
}"""

COVER = """() => {
  const box = document.querySelector('.budget-summary').getBoundingClientRect();
  const el = document.activeElement, r = el.getBoundingClientRect();
  const stuck = getComputedStyle(document.querySelector('.budget-summary')).position === 'sticky';
  const overlap = stuck && r.bottom > box.top && r.top < box.bottom && r.right > box.left && r.left < box.right;
  return {overlap, what: `${el.tagName.toLowerCase()}#${el.id} ${(el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40)}`,
          el: [Math.round(r.top), Math.round(r.bottom)], box: [Math.round(box.top), Math.round(box.bottom)],
          visible: r.bottom > 0 && r.top < innerHeight};
}"""


def sized(browser, size: tuple[int, int]):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    return pg


def no_sideways_scroll(page, where: str) -> list[str]:  # type: ignore[no-untyped-def]
    got = page.evaluate(OVERFLOW)
    return [] if got["scroll"] <= got["width"] else [f"{where}: {got}"]


@pytest.mark.parametrize("size", [NARROW, ZOOM_2X, ZOOM_4X], ids=["320px", "zoom200", "zoom400"])
def test_no_public_or_kiosk_page_scrolls_sideways(live_server, live_kiosk, browser, size) -> None:
    page = sized(browser, size)
    problems: list[str] = []
    for path in PUBLIC_PAGES:
        for lang in ("en", "cy"):
            page.goto(f"{live_server.url}{path}?lang={lang}")
            problems += no_sideways_scroll(page, f"{path} ({lang})")
    page.goto(f"{live_kiosk.url}/kiosk/")
    problems += no_sideways_scroll(page, "kiosk attract")
    page.goto(f"{live_kiosk.url}/kiosk/staff/pin")
    problems += no_sideways_scroll(page, "kiosk staff PIN")
    page.goto(f"{live_kiosk.url}/kiosk/")
    starts = page.get_by_role("button", name=START).count()
    assert starts >= 2
    for start in range(starts):
        page.goto(f"{live_kiosk.url}/kiosk/")
        page.get_by_role("button", name=START).nth(start).click()
        expect(page.locator("h1")).to_have_count(1)
        problems += no_sideways_scroll(page, f"kiosk {start}")
        page.get_by_role("button", name="Next").click()  # nothing answered: the error state
        problems += no_sideways_scroll(page, f"kiosk {start} (error)")
    page.context.close()
    assert problems == [], "\n".join(problems)


def settled(page) -> dict:  # type: ignore[no-untyped-def]
    """The cover check at the current focus, once scrolling has had its chance (≤ ~1 s)."""
    got: dict = {}
    for _ in range(30):
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        got = page.evaluate(COVER)
        if got["visible"] and not got["overlap"]:
            break
    return got


def tab_stops(page, key: str, limit: int = 200) -> list[dict]:  # type: ignore[no-untyped-def]
    """Press key until focus has left the budget; the cover check at every stop on the way."""
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        # Two frames: the browser's own scroll to the focus, and budget.js's, are done by then; on
        # a loaded machine a scroll may land a few frames later, so a stop that looks hidden or
        # covered is measured again for up to a second before it counts.
        got = settled(page)
        seen.append(got)
        if not page.evaluate("() => !!document.activeElement.closest('.budget, fieldset')"):
            if len(seen) > 5:
                break
    return seen


@pytest.mark.parametrize(("size", "large"), [(ZOOM_2X, False), (ZOOM_2X, True), (ZOOM_4X, False),
                                             ((390, 844), True)],
                         ids=["zoom200", "zoom200-larger-text", "zoom400", "phone-larger-text"])
@pytest.mark.parametrize("where", ["phone", "kiosk"])
def test_the_balance_box_is_small_and_never_covers_the_focus(live_server, live_kiosk, browser,
                                                               size, large, where) -> None:
    page = sized(browser, size)
    if where == "phone":
        page.goto(f"{live_server.url}/c/{SLUG}")
    else:
        page.goto(f"{live_kiosk.url}/kiosk/")
        page.get_by_role("button", name=BUDGET).click()
    expect(page.locator("[data-budget-balance]")).to_be_visible()
    if large:  # the header's "Larger text", as a resident would press it
        page.locator("header button.textsize").click()
        expect(page.locator("html.large")).to_have_count(1)
    # Scroll into the budget so the box is stuck at the top, then measure how much it covers.
    page.get_by_role("slider").nth(3).focus()
    box = page.locator(".budget-summary").bounding_box()
    height = size[1]
    sticky = page.evaluate("getComputedStyle(document.querySelector('.budget-summary')).position") == "sticky"
    if size == ZOOM_2X:
        assert sticky and box["height"] <= 0.2 * height, box
    if sticky:
        assert box["height"] <= 0.2 * height, box
    assert no_sideways_scroll(page, "budget") == []

    page.locator("h1").first.focus() if where == "kiosk" else page.locator("#questions").focus()
    forward = tab_stops(page, "Tab")
    backward = tab_stops(page, "Shift+Tab")
    stops = forward + backward
    assert len([s for s in stops if s["what"].startswith("input#")]) >= 2 * 9  # sliders and boxes, both ways
    assert [s for s in stops if s["overlap"]] == []
    assert [s for s in stops if not s["visible"] and not s["what"].startswith(("body", "main", "form"))] == []
    page.context.close()
