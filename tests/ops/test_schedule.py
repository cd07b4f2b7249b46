"""Scheduled purge inside the serving process: it runs when due, once across every worker (a lock
file on one machine, an advisory lock on PostgreSQL), and `voxbox doctor` sees the last run."""

from __future__ import annotations

import datetime as dt
import fcntl
from pathlib import Path

import psycopg
import pytest

from kiosk.core.db import db
from kiosk.core.stored_settings import get_setting, set_setting
from kiosk.core.timeutil import utcnow
from kiosk.draws import retention
from kiosk.ops import schedule
from tests.conftest import PG_URL


def last_purge(app) -> str | None:  # type: ignore[no-untyped-def]
    with app.app_context():
        return get_setting(retention.LAST_PURGE)


def test_purge_runs_when_due_and_not_again_until_the_interval_has_passed(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("hub", PURGE_INTERVAL_HOURS=24)
    assert last_purge(app) is None
    assert schedule.run_if_due(app) is True
    first = last_purge(app)
    assert first is not None
    assert schedule.run_if_due(app) is False  # ran a moment ago
    with app.app_context():
        set_setting(retention.LAST_PURGE, (utcnow() - dt.timedelta(hours=25)).isoformat())
        db.session.commit()
    assert schedule.run_if_due(app) is True
    assert last_purge(app) >= first


def test_another_worker_holding_the_lock_means_this_one_does_not_run(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("hub", PURGE_INTERVAL_HOURS=24)
    with open(Path(app.instance_path) / "purge.lock", "a") as other_worker:
        fcntl.flock(other_worker, fcntl.LOCK_EX)
        assert schedule.run_if_due(app) is False
        assert last_purge(app) is None
    assert schedule.run_if_due(app) is True


@pytest.mark.postgres
def test_on_postgresql_a_worker_on_another_machine_holding_the_lock_wins(make_app, pg_schema) -> None:  # type: ignore[no-untyped-def]
    app = make_app("hub", DATABASE_URL=pg_schema, PURGE_INTERVAL_HOURS=24)
    with psycopg.connect(PG_URL, autocommit=True) as other_machine:
        other_machine.execute("SELECT pg_advisory_lock(%s)", (schedule.PURGE_LOCK_ID,))
        assert schedule.run_if_due(app) is False
        other_machine.execute("SELECT pg_advisory_unlock(%s)", (schedule.PURGE_LOCK_ID,))
    assert schedule.run_if_due(app) is True
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_schedule_thread_starts_only_on_a_hub_with_an_interval(make_app) -> None:  # type: ignore[no-untyped-def]
    assert schedule.start(make_app("hub", PURGE_INTERVAL_HOURS=0)) is None
    assert schedule.start(make_app("kiosk", PURGE_INTERVAL_HOURS=24)) is None
    thread = schedule.start(make_app("hub", PURGE_INTERVAL_HOURS=24))
    assert thread is not None and thread.daemon and thread.is_alive()


def test_the_counting_job_counts_every_consultations_settled_responses(app) -> None:  # type: ignore[no-untyped-def]
    import random

    from sqlalchemy import func, insert, select

    from kiosk.consultations import store as consultations
    from kiosk.demo.responses import row
    from kiosk.reports import atoms
    from kiosk.reports.models import TallyMark
    from kiosk.responses.models import Response

    rng = random.Random(4)
    with app.app_context():
        for slug in ("policing-priorities", "town-centre-safety"):
            defn = consultations.definition(slug)
            rows = [row(rng, defn, slug=slug, version=1, channel="web", submitted=utcnow(), took=60)
                    for _ in range(20)]
            for r in rows:
                r["received_at"] = utcnow() - atoms.SETTLE - dt.timedelta(minutes=1)
            db.session.execute(insert(Response), rows)
        db.session.commit()
    assert schedule.count_all(app) >= 2
    with app.app_context():
        for slug in ("policing-priorities", "town-centre-safety"):
            newest = db.session.execute(select(func.max(Response.id)).filter_by(consultation_slug=slug)).scalar()
            assert db.session.get(TallyMark, slug).last_id == newest



def test_the_counting_thread_starts_only_on_a_hub_with_an_interval(make_app) -> None:  # type: ignore[no-untyped-def]
    assert schedule.start_counting(make_app("hub", TALLY_INTERVAL_SECONDS=0)) is None
    assert schedule.start_counting(make_app("kiosk")) is None
    thread = schedule.start_counting(make_app("hub", TALLY_INTERVAL_SECONDS=3600))
    assert thread is not None and thread.daemon and thread.is_alive()
