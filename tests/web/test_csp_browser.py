"""The Content-Security-Policy in a real Chromium: the main pages of both roles run with nothing
blocked (the page/phone fixtures fail a test on any CSP console error), and an injected inline
script is refused, which shows the policy is enforced and the check sees it."""

from __future__ import annotations

import pytest

from tests.conftest import csp_violations

pytestmark = pytest.mark.browser

HUB_PAGES = ("/", "/c/policing-priorities", "/c/police-budget-2027", "/events", "/staff/login",
             "/c/town-centre-safety/results")
KIOSK_PAGES = ("/kiosk/", "/kiosk/staff/pin")


def test_the_hub_pages_run_under_the_csp(live_server, phone) -> None:
    for path in HUB_PAGES:
        r = phone.goto(live_server.url + path)
        assert r is not None and "script-src 'self'" in r.headers["content-security-policy"], path
    phone.goto(live_server.url + "/c/police-budget-2027")
    phone.wait_for_load_state("load")
    assert phone.evaluate("() => window.voxboxBudget") is True  # the simulator's own script ran


def test_the_kiosk_pages_and_budget_run_under_the_csp(live_kiosk, page) -> None:
    for path in KIOSK_PAGES:
        page.goto(live_kiosk.url + path)
    page.goto(live_kiosk.url + "/kiosk/")
    page.locator("form.begin[action$='police-budget-2027'] button").click()
    page.wait_for_url("**/kiosk/c/police-budget-2027/**")
    page.wait_for_load_state("load")
    assert page.evaluate("() => window.voxboxBudget") is True  # budget.js ran on the kiosk too


def test_an_injected_inline_script_is_blocked_and_reported(live_server, browser) -> None:
    context = browser.new_context()
    try:
        pg = context.new_page()
        blocked = csp_violations(pg)
        pg.goto(live_server.url + "/")
        pg.evaluate("""() => { const s = document.createElement('script');
                               s.textContent = 'window.injected = 1'; document.body.append(s); }""")
        pg.wait_for_timeout(200)  # let the console message arrive
        assert pg.evaluate("() => window.injected") is None
        assert blocked and "inline script" in blocked[0].lower()
    finally:
        context.close()
