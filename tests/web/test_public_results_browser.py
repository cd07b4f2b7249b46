"""Real Chromium: a closed budget consultation's published results show per-area means and the
precept chosen, every chart has a data table, and the page is axe clean in English and Welsh."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from kiosk.budget import question as budget
from kiosk.budget.rules import areas, money
from kiosk.consultations import results as publication
from kiosk.consultations import store as consultations
from kiosk.core.timeutil import london_today
from kiosk.reports import tallies
from kiosk.responses import store as responses
from tests.web.test_public_site_browser import WIDE, axe, serious  # noqa: F401  (the axe fixture)

pytestmark = pytest.mark.browser
SLUG = "police-budget-2027"
#: Every chart (an SVG image) sits in a figure with a captioned table with headers.
CHARTS_WITHOUT_TABLES = """() => [...document.querySelectorAll('main svg[role="img"]')]
  .filter(svg => { const f = svg.closest('figure');
                   const t = f && f.querySelector('table');
                   return !(t && t.querySelector('caption') && t.querySelector('th[scope]')); })
  .length"""


def test_closed_budget_results_show_means_and_the_precept_with_tables(app, live_server, phone,
                                                                      axe) -> None:  # noqa: F811
    with app.app_context():
        defn = consultations.definition(SLUG)
        rng = random.Random(21)
        for i in range(9):
            responses.submit(defn, 1, {"budget": budget.sample(defn["questions"][0], rng)},
                             language="cy" if i % 3 else "en", channel="web" if i % 2 else "kiosk")
        consultations.set_status(SLUG, "closed")
        q = consultations.merged_definition(SLUG)["questions"][0]
        expected = tallies.summary(SLUG, q)
        publication.save(SLUG, publication.Content(
            {"we_asked": {"en": "We asked how to spend the budget.", "cy": "Gofynnon ni sut i wario'r gyllideb."},
             "you_said": {"en": "You chose.", "cy": "Dewisoch chi."},
             "we_did": {"en": "We set the precept.", "cy": "Fe wnaethon ni osod y praesept."}},
            ["budget", "channels", "areas"], [], london_today() - dt.timedelta(days=1)), "test")
    for lang in ("en", "cy"):
        phone.goto(f"{live_server.url}/c/{SLUG}/results?lang={lang}")
        assert phone.locator("html").get_attribute("lang") == lang
        means = phone.locator("table.budget-results tbody tr")
        assert means.count() == len(areas(q))
        for a in areas(q):
            row = phone.locator(f'table.budget-results tr[data-area="{a["id"]}"] td').nth(1)
            assert row.inner_text() == money(expected["areas"][a["id"]]["mean"])
        precept = phone.locator('[data-lever="precept"] table tbody tr')
        counts = expected["levers"]["precept"]["counts"]
        assert precept.count() == len(counts)
        shown = [int(precept.nth(i).locator("td").inner_text()) for i in range(precept.count())]
        assert shown == list(counts.values()) and sum(shown) == 9
        assert phone.locator('main svg[role="img"]').count() >= 4
        assert phone.evaluate(CHARTS_WITHOUT_TABLES) == 0
        assert serious(axe, phone) == [], lang
    assert "Fe wnaethon ni osod y praesept." in phone.content()
    phone.set_viewport_size({"width": 320, "height": 640})  # WCAG 1.4.10: charts reflow, tables scroll
    assert phone.evaluate(WIDE) == []
