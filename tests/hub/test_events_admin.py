"""Events admin: staff create and edit events in UK time; they are stored in UTC and published."""

from __future__ import annotations

import datetime as dt

from kiosk.events import store as events
from tests.conftest import csrf_token

FORM = {"name_en": "Street stall", "name_cy": "Stondin stryd", "place": "High Street",
        "date": "2027-07-03", "start": "10:00", "end": "13:30", "description_en": "Come along",
        "description_cy": "", "consultations": ["policing-priorities"]}


def test_staff_create_and_edit_an_event(app, staff_client) -> None:
    token = csrf_token(staff_client, "/staff/events/new")
    r = staff_client.post("/staff/events/new", data={"csrf_token": token, **FORM})
    assert r.status_code == 303
    event_id = r.headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        e = events.get(event_id)
        # 10:00 in London in July is 09:00 UTC
        assert (e.starts_at, e.ends_at) == (dt.datetime(2027, 7, 3, 9, 0), dt.datetime(2027, 7, 3, 12, 30))
        assert e.name == {"en": "Street stall", "cy": "Stondin stryd"}
        assert e.consultations == ["policing-priorities"] and e.source == "hub"
    form = staff_client.get(f"/staff/events/{event_id}").get_data(as_text=True)
    assert 'value="10:00"' in form and 'value="2027-07-03"' in form
    edited = {**FORM, "date": "2027-12-04", "place": "Town hall", "consultations": []}
    r = staff_client.post(f"/staff/events/{event_id}", data={"csrf_token": token, **edited})
    assert r.status_code == 303
    with app.app_context():
        e = events.get(event_id)
        assert (e.place, e.starts_at, e.consultations) == ("Town hall", dt.datetime(2027, 12, 4, 10, 0), [])
    listing = staff_client.get("/staff/events/").get_data(as_text=True)
    assert "Street stall" in listing and "Town hall" in listing
    assert "Town hall" in staff_client.get("/events").get_data(as_text=True)


def test_bad_events_are_refused_with_named_problems(app, staff_client) -> None:
    token = csrf_token(staff_client, "/staff/events/new")
    cases = [({"end": "09:00"}, "must be after the start"), ({"place": ""}, "is required"),
             ({"name_en": ""}, "English text is required"), ({"date": "someday"}, "needs a date and time"),
             ({"end": "25:99"}, "Give the end time as HH:MM."),
             ({"consultations": ["no-such-thing"]}, "no consultation")]
    for change, message in cases:
        r = staff_client.post("/staff/events/new", data={"csrf_token": token, **FORM, **change})
        assert r.status_code == 422, change
        assert message in r.get_data(as_text=True), change
    with app.app_context():
        assert [e.name["en"] for e in events.all_events()] == [
            "Stall at the summer fair", "Street stall at Avonbridge market", "Riverside PACT meeting"]


def test_events_admin_needs_a_signed_in_staff_member(app) -> None:
    anonymous = app.test_client()
    assert anonymous.get("/staff/events/").status_code == 302
    assert anonymous.post("/staff/events/new", data=FORM).status_code in (302, 400)
    assert anonymous.get("/staff/events/nope").status_code == 302


def test_demo_events_are_upcoming_and_refreshed_not_duplicated(app) -> None:
    from kiosk.demo import hub as demo_hub

    with app.app_context():
        before = {e.id: e.starts_at for e in events.all_events()}
        list(demo_hub.load(dt.date.today() + dt.timedelta(days=1)))
        after = {e.id: e.starts_at for e in events.all_events()}
        assert set(before) == set(after)
        names = [e.name["en"] for e in events.upcoming()]
    assert names == ["Street stall at Avonbridge market", "Riverside PACT meeting"]
