"""Real Chromium on a phone: the public site in English and Welsh passes axe-core (no serious or
critical violations), and a scanned poster leads to a response that carries its code."""

from __future__ import annotations

import pytest

from tests.conftest import rows
from tests.responses.test_survey_browser import answer_every_type

pytestmark = pytest.mark.browser

PAGES = ["/", "/events", "/c/policing-priorities", "/c/police-budget-2027", "/c/town-centre-safety",
         "/c/town-centre-safety/results", "/q/ZZZZZZ", "/no-such-page", "/staff/login"]
WIDE = """() => {
  const doc = document.documentElement, out = [];
  if (doc.scrollWidth <= doc.clientWidth) return out;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > doc.clientWidth + 1 && !el.closest('.table-scroll, .visually-hidden'))
      out.push(`${el.tagName.toLowerCase()}.${el.className} right=${Math.round(r.right)}`);
  }
  return out.slice(0, 4);
}"""
STAFF_PAGES = ["/staff/", "/staff/c/policing-priorities", "/staff/c/police-budget-2027",
               "/staff/c/policing-priorities/report", "/staff/events/", "/staff/events/new",
               "/staff/posters/", "/staff/consultations/import", "/staff/devices/",
               "/staff/draws/", "/staff/draws/new", "/staff/users/", "/staff/audit/",
               "/staff/areas/", "/staff/password", "/staff/2fa", "/staff/c/town-centre-safety/results"]


@pytest.fixture(scope="module")
def axe():  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def serious(axe, page) -> list:  # type: ignore[no-untyped-def]
    """axe-core's serious and critical violations on the page as it is now."""
    results = axe.run(page)
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_public_pages_are_axe_clean_on_a_phone(live_server, phone, axe, lang: str) -> None:
    for path in PAGES:
        phone.goto(f"{live_server.url}{path}?lang={lang}")
        assert phone.locator("html").get_attribute("lang") == lang
        assert serious(axe, phone) == [], f"{path} ({lang})"


def test_the_error_state_and_thank_you_page_are_axe_clean(live_server, phone, axe) -> None:
    phone.goto(f"{live_server.url}/c/policing-priorities")
    phone.get_by_role("link", name="Start").click()
    phone.get_by_role("button", name="Submit my answers").click()  # nothing answered
    assert phone.locator(".error-summary").is_visible()
    assert serious(axe, phone) == [], "answer page with errors"
    answer_every_type(phone, None)
    phone.get_by_role("button", name="Submit my answers").click()
    phone.get_by_role("heading", name="Thank you").wait_for()
    assert serious(axe, phone) == [], "thank-you page"


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_staff_pages_are_axe_clean(live_server, page, axe, lang: str) -> None:
    from kiosk.core import auth
    from kiosk.core.db import db
    from kiosk.core.timeutil import utcnow
    from kiosk.outreach import costs, tracking
    from sync import set_aside

    with live_server.app.app_context():
        auth.create_user("axe@example.org", "Axe", "correct horse battery", "admin")
        code = tracking.create("policing-priorities", "bus_stop", "Stop 1").code
        costs.set_cost(code, 1250)  # the report shows its cost columns
        record = {"uuid": "0" * 8 + "-0000-4000-8000-" + "0" * 12, "consultation": "policing-priorities",
                  "answers": {"q1": "yes"}}
        set_aside.store([set_aside.row(record["uuid"], {"record": record, "hash": "0" * 64},
                                       "conflict", "a test conflict", None, utcnow())], None)
        db.session.commit()
    pages = STAFF_PAGES + [f"/staff/posters/{code}", "/staff/devices/set-aside",
                           "/staff/devices/set-aside/1"]
    page.goto(f"{live_server.url}/staff/login?lang={lang}")
    page.locator("input[name=email]").fill("axe@example.org")
    page.locator("input[name=password]").fill("correct horse battery")
    page.locator("form.login button[type=submit], main form button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/staff/")
    for path in pages:
        response = page.goto(f"{live_server.url}{path}?lang={lang}")
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == lang, path
        assert serious(axe, page) == [], f"{path} ({lang})"
    # WCAG 1.4.10 at 320 CSS px: no staff page scrolls sideways; a wide data table scrolls in its own
    # focusable region instead.
    page.set_viewport_size({"width": 320, "height": 640})
    wide = []
    for path in pages:
        page.goto(f"{live_server.url}{path}?lang={lang}")
        wide += [f"{path}: {x}" for x in page.evaluate(WIDE)]
    assert wide == []


def test_a_scanned_poster_leads_to_a_coded_response(live_server, phone) -> None:
    from kiosk.outreach import tracking

    with live_server.app.app_context():
        code = tracking.create("policing-priorities", "cutout", "Library cutout").code
    phone.goto(f"{live_server.url}/q/{code}")
    assert phone.url == f"{live_server.url}/c/policing-priorities?code={code}"
    phone.get_by_role("link", name="Start").click()
    answer_every_type(phone, None)
    phone.get_by_role("button", name="Submit my answers").click()
    phone.get_by_role("heading", name="Thank you").wait_for()
    [row] = rows(live_server.app)
    assert (row.tracking_code, row.channel) == (code, "web")
