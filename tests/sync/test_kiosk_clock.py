"""A kiosk with a wrong clock loses nothing: +100 days and -1 day against a real hub process, and
a 2-hour jump mid-survey. The kiosk's clock is moved with freezegun in this (kiosk) process only;
the hub runs as its own ``voxbox serve`` process on the real clock."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from kiosk import create_app
from kiosk.core.db import db
from kiosk.draws import retention
from kiosk.draws.models import Entry
from kiosk.responses.models import Draft
from sync import client
from tests.conftest import csrf_token
from tests.sync.deploy import PIN, Deployment


@pytest.fixture
def deployed(tmp_path):  # type: ignore[no-untyped-def]
    """A hub process with an open draw (closing in 7 days) and a kiosk enrolled with it."""
    d = Deployment(tmp_path, None)
    try:
        d.set_up_hub()
        d.start_hub()
        draw_id = d.make_draw()
        d.enroll()
        d.kiosk_cli("sync", "pull")
        d.queue_entries(draw_id, 4)
        yield d
    finally:
        d.stop()


def kiosk_app(d: Deployment, **config):  # type: ignore[no-untyped-def]
    return create_app({"ROLE": "kiosk", "TESTING": True, "SECRET_KEY": "test", "STAFF_PIN": PIN,
                       "SYNC_RETRIES": 1, "SYNC_BACKOFF_MAX": 0.2, **config},
                      instance_path=str(d.kiosk_dir))


def entries_on(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(Entry)).scalar()


def begin_survey(c) -> str:  # type: ignore[no-untyped-def]
    """Start the policing survey on the kiosk; returns the first step's URL."""
    token = csrf_token(c, "/kiosk/")
    r = c.post("/kiosk/c/policing-priorities", data={"csrf_token": token})
    assert r.status_code == 303, f"a resident could not start: {r.status_code}"
    return r.location


@pytest.mark.parametrize("offset", [dt.timedelta(days=100), dt.timedelta(days=-1)],
                         ids=["100-days-ahead", "a-day-behind"])
def test_a_wrong_kiosk_clock_deletes_nothing_unsent_and_still_serves(deployed, offset) -> None:
    app = kiosk_app(deployed)
    with freeze_time(dt.datetime.now() + offset, tick=True):
        with app.app_context():
            assert client.pull(app)["changed"] in (True, False)
            counts = retention.purge(app)  # as `voxbox draws purge` would, on the wrong clock
        assert entries_on(app) == 4, f"unsent entries deleted on the kiosk's clock: {counts}"
        resident = app.test_client()
        assert "policing-priorities" in resident.get("/kiosk/").get_data(as_text=True)
        begin_survey(resident)  # residents can answer the open consultation
        staff = app.test_client()
        pin = csrf_token(staff, "/kiosk/staff/pin")
        staff.post("/kiosk/staff/pin", data={"csrf_token": pin, "pin": PIN})
        panel = staff.get("/kiosk/staff/").get_data(as_text=True)
    assert "data-clock-skew" in panel
    skew_words = "100 days ahead of the hub" if offset.days > 0 else "1 day behind the hub"
    assert skew_words in panel, "the staff panel does not warn about the clock"
    # The entries still reach the hub exactly once.
    deployed.kiosk_cli("sync")
    assert deployed.scalar("hub", "SELECT count(*) FROM draw_entries") == 4


def test_a_two_hour_jump_mid_survey_keeps_the_residents_answers(deployed) -> None:
    app = kiosk_app(deployed)
    with freeze_time(dt.datetime.now(), tick=True) as frozen:
        resident = app.test_client()
        step = begin_survey(resident)
        token = csrf_token(resident, step)
        r = resident.post(step, data={"csrf_token": token, "action": "next", "safe_day": "2"})
        assert r.status_code == 303
        frozen.move_to(dt.datetime.now() + dt.timedelta(hours=2))  # the clock jumps forward
        back = resident.get(r.location)
        assert back.status_code == 200, "the survey was thrown away by the clock jump"
        with app.app_context():
            [draft] = db.session.execute(select(Draft)).scalars()
            assert draft.answers == {"safe_day": 2}
            retention.purge(app)
            assert db.session.execute(select(func.count()).select_from(Draft)).scalar() == 1


def test_an_abandoned_draft_expires_even_with_the_clock_set_back(deployed) -> None:
    app = kiosk_app(deployed, DRAFT_MAX_AGE=1)
    with freeze_time(dt.datetime.now(), tick=True) as frozen:
        begin_survey(app.test_client())
        frozen.move_to(dt.datetime.now() - dt.timedelta(days=1))  # the clock goes back a day
        time.sleep(1.5)  # real time passes (the boot clock), more than DRAFT_MAX_AGE
        with app.app_context():
            retention.purge(app)
            assert db.session.execute(select(func.count()).select_from(Draft)).scalar() == 0
