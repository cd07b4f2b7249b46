"""Draft preview: staff open a draft consultation's phone and kiosk pages behind a "nothing you
enter is kept" banner; checking and submitting stores nothing."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from kiosk.consultations import definitions
from kiosk.consultations import store as consultations
from kiosk.core.db import db
from kiosk.responses.models import Draft, Response
from tests.conftest import csrf_token
from tests.test_routing import ROUTED

BANNER = "Preview — nothing you enter is kept"


def stored(app) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        count = lambda model: db.session.execute(  # noqa: E731
            select(func.count()).select_from(model)).scalar_one()
        return count(Response), count(Draft)


def test_staff_preview_a_draft_on_phone_and_kiosk_and_nothing_is_stored(app, staff_client) -> None:
    with app.app_context():
        consultations.import_definition(definitions.load_text(
            ROUTED.replace("status: open", "status: draft"), "crime.yaml"))
    before = stored(app)
    assert staff_client.get("/c/crime-survey").status_code == 404  # a draft is not public
    page = staff_client.get("/staff/c/crime-survey/preview").get_data(as_text=True)
    assert BANNER in page and "Have you been a victim" in page
    token = csrf_token(staff_client, "/staff/c/crime-survey/preview")
    r = staff_client.post("/staff/c/crime-survey/preview", data={
        "csrf_token": token, "action": "submit", "victim": "victim_no", "safe": "4"})
    assert r.status_code == 200 and "nothing was stored" in r.get_data(as_text=True)
    r = staff_client.post("/staff/c/crime-survey/preview", data={
        "csrf_token": token, "action": "submit", "victim": "victim_yes", "safe": "4"})
    assert r.status_code == 422 and "This question needs an answer." in r.get_data(as_text=True)

    kiosk = "/staff/c/crime-survey/preview/kiosk/0"
    page = staff_client.get(kiosk).get_data(as_text=True)
    assert BANNER in page and "Question 1 of 3" in page
    r = staff_client.post(kiosk, data={"csrf_token": token, "action": "next", "victim": "victim_yes",
                                       "preview_answers": "{}"})
    page = r.get_data(as_text=True)
    assert "Did you report it?" in page and "Question 2 of 4" in page and BANNER in page
    carried = re.search(r'name="preview_answers" value="([^"]*)"', page).group(1)
    assert "victim_yes" in carried.replace("&#34;", '"')
    assert stored(app) == before

    resident = app.test_client()
    assert resident.get("/staff/c/crime-survey/preview").status_code in (302, 303, 401, 403)
    assert resident.get(kiosk).status_code in (302, 303, 401, 403)
