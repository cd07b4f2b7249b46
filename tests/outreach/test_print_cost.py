"""A placement's print cost: typed in pounds, checked, kept in pence; the report divides it by the
responses completed through the placement's code, and in total over the placements with a cost."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import insert, select

from kiosk.core.db import db
from kiosk.core.problems import ProblemError
from kiosk.outreach import costs, placements, tracking
from kiosk.outreach.models import TrackingCode
from kiosk.reports import funnel as reports
from kiosk.responses.models import Response
from tests.conftest import csrf_token

SLUG = "policing-priorities"


@pytest.mark.parametrize(("typed", "pence"), [
    ("12.50", 1250), ("£12.5", 1250), (" 7 ", 700), ("1,200", 120_000), ("0", 0), ("", None),
    ("100000", costs.MAX_PENCE)])
def test_a_cost_typed_in_pounds_is_kept_in_pence(typed: str, pence: int | None) -> None:
    assert costs.parse_pounds(typed) == pence


@pytest.mark.parametrize(("typed", "code"), [
    ("-3", "negative"), ("-£3.00", "negative"), ("12.345", "pennies"), ("100000.01", "too_big"),
    ("twelve", "format"), ("1e3", "format"), ("nan", "format"), ("12.50.1", "format")])
def test_a_cost_that_is_not_money_is_refused_with_the_reason(typed: str, code: str) -> None:
    with pytest.raises(costs.CostError) as caught:
        costs.parse_pounds(typed)
    assert caught.value.code == code


def _responses(app, code: str | None, n: int, channel: str = "web") -> None:  # type: ignore[no-untyped-def]
    now = dt.datetime(2026, 11, 2, 12, 0)
    rows = [{"uuid": str(uuid.uuid4()), "consultation_slug": SLUG, "version": 1, "answers": {},
             "language": "en", "channel": channel, "device_id": None, "event_id": None,
             "tracking_code": code, "started_at": now - dt.timedelta(minutes=5),
             "submitted_at": now, "content_hash": "0" * 64, "received_at": now,
             "sync_state": "stored"} for _ in range(n)]
    with app.app_context():
        db.session.execute(insert(Response), rows)
        db.session.commit()


def test_the_report_shows_cost_per_completed_response_against_a_hand_count(app, staff_client) -> None:
    with app.app_context():
        stop = tracking.create(SLUG, "bus_stop", "Stop 14").code
        cutout = tracking.create(SLUG, "cutout", "Library cutout").code
        leaflets = tracking.create(SLUG, "leaflet", "Leaflets").code
        costs.set_cost(stop, 1250)  # £12.50
        costs.set_cost(cutout, 4000)  # £40.00, nothing completed through it yet
    _responses(app, stop, 3)
    _responses(app, leaflets, 2)  # no cost given
    _responses(app, None, 4)  # direct: never in any cost figure
    with app.app_context():
        report = reports.build(SLUG)
    by_code = {p.code: p for p in report.placements}
    # by hand: £12.50 / 3 = £4.1666… → £4.17; the cutout has no completions; leaflets no cost
    assert by_code[stop].cost_per_completed == Decimal("4.17")
    assert by_code[cutout].cost_per_completed is None
    assert by_code[leaflets].cost_pence is None and by_code[leaflets].cost_per_completed is None
    # the total counts only placements with a cost: (£12.50 + £40.00) / (3 + 0) = £17.50
    assert report.costed == (5250, 3)
    assert report.cost_per_completed == Decimal("17.50")
    page = staff_client.get(f"/staff/c/{SLUG}/report").get_data(as_text=True)

    def cells(code: str) -> tuple[str, str]:
        row = re.search(rf'<tr data-code="{code}">.*?</tr>', page, re.S).group(0)  # type: ignore[union-attr]
        return (re.search(r"<td data-cost>(.*?)</td>", row).group(1),  # type: ignore[union-attr]
                re.search(r"<td data-cost-per-completed>(.*?)</td>", row).group(1))  # type: ignore[union-attr]

    assert cells(stop) == ("£12.50", "£4.17")
    assert cells(cutout) == ("£40.00", "—")
    assert cells(leaflets) == ("—", "—")
    assert cells("total") == ("£52.50", "£17.50")
    assert "£52.50 over 3 completed responses" in page


def test_a_report_without_costs_shows_no_cost_columns(app, staff_client) -> None:
    with app.app_context():
        code = tracking.create(SLUG, "bus_stop", "Stop 14").code
    _responses(app, code, 2)
    page = staff_client.get(f"/staff/c/{SLUG}/report").get_data(as_text=True)
    assert "data-cost" not in page and "Print cost" not in page


def test_staff_set_change_and_clear_a_placement_cost(app, staff_client) -> None:
    with app.app_context():
        code = tracking.create(SLUG, "bus_stop", "Stop 14").code
    page = f"/staff/posters/{code}"

    def post(value: str):  # type: ignore[no-untyped-def]
        return staff_client.post(f"{page}/cost", data={"csrf_token": csrf_token(staff_client, page),
                                                       "cost": value})

    assert post("12.50").status_code == 303
    assert "<dd data-print-cost>£12.50</dd>" in staff_client.get(page).get_data(as_text=True)
    refused = post("-4")
    assert refused.status_code == 422 and "A print cost cannot be negative." in refused.get_data(as_text=True)
    refused = post("12.345")
    assert refused.status_code == 422 and "at most two decimal places" in refused.get_data(as_text=True)
    assert post("1000000").status_code == 422
    with app.app_context():
        assert db.session.get(TrackingCode, code).print_cost_pence == 1250  # type: ignore[union-attr]
    assert post("").status_code == 303
    with app.app_context():
        assert db.session.get(TrackingCode, code).print_cost_pence is None  # type: ignore[union-attr]


def test_a_new_placement_may_carry_a_cost_and_a_bad_one_creates_nothing(app, staff_client) -> None:
    def create(cost: str):  # type: ignore[no-untyped-def]
        return staff_client.post("/staff/posters/", data={
            "csrf_token": csrf_token(staff_client, "/staff/posters/"), "consultation": SLUG,
            "kind": "bus_stop", "label": "Stop 3", "location": "", "cost": cost})

    refused = create("lots")
    assert refused.status_code == 422 and "Give the print cost in pounds" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(TrackingCode)).first() is None
    assert create("8.00").status_code == 303
    with app.app_context():
        assert db.session.execute(select(TrackingCode.print_cost_pence)).scalar_one() == 800


def test_a_placements_csv_may_give_each_row_a_cost(app) -> None:
    rows = placements.read_csv("label,kind,cost\nStop 1,bus_stop,12.50\nStop 2,bus_stop,\n")
    assert [r.cost_pence for r in rows] == [1250, None]
    with pytest.raises(ProblemError) as caught:
        placements.read_csv("label,kind,cost\nStop 1,bus_stop,-2\n")
    assert "line 2: cost '-2': a print cost cannot be negative" in str(caught.value)
    with app.app_context():
        made = placements.resolve_codes(SLUG, rows)
        db.session.commit()
        assert [c.print_cost_pence for c in made] == [1250, None]
