"""Rights requests: an officer finds and deletes a person's entries, and it is recorded."""

from __future__ import annotations

from sqlalchemy import select

from kiosk.core.db import db
from kiosk.draws import rights
from kiosk.draws import store as draws
from kiosk.draws.models import RightsRequest
from sync import keys
from tests.conftest import csrf_token


def test_officer_finds_and_deletes_by_any_form_of_the_contact(app, make_draw, signed_in) -> None:
    first, second = make_draw(), make_draw()
    with app.app_context():
        key = keys.hub_public_key(app)
        for draw_id in (first, second):
            for name, contact in (("Gwen", "07700 900999"), ("Huw", "huw@example.org")):
                draws.enter(draws.get(draw_id), name, contact, key, "web",
                            secret=keys.dedupe_key(app), batch=4)
    officer = signed_in("officer")
    token = csrf_token(officer, "/staff/draws/rights")
    page = officer.post("/staff/draws/rights", data={
        "csrf_token": token, "reference": "SAR-2026-17", "contact": "+44 7700 900999",
        "action": "find"}).get_data(as_text=True)
    assert "Entries found: 2" in page
    page = officer.post("/staff/draws/rights", data={
        "csrf_token": token, "reference": "SAR-2026-17", "contact": "0044 7700 900 999",
        "action": "delete"}).get_data(as_text=True)
    assert "2 entries deleted" in page
    with app.app_context():
        secret = keys.dedupe_key(app)
        assert rights.find("07700900999", secret) == []
        assert len(rights.find("HUW@example.org", secret)) == 2
        records = db.session.execute(select(RightsRequest).order_by(RightsRequest.id)).scalars()
        assert [(r.reference, r.action, r.matched, r.deleted) for r in records] == [
            ("SAR-2026-17", "find", 2, 0), ("SAR-2026-17", "delete", 2, 2)]
    # the record holds no contact details, and refuses a reference that is one
    r = officer.post("/staff/draws/rights", data={
        "csrf_token": token, "reference": "07700 900999", "contact": "huw@example.org",
        "action": "find"})
    assert r.status_code == 422 and "must not be" in r.get_data(as_text=True)
