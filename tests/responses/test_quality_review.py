"""Quality: a consultation's absolute too-fast threshold flags quick responses; staff review a
flagged response (mark it reviewed, or exclude it from results with a reason, never deleting it);
excluded responses are left out of counts, reports and exports unless asked for, and audit-logged."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import yaml
from sqlalchemy import select, update

from kiosk.consultations import definitions
from kiosk.consultations import store as consultations
from kiosk.core.audit import AuditEntry
from kiosk.core.db import db
from kiosk.core.problems import ProblemError
from kiosk.core.timeutil import utcnow
from kiosk.reports import atoms, funnel, kept, tallies
from kiosk.responses import counting, store
from kiosk.responses.models import Response
from tests.conftest import csrf_token
from tests.responses.survey_cy import SLUG, YAML, answer


@pytest.mark.parametrize("quality", [{"too_fast_seconds": 0}, {"too_fast_seconds": -5},
                                     {"too_fast_seconds": "20"}, {"too_fast_seconds": True},
                                     {"too_fast_seconds": 3601}, {"seconds": 20}, [20]])
def test_a_too_fast_threshold_must_be_whole_seconds_up_to_an_hour(quality) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ProblemError) as caught:
        definitions.validate({**yaml.safe_load(YAML), "quality": quality})
    assert "quality" in str(caught.value)
    assert definitions.validate(yaml.safe_load(YAML))["quality"] == {"too_fast_seconds": 20}


def test_the_absolute_threshold_flags_a_quick_response_among_too_few_for_statistics(app) -> None:  # type: ignore[no-untyped-def]
    uuids = answer(app)  # four responses: too few for the robust outlier test
    with app.app_context():
        report = funnel.build(SLUG)
    assert report.flags == {uuids[3]: ["too-fast"]}  # 8 s, under the consultation's 20 s
    assert report.flag_counts["too-fast"] == 1


def _review(client, uuid: str, **form: str):  # type: ignore[no-untyped-def]
    token = csrf_token(client, f"/staff/c/{SLUG}/report")
    return client.post(f"/staff/c/{SLUG}/responses/{uuid}/review",
                       data={"csrf_token": token, "next": f"/staff/c/{SLUG}/report", **form})


def _rows(client, path: str) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    return list(csv.DictReader(io.StringIO(client.get(f"/staff/c/{SLUG}/{path}").get_data(as_text=True))))


def test_an_excluded_response_leaves_every_figure_and_export_but_stays_stored(app, staff_client) -> None:  # type: ignore[no-untyped-def]
    uuids = answer(app)
    quick = uuids[3]
    report = staff_client.get(f"/staff/c/{SLUG}/report").get_data(as_text=True)
    assert f"/staff/c/{SLUG}/responses/{quick}/review" in report and "4 responses match." in report

    refused = _review(staff_client, quick, decision="excluded", reason="  ")
    assert refused.status_code == 303
    assert "say why" in staff_client.get(refused.headers["Location"]).get_data(as_text=True)
    assert len(_rows(staff_client, "responses.csv")) == 4  # no reason, no exclusion

    assert _review(staff_client, quick, decision="excluded", reason="Done in 8 seconds").status_code == 303
    assert "4 responses in all" not in staff_client.get(f"/staff/c/{SLUG}").get_data(as_text=True)
    assert "3 responses in all" in staff_client.get(f"/staff/c/{SLUG}").get_data(as_text=True)
    assert "3 responses match." in staff_client.get(f"/staff/c/{SLUG}/report").get_data(as_text=True)
    for path in ("responses.csv", "report.csv", "report.csv?values=1"):
        assert quick not in {r["uuid"] for r in _rows(staff_client, path)}, path
    assert {r["uuid"] for r in _rows(staff_client, "report.csv?excluded=1")} == set(uuids)
    assert {r["uuid"] for r in _rows(staff_client, "responses.csv?excluded=1")} == set(uuids)
    asked = staff_client.get(f"/staff/c/{SLUG}/report?excluded=1").get_data(as_text=True)
    assert "4 responses match." in asked and 'data-review="excluded"' in asked
    with app.app_context():
        row = db.session.execute(select(Response).filter_by(uuid=quick)).scalar_one()  # not deleted
        assert (row.review, row.review_reason, row.reviewed_by) == ("excluded", "Done in 8 seconds",
                                                                    "staff@example.org")
        assert counting.counts_by_consultation()[SLUG] == 3
        [entry] = db.session.execute(select(AuditEntry).filter_by(action="response.review")).scalars()
        assert (entry.target, entry.detail["decision"]) == (quick, "excluded")
        assert "8 seconds" not in str(entry.detail)  # the reason stays on the response

    assert _review(staff_client, quick, decision="clear").status_code == 303  # undone: counted again
    assert len(_rows(staff_client, "responses.csv")) == 4
    assert _review(staff_client, uuids[0], decision="reviewed").status_code == 303  # kept, counted
    assert len(_rows(staff_client, "responses.csv")) == 4
    with app.app_context():
        reviewed = db.session.execute(select(Response.review).filter_by(uuid=uuids[0])).scalar_one()
        assert reviewed == "reviewed"


def test_a_review_of_another_consultations_response_is_refused(app, staff_client) -> None:  # type: ignore[no-untyped-def]
    uuids = answer(app)
    token = csrf_token(staff_client, f"/staff/c/{SLUG}/report")
    r = staff_client.post(f"/staff/c/policing-priorities/responses/{uuids[0]}/review",
                          data={"csrf_token": token, "decision": "excluded", "reason": "x"})
    assert r.status_code == 303
    assert len(_rows(staff_client, "responses.csv")) == 4


def _settle(app) -> None:  # type: ignore[no-untyped-def]
    """Age every response past the settle time, so the kept tallies count them (not the live tail)."""
    with app.app_context():
        db.session.execute(update(Response).values(
            received_at=utcnow() - atoms.SETTLE - dt.timedelta(minutes=1)))
        db.session.commit()


def test_an_exclusion_takes_a_response_out_of_the_kept_tallies_and_undoing_puts_it_back(app, staff_client) -> None:  # type: ignore[no-untyped-def]
    uuids = answer(app)
    _settle(app)
    with app.app_context():
        assert funnel.build(SLUG).responses == 4
        assert kept.catch_up(SLUG)[0] > 0  # the four are kept counts now, not the live tail
        assert tallies.tallies(SLUG, consultations.merged_definition(SLUG))["place"]["answered"] == 4
    assert _review(staff_client, uuids[0], decision="excluded", reason="A test response").status_code == 303
    with app.app_context():
        assert funnel.build(SLUG).responses == 3
        got = tallies.tallies(SLUG, consultations.merged_definition(SLUG))["place"]
        assert got["answered"] == 3 and got == store.tallies(consultations.merged_definition(SLUG),
                                                              store.for_consultation(SLUG))["place"]
    assert "3 responses in all" in staff_client.get(f"/staff/c/{SLUG}").get_data(as_text=True)
    assert "4 responses match." in staff_client.get(f"/staff/c/{SLUG}/report?excluded=1").get_data(as_text=True)
    assert _review(staff_client, uuids[0], decision="clear").status_code == 303
    with app.app_context():
        assert funnel.build(SLUG).responses == 4
        assert tallies.tallies(SLUG, consultations.merged_definition(SLUG))["place"]["answered"] == 4
