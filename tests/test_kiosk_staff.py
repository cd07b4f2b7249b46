"""The kiosk staff panel: PIN lock-outs kept in the database, event tagging, offer, language."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from kiosk import create_app
from kiosk.consultations import definitions
from kiosk.consultations import store as consultations
from kiosk.core.db import db
from kiosk.tablet import pin_locks
from kiosk.tablet.models import PinLock
from tests.conftest import csrf_token, load_demo, rows
from tests.test_kiosk_privacy import STEPS, begin

PANEL = "/kiosk/staff/"
PIN = "/kiosk/staff/pin"


def sign_in(client) -> str:  # type: ignore[no-untyped-def]
    token = csrf_token(client, PIN)
    r = client.post(PIN, data={"csrf_token": token, "pin": "4321"})
    assert r.status_code == 303 and r.location.endswith(PANEL)
    return token


def answer_all(client) -> None:  # type: ignore[no-untyped-def]
    token, step = begin(client)
    for i, data in enumerate(STEPS):
        action = "submit" if i == len(STEPS) - 1 else "next"
        step = client.post(step, data={"csrf_token": token, "action": action, **data}).location
    assert step.endswith("/kiosk/thanks")


def unlock_by_time(application) -> None:  # type: ignore[no-untyped-def]
    """Move the lock-out into the past, as waiting would."""
    with application.app_context():
        db.session.execute(update(PinLock).values(locked_until=dt.datetime(2000, 1, 1)))
        db.session.commit()


def lock_for(application, seconds: int) -> None:  # type: ignore[no-untyped-def]
    """Stretch the current lock-out to end this many seconds from now."""
    from kiosk.core.timeutil import utcnow

    with application.app_context():
        until = utcnow() + dt.timedelta(seconds=seconds)
        db.session.execute(update(PinLock).values(locked_until=until))
        db.session.commit()


def test_lock_outs_grow_after_three_wrong_pins() -> None:
    assert [pin_locks.lock_seconds(n) for n in range(1, 8)] == [0, 0, 2, 4, 8, 16, 32]
    assert pin_locks.lock_seconds(40) == pin_locks.MAX_LOCK


def test_the_panel_needs_the_pin(kiosk_app) -> None:
    client = kiosk_app.test_client()
    r = client.get(PANEL)
    assert r.status_code == 303 and r.location.endswith(PIN)


def test_wrong_pins_are_refused_then_locked_out_even_across_a_restart(kiosk_app) -> None:
    client = kiosk_app.test_client()
    token = csrf_token(client, PIN)
    for _ in range(2):
        r = client.post(PIN, data={"csrf_token": token, "pin": "0000"})
        assert r.status_code == 401 and "That PIN is not right." in r.get_data(as_text=True)
    r = client.post(PIN, data={"csrf_token": token, "pin": "1111"})
    assert r.status_code == 429 and "Try again in 2 seconds" in r.get_data(as_text=True)
    # the right PIN is refused while locked, from a fresh browser and after a restart too (the
    # lock is stretched first, so a slow restart cannot outlast the 2 s lock-out)
    lock_for(kiosk_app, 3600)
    restarted = create_app({"TESTING": True, "ROLE": "kiosk", "SECRET_KEY": "test",
                            "STAFF_PIN": "4321"}, instance_path=kiosk_app.instance_path)
    for app_ in (kiosk_app, restarted):
        fresh = app_.test_client()
        t = csrf_token(fresh, PIN)
        assert "Try again in" in fresh.get(PIN).get_data(as_text=True)
        assert fresh.post(PIN, data={"csrf_token": t, "pin": "4321"}).status_code == 429
        assert fresh.get(PANEL).status_code == 303
    # the /staff/login PIN shares the same lock
    assert client.post("/staff/login", data={"csrf_token": token, "pin": "4321"}).status_code == 401
    unlock_by_time(kiosk_app)
    assert client.post(PIN, data={"csrf_token": token, "pin": "2222"}).status_code == 429
    with kiosk_app.app_context():
        row = db.session.get(PinLock, pin_locks.SCOPE)
        assert row.failures == 4  # the fourth failure doubles the lock-out
        assert row.locked_until - row.last_failure_at == dt.timedelta(seconds=4)
    unlock_by_time(kiosk_app)
    sign_in(client)
    with kiosk_app.app_context():
        assert db.session.get(PinLock, pin_locks.SCOPE) is None  # a right PIN clears the count


def test_a_created_event_tags_the_next_responses(kiosk_app) -> None:
    staff = kiosk_app.test_client()
    token = sign_in(staff)
    resident = kiosk_app.test_client()
    answer_all(resident)
    r = staff.post(f"{PANEL}event/new", data={"csrf_token": token, "name": "Market stall",
                                             "name_cy": "Stondin y farchnad",
                                             "place": "High Street, Avonbridge",
                                             "date": "2026-12-05"})
    assert r.status_code == 303
    page = staff.get(PANEL).get_data(as_text=True)
    assert "Market stall" in page and "Event created" in page
    answer_all(resident)
    before, after = rows(kiosk_app)
    assert before.event_id is None and after.event_id
    with kiosk_app.app_context():
        from kiosk.events.models import Event

        event = db.session.get(Event, after.event_id)
        assert (event.name, event.place, event.source) == (
            {"en": "Market stall", "cy": "Stondin y farchnad"}, "High Street, Avonbridge", "local")
    staff.post(f"{PANEL}event", data={"csrf_token": token, "event_id": ""})
    answer_all(resident)
    assert rows(kiosk_app)[-1].event_id is None
    staff.post(f"{PANEL}event", data={"csrf_token": token, "event_id": after.event_id})
    answer_all(resident)
    assert rows(kiosk_app)[-1].event_id == after.event_id


def test_an_event_needs_name_place_and_date(kiosk_app) -> None:
    staff = kiosk_app.test_client()
    token = sign_in(staff)
    staff.post(f"{PANEL}event/new", data={"csrf_token": token, "name": "", "place": "X",
                                         "date": "2026-12-05"})
    staff.post(f"{PANEL}event/new", data={"csrf_token": token, "name": "Y", "place": "X",
                                         "date": "soon"})
    assert "give its name, place and date" in staff.get(PANEL).get_data(as_text=True)


ENGLISH_ONLY = """
slug: english-only
status: open
title: {en: Bins survey, cy: Arolwg biniau}
questions:
  - {id: bins, type: text, prompt: {en: "What about the bins?"}}
