"""Scan counts are exact: a batch flushed again after its COMMIT's answer was lost stores each
scan once, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from kiosk.core.db import db
from kiosk.outreach import scans, tracking
from kiosk.outreach.models import Scan
from tests.conftest import load_demo
from tests.hub.conftest import PHONE_UA
from tests.hub.test_phone_once import lose_one_commit_answer


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def hub(request, make_app):  # type: ignore[no-untyped-def]
    """A hub whose scan writer waits for an explicit flush (the interval is an hour)."""
    config: dict = {"SCAN_FLUSH_SECONDS": 3600}
    if request.param == "postgresql":
        config["DATABASE_URL"] = request.getfixturevalue("pg_url")
    application = make_app("hub", **config)
    with application.app_context():
        load_demo()
    yield application
    with application.app_context():
        scans.counter_engine().dispose()
        db.engine.dispose()


def test_a_flush_retried_after_a_lost_acknowledgement_counts_each_scan_once(hub,
                                                                          monkeypatch) -> None:
    with hub.app_context():
        code = tracking.create("policing-priorities", "bus_stop", "Stop 9").code
    answered = 0
    for _ in range(37):
        phone = hub.test_client()
        phone.environ_base["HTTP_USER_AGENT"] = PHONE_UA
        assert phone.get(f"/q/{code}").status_code == 302
        answered += 1
    with hub.app_context():
        lost = lose_one_commit_answer(monkeypatch, scans.counter_engine())
        with pytest.raises(OperationalError):
            scans.flush()  # the batch is committed, but the writer hears only an error
        assert lost
        assert scans.flush() == answered  # so it writes the same batch again
        assert scans.flush() == 0
        stored = db.session.execute(select(func.count()).select_from(Scan)
                                    .where(Scan.stage == "scan")).scalar()
    assert stored == answered
