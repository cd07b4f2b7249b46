"""``voxbox demo --responses N --scans N``: bulk synthetic rows, marked so real reports leave them
out, and never mixed into a consultation that has real responses unless forced."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select, update

from kiosk.core.db import db
from kiosk.core.timeutil import utcnow
from kiosk.outreach.models import Scan
from kiosk.reports import atoms, funnel, kept, tallies
from kiosk.responses import counting
from kiosk.responses.models import Response
from tests.responses.survey_cy import SLUG, answer


def _count(app, model, **where) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model).filter_by(**where)).scalar_one()


def test_demo_adds_synthetic_responses_and_scans_in_bulk_and_says_how_fast(app, runner) -> None:  # type: ignore[no-untyped-def]
    before = _count(app, Response)
    out = runner.invoke(args=["demo", "--responses", "40", "--scans", "25", "--seed", "1"])
    assert out.exit_code == 0, out.output
    assert "added 40 synthetic responses" in out.output and "rows/s" in out.output
    assert "added 25 synthetic scans" in out.output
    assert _count(app, Response, synthetic=False) == 0  # the demo's own history is synthetic too
    history = int(re.search(r"reports: (\d+) demo responses", out.output).group(1))  # type: ignore[union-attr]
    assert _count(app, Response) == before + history + 40
    assert _count(app, Scan, synthetic=True) >= 25
    with app.app_context():  # a consultation with only synthetic rows shows them
        counts = counting.counts_by_consultation()
        assert sum(counts.values()) == _count(app, Response)


def test_synthetic_rows_are_refused_beside_real_ones_unless_forced(app, runner, staff_client) -> None:  # type: ignore[no-untyped-def]
    answer(app)  # four real responses
    refused = runner.invoke(args=["demo", "--responses", "5", "--consultation", SLUG])
    assert refused.exit_code != 0 and "--force" in refused.output
    assert runner.invoke(args=["demo", "--scans", "5", "--consultation", SLUG]).exit_code != 0
    assert _count(app, Response, consultation_slug=SLUG, synthetic=True) == 0
    assert _count(app, Scan, consultation_slug=SLUG) == 0

    spread = runner.invoke(args=["demo", "--responses", "30", "--seed", "2"])  # the open ones without real rows
    assert spread.exit_code == 0, spread.output
    assert _count(app, Response, consultation_slug=SLUG, synthetic=True) == 0

    forced = runner.invoke(args=["demo", "--responses", "6", "--scans", "3", "--consultation", SLUG,
                                 "--force", "--seed", "3"])
    assert forced.exit_code == 0, forced.output
    assert _count(app, Response, consultation_slug=SLUG, synthetic=True) == 6
    # real rows exist: synthetic ones are left out by default, counted when a report asks
    page = staff_client.get(f"/staff/c/{SLUG}").get_data(as_text=True)
    assert "4 responses in all" in page
    assert "4 responses match." in staff_client.get(f"/staff/c/{SLUG}/report").get_data(as_text=True)
    assert "10 responses match." in staff_client.get(f"/staff/c/{SLUG}/report?synthetic=1").get_data(as_text=True)
    assert len(staff_client.get(f"/staff/c/{SLUG}/responses.csv").get_data(as_text=True).splitlines()) == 5
    with app.app_context():
        assert funnel.build(SLUG, funnel.Filters(synthetic=True)).total.scans + \
            funnel.build(SLUG, funnel.Filters(synthetic=True)).total.started == 3
        assert funnel.build(SLUG).total.scans + funnel.build(SLUG).total.started == 0


def test_the_kept_tallies_drop_synthetic_rows_when_the_first_real_response_arrives(app) -> None:  # type: ignore[no-untyped-def]
    from kiosk.consultations import store as consultations
    from kiosk.demo import content as demo
    from tests.responses.survey_cy import import_survey

    def settle() -> None:
        db.session.execute(update(Response).values(
            received_at=utcnow() - atoms.SETTLE - dt.timedelta(minutes=1)))
        db.session.commit()

    with app.app_context():
        import_survey()
        demo.synthetic_responses(app, 7, seed=9, slug=SLUG)
        settle()
        assert funnel.build(SLUG).responses == 7  # only synthetic rows: they are the figures
        assert kept.catch_up(SLUG)[0] > 0
    answer(app)  # the first real responses
    with app.app_context():
        settle()
        assert funnel.build(SLUG).responses == 4
        assert tallies.tallies(SLUG, consultations.merged_definition(SLUG))["safe"]["answered"] == 4
        assert funnel.build(SLUG, funnel.Filters(synthetic=True)).responses == 11