"""


def add_english_only(application) -> None:  # type: ignore[no-untyped-def]
    import yaml

    with application.app_context():
        consultations.import_definition(definitions.validate(yaml.safe_load(ENGLISH_ONLY)))


def test_staff_choose_what_is_offered_but_not_without_welsh(kiosk_app) -> None:
    add_english_only(kiosk_app)
    staff = kiosk_app.test_client()
    token = sign_in(staff)
    start = kiosk_app.test_client().get("/kiosk/").get_data(as_text=True)
    assert "Your priorities for policing" in start and "Bins survey" not in start
    panel = staff.get(PANEL).get_data(as_text=True)
    assert "Welsh text missing" in panel
    r = staff.post(f"{PANEL}offered", data={"csrf_token": token,
                                           "offered": ["english-only", "policing-priorities"]})
    page = staff.get(r.location).get_data(as_text=True)
    assert "“Bins survey” cannot be offered on a bilingual kiosk" in page
    assert "questions[0].prompt" in page
    staff.post(f"{PANEL}offered", data={"csrf_token": token, "offered": ["policing-priorities"]})
    start = kiosk_app.test_client().get("/kiosk/").get_data(as_text=True)
    assert "Your priorities for policing" in start
    assert "Balance the 2027/28 police budget" not in start


def test_an_english_only_kiosk_may_offer_english_only_consultations(make_app) -> None:
    application = make_app("kiosk", LANGUAGES=["en"])
    with application.app_context():
        load_demo()
    add_english_only(application)
    staff = application.test_client()
    token = sign_in(staff)
    staff.post(f"{PANEL}offered", data={"csrf_token": token, "offered": ["english-only"]})
    assert "Bins survey" in application.test_client().get("/kiosk/").get_data(as_text=True)


def test_default_language_applies_to_new_residents(kiosk_app) -> None:
    staff = kiosk_app.test_client()
    token = sign_in(staff)
    staff.post(f"{PANEL}language", data={"csrf_token": token, "language": "cy"})
    resident = kiosk_app.test_client()
    assert '<html lang="cy">' in resident.get("/kiosk/").get_data(as_text=True)
    answer_all(resident)
    assert rows(kiosk_app)[-1].language == "cy"


def test_queue_counts_show_on_the_panel(kiosk_app) -> None:
    answer_all(kiosk_app.test_client())
    answer_all(kiosk_app.test_client())
    staff = kiosk_app.test_client()
    sign_in(staff)
    assert "<dd data-queued>2</dd>" in staff.get(PANEL).get_data(as_text=True)


@pytest.mark.parametrize("role", ["kiosk", "hub"])
def test_leaving_kiosk_mode_signs_out(make_app, role: str) -> None:
    # A hub shows the kiosk pages (PIN panel included) to anyone only in the demo.
    application = make_app(role, DEMO=role == "hub")
    with application.app_context():
        load_demo()
    staff = application.test_client()
    token = sign_in(staff)
    assert staff.get(PANEL).status_code == 200
    r = staff.post(f"{PANEL}leave", data={"csrf_token": token})
    assert r.location.endswith("/kiosk/")
    assert staff.get(PANEL).status_code == 303
    assert staff.get("/staff/").status_code == 302


def test_an_idle_reset_also_signs_staff_out(kiosk_app) -> None:
    staff = kiosk_app.test_client()
    token = sign_in(staff)
    staff.post("/kiosk/reset", data={"csrf_token": token})
    assert staff.get(PANEL).status_code == 303


def test_leaving_the_panel_deletes_a_draft_left_in_the_session(kiosk_app) -> None:
    from sqlalchemy import func, select

    from kiosk.responses.models import Draft

    staff = kiosk_app.test_client()
    token = sign_in(staff)
    begin(staff)  # staff try the survey out, then go back to the panel
    with kiosk_app.app_context():
        assert db.session.execute(select(func.count()).select_from(Draft)).scalar_one() == 1
    staff.post(f"{PANEL}leave", data={"csrf_token": token})
    with kiosk_app.app_context():
        assert db.session.execute(select(func.count()).select_from(Draft)).scalar_one() == 0
