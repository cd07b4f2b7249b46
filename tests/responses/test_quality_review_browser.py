"""Real Chromium: a staff member excludes a too-fast response from the report page with a reason;
the page with its review forms is axe clean, and the count drops."""

from __future__ import annotations

import pytest

from tests.responses.survey_cy import SLUG, answer
from tests.web.test_public_site_browser import serious

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def axe():  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def test_staff_exclude_a_flagged_response_from_the_report_page(live_server, page, axe) -> None:  # type: ignore[no-untyped-def]
    from kiosk.core import auth

    quick = answer(live_server.app)[3]
    with live_server.app.app_context():
        auth.create_user("review@example.org", "Reviewer", "correct horse battery", "staff")
    page.goto(f"{live_server.url}/staff/login")
    page.locator("input[name=email]").fill("review@example.org")
    page.locator("input[name=password]").fill("correct horse battery")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/staff/")
    page.goto(f"{live_server.url}/staff/c/{SLUG}/report")
    assert page.get_by_text("4 responses match.").is_visible()
    assert serious(axe, page) == [], "report with review forms"
    page.get_by_label(f"Decision for response {quick[:8]}").select_option("excluded")
    page.get_by_label(f"Reason for excluding response {quick[:8]}").fill("Answered in 8 seconds")
    page.locator("table.flagged button[type=submit]").click()
    page.get_by_text(f"Response {quick[:8]} excluded from results.").wait_for()
    assert page.get_by_text("3 responses match.").is_visible()
    page.get_by_label("Include excluded responses").check()
    page.get_by_role("button", name="Apply").click()
    page.get_by_text("4 responses match.").wait_for()
    assert page.locator('td[data-review="excluded"]').count() == 1
    assert serious(axe, page) == [], "report with an excluded response"
