"""Real Chromium: a resident answers on a phone, then opts into the prize draw."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kiosk.core.db import db
from kiosk.draws import inbox as draw_inbox
from kiosk.draws.models import Entry
from tests.browser.test_survey_browser import answer_every_type

pytestmark = pytest.mark.browser


def test_phone_resident_answers_then_enters_the_draw(live_server, phone, make_draw) -> None:
    make_draw()
    phone.goto(live_server.url + "/c/policing-priorities")
    answer_every_type(phone, None)
    phone.get_by_role("button", name="Submit my answers").click()
    phone.get_by_role("heading", name="Thank you").wait_for()
    box = phone.get_by_role("checkbox", name="Yes, enter me in the prize draw")
    assert not box.is_checked()
    phone.get_by_label("Your name").fill("Iolo Morgan")
    phone.get_by_label("Email address or phone number").fill("07700 900321")
    phone.get_by_role("button", name="Enter the draw").click()
    alert = phone.get_by_text("Tick the box if you want to enter the draw.")
    alert.wait_for()
    assert phone.get_by_label("Your name").input_value() == "Iolo Morgan"
    phone.get_by_role("checkbox", name="Yes, enter me in the prize draw").check()
    phone.get_by_role("button", name="Enter the draw").click()
    phone.get_by_role("heading", name="You are in the draw").wait_for()
    with live_server.app.app_context():
        draw_inbox.flush()  # the hub's web entries wait in its inbox for a shuffled batch
        [entry] = db.session.execute(select(Entry)).scalars()
        assert entry.source == "web" and entry.sealed and b"Iolo" not in entry.sealed
