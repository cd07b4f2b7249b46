"""Real Chromium on a phone: the public site in English and Welsh passes axe-core (no serious or
critical violations), and a scanned poster leads to a response that carries its code."""

from __future__ import annotations

import pytest

from ..conftest import rows
from .test_survey_browser import answer_every_type

pytestmark = pytest.mark.browser

PAGES = ["/", "/events", "/c/policing-priorities", "/c/town-centre-safety",
         "/c/town-centre-safety/results", "/q/ZZZZZZ"]


@pytest.fixture(scope="module")
def axe():  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_public_pages_are_axe_clean_on_a_phone(live_server, phone, axe, lang: str) -> None:
    for path in PAGES:
        phone.goto(f"{live_server.url}{path}?lang={lang}")
        assert phone.locator("html").get_attribute("lang") == lang
        results = axe.run(phone)
        bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert bad == [], f"{path} ({lang}): {bad}"


def test_a_scanned_poster_leads_to_a_coded_response(live_server, phone) -> None:
    from kiosk import tracking

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
