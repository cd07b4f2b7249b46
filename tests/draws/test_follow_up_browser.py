"""Real Chromium: the entry reference after entering, the draw's public page (English and Welsh) and
the staff claims table are axe clean; a declined prize passes to the reserve in the browser."""

from __future__ import annotations

import re

import pytest

from kiosk.draws import runs as draw_runs
from kiosk.draws import store as draws
from tests.draws.conftest import close
from tests.responses.test_survey_browser import answer_every_type
from tests.web.test_public_site_browser import axe, serious  # noqa: F401  (axe is a fixture)

pytestmark = pytest.mark.browser


def test_reference_public_page_and_claims_are_axe_clean(live_server, phone, page, axe,  # noqa: F811
                                                        make_draw) -> None:
    draw_id = make_draw(winners=1, reserves=1)
    phone.goto(live_server.url + "/c/policing-priorities")
    answer_every_type(phone, None)
    phone.get_by_role("button", name="Submit my answers").click()
    phone.get_by_role("checkbox", name="Yes, enter me in the prize draw").check()
    phone.get_by_label("Your name").fill("Iolo Morgan")
    phone.get_by_label("Email address or phone number").fill("07700 900321")
    phone.get_by_role("button", name="Enter the draw").click()
    phone.get_by_role("heading", name="You are in the draw").wait_for()
    reference = phone.locator("[data-entry-reference]").inner_text()
    assert re.fullmatch(r"[0-9a-f]{10}", reference)
    assert serious(axe, phone) == [], "entered page"
    with live_server.app.app_context():
        from sync import keys

        draws.enter(draws.get(draw_id), "Reserve", "r@example.org",
                    keys.hub_public_key(live_server.app), "web")
    close(live_server.app, draw_id)
    with live_server.app.app_context():
        doc = draw_runs.run(draws.get(draw_id), "seed", "test").verification
    for lang in ("en", "cy"):
        phone.goto(f"{live_server.url}/draws/{draw_id}?lang={lang}")
        assert phone.locator("html").get_attribute("lang") == lang
        assert serious(axe, phone) == [], f"public draw page ({lang})"
    assert reference in {h[:10] for h in doc["entries"]}

    from kiosk.core import auth

    with live_server.app.app_context():
        auth.create_user("claims@example.org", "Claims", "correct horse battery", "admin")
    page.goto(f"{live_server.url}/staff/login")
    page.locator("input[name=email]").fill("claims@example.org")
    page.locator("input[name=password]").fill("correct horse battery")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/staff/")
    page.goto(f"{live_server.url}/staff/draws/{draw_id}")
    page.get_by_label("New state for prize 1").select_option("declined")
    page.get_by_label("If declined or expired: I confirm the prize passes to the next reserve").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text(f"Prize 1 passes to reserve {doc['result']['reserves'][0][:10]}").wait_for()
    assert serious(axe, page) == [], "staff draw page with claims"
