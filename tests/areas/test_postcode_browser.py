"""A postcode question in Chromium: the kiosk screen and the phone page in both languages, a wrong
postcode named beside its field, the area shown after Back, and axe-core clean throughout."""

from __future__ import annotations

import pytest

from tests.conftest import rows

pytestmark = pytest.mark.browser

SLUG = "your-neighbourhood"


@pytest.fixture(scope="module")
def axe():  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def serious(axe, page) -> list:  # type: ignore[no-untyped-def]
    return [(v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in axe.run(page).response["violations"] if v["impact"] in ("serious", "critical")]


def test_a_kiosk_resident_gives_a_postcode_and_only_the_area_is_kept(live_kiosk, page, axe) -> None:
    page.goto(f"{live_kiosk.url}/kiosk/")
    page.get_by_role("button", name="Start: Policing in your neighbourhood").click()
    field = page.get_by_role("textbox", name="Postcode")
    assert serious(axe, page) == []
    field.fill("NP20")
    page.get_by_role("button", name="Next").click()
    assert page.get_by_role("alert").inner_text().endswith(
        "Enter a full postcode, including the part after the space, like CF10 1AA.")
    assert page.get_by_role("textbox", name="Postcode").input_value() == "NP20"
    assert serious(axe, page) == []
    page.get_by_role("textbox", name="Postcode").fill("np19 7xx")
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Back").click()
    assert page.get_by_text("Your area: Riverside.").is_visible()
    assert page.get_by_role("textbox", name="Postcode").input_value() == ""
    page.get_by_role("button", name="Next").click()  # nothing typed: the area found stays
    page.get_by_role("radio", name="Drug dealing").check()
    page.get_by_role("button", name="Submit my answers").click()
    page.wait_for_url("**/kiosk/thanks")
    [row] = rows(live_kiosk.app, consultation_slug=SLUG)
    assert row.answers == {"area": {"area": "AVB-RIV", "district": "NP19"}, "focus": "drugs"}


def test_the_phone_page_names_a_wrong_postcode_in_welsh(live_server, phone, axe) -> None:
    phone.goto(f"{live_server.url}/c/{SLUG}?lang=cy")
    assert phone.get_by_text("byth eich cod post llawn").is_visible()
    phone.get_by_role("textbox", name="Cod post").fill("CF10 3A!")
    phone.get_by_role("button", name="Cyflwyno fy atebion").click()
    assert phone.get_by_text("Rhaid i’r cod post gynnwys llythrennau a i z").first.is_visible()
    assert serious(axe, phone) == []
