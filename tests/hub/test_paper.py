"""Paper responses: staff key in a form, or import a 500-row CSV all or nothing (a bad row is
refused with its line and nothing is stored); both count under the paper channel."""

from __future__ import annotations

import datetime as dt
import io

from sqlalchemy import func, select

from kiosk.consultations import definitions
from kiosk.consultations import store as consultations
from kiosk.core.db import db
from kiosk.reports import funnel as reports
from kiosk.responses.models import PaperEntry, Response
from tests.conftest import csrf_token
from tests.test_routing import ROUTED

PAPER = "/staff/c/crime-survey/paper"


def paper_count(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(Response).filter_by(
            consultation_slug="crime-survey", channel="paper")).scalar_one()


def csv_text(rows: int, bad_line: int | None = None) -> str:
    lines = ["form_date,victim,reported,safe,unsafe_why,comments"]
    for i in range(rows):
        line = len(lines) + 1
        victim = "Yes" if i % 2 else "victim_no"  # labels or values
        reported = "Naddo" if i % 2 else ""         # a Welsh label
        if line == bad_line:
            victim = "Maybe"
        # unsafe_why is shown only after not reporting: the others' text is dropped, not stored
        lines.append(f"0{1 + i % 9}/11/2026,{victim},{reported},{3 + i % 3},Lights,Row {i}")
    return "\n".join(lines) + "\n"


def upload(client, body: str):  # type: ignore[no-untyped-def]
    token = csrf_token(client, PAPER)
    return client.post(PAPER + ".csv", data={"csrf_token": token, "batch": "box-7",
                                            "file": (io.BytesIO(body.encode()), "paper.csv")},
                       content_type="multipart/form-data")


def test_keyed_entry_and_a_500_row_csv_count_as_paper(app, staff_client) -> None:
    with app.app_context():
        consultations.import_definition(definitions.load_text(ROUTED, "crime.yaml"))
    token = csrf_token(staff_client, PAPER)
    r = staff_client.post(PAPER, data={
        "csrf_token": token, "form_date": "2026-11-03", "batch": "Library box 1", "language": "cy",
        "victim": "victim_yes", "reported": "reported_no", "safe": "2",
        "unsafe_why": "Mwy o olau"})
    assert r.status_code == 303
    with app.app_context():
        [row] = db.session.execute(select(Response).filter_by(channel="paper")).scalars()
        entry = db.session.execute(select(PaperEntry)).scalar_one()
        assert row.answers == {"victim": "victim_yes", "reported": "reported_no", "safe": 2,
                               "unsafe_why": "Mwy o olau"}
        assert (row.language, row.submitted_at.date()) == ("cy", dt.date(2026, 11, 3))
        assert (entry.response_uuid, entry.batch, entry.form_date) == (
            row.uuid, "Library box 1", dt.date(2026, 11, 3))
        assert entry.entered_by.startswith("Staff (user ")

    # a form with no date, or a date in the future, is refused and nothing is stored
    future = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    for day in ("", future):
        r = staff_client.post(PAPER, data={"csrf_token": token, "form_date": day,
                                           "victim": "victim_no", "safe": "3"})
        assert r.status_code == 422 and "form_date" in r.get_data(as_text=True)
    assert paper_count(app) == 1

    r = upload(staff_client, csv_text(500, bad_line=251))
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "CSV: line 251: victim: &#39;Maybe&#39; is not one of the options" in page
    assert paper_count(app) == 1  # all or nothing

    r = upload(staff_client, csv_text(500))
    assert r.status_code == 303
    assert paper_count(app) == 501
    with app.app_context():
        assert reports.build("crime-survey").channels == {"paper": 501}
        stored = db.session.execute(select(Response).filter_by(channel="paper")
                                    .order_by(Response.id)).scalars().all()
        assert stored[2].answers == {"victim": "victim_yes", "reported": "reported_no", "safe": 4,
                                     "unsafe_why": "Lights", "comments": "Row 1"}
        assert stored[1].answers == {"victim": "victim_no", "safe": 3, "comments": "Row 0"}
        batches = db.session.execute(select(PaperEntry.batch, func.count()).group_by(
            PaperEntry.batch)).all()
        assert dict(batches) == {"Library box 1": 1, "box-7": 500}
    page = staff_client.get("/staff/c/crime-survey").get_data(as_text=True)
    assert "paper: <strong>501</strong>" in page


def test_csv_problems_name_the_line_and_column(app, staff_client) -> None:
    with app.app_context():
        consultations.import_definition(definitions.load_text(ROUTED, "crime.yaml"))
    r = upload(staff_client, "victim,colour\nYes,red\n")
    page = r.get_data(as_text=True)
    assert "line 1: unknown column &#39;colour&#39;" in page and "form_date column" in page
    r = upload(staff_client, "form_date,victim,safe\n2026-11-01,Yes,9\n31/02/2026,No,1\n")
    page = r.get_data(as_text=True)
    assert "line 2: reported: This question needs an answer." in page  # "Yes" shows it
    assert "line 2: safe: Please choose a number from 1 to 5." in page
    assert "line 3: form_date: &#39;31/02/2026&#39; is not a date" in page
    assert paper_count(app) == 0
