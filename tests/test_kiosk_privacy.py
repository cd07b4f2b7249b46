"""Kiosk privacy between residents: server-side drafts, reset, reload, language, no caching."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from kiosk.core.clock import boot_seconds
from kiosk.core.db import db
from kiosk.responses.models import Draft
from tests.conftest import csrf_token, rows

SLUG = "policing-priorities"
STEPS = [{"safe_day": "3"}, {"top_concern": "drugs"}, {"contact": ["social"]},
         {"rank_priorities.visible": "1", "rank_priorities.victims": "2",
          "rank_priorities.roads": "3", "rank_priorities.online": "4"},
         {"comments": "Brighter street lights"}]


def begin(client) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """Start the survey on the kiosk; returns (csrf token, first step URL)."""
    token = csrf_token(client, "/kiosk/")
    step = client.post(f"/kiosk/c/{SLUG}", data={"csrf_token": token}).location
    return token, step


def drafts_in(application) -> list[Draft]:  # type: ignore[no-untyped-def]
    with application.app_context():
        return list(db.session.execute(select(Draft)).scalars())


def test_reload_keeps_answers_and_reset_deletes_them(kiosk_app) -> None:
    client = kiosk_app.test_client()
    token, step = begin(client)
    second = client.post(step, data={"csrf_token": token, "action": "next", "safe_day": "2"}).location
    assert 'value="2" checked' in client.get(step).get_data(as_text=True)  # a reload keeps it
    [draft] = drafts_in(kiosk_app)
    assert draft.answers == {"safe_day": 2}

    r = client.post("/kiosk/reset", data={"csrf_token": token})
    assert r.status_code == 303 and r.location.endswith("/kiosk/")
    assert drafts_in(kiosk_app) == []
    for page in (step, second):  # Back or a reload after reset: the attract screen, no answers
        again = client.get(page)
        assert again.status_code == 303 and again.location.endswith("/kiosk/")
    assert 'value="2" checked' not in client.get("/kiosk/").get_data(as_text=True)


def test_a_new_resident_gets_a_fresh_draft(kiosk_app) -> None:
    client = kiosk_app.test_client()
    token, step = begin(client)
    client.post(step, data={"csrf_token": token, "action": "next", "safe_day": "5"})
    _, step2 = begin(client)  # the next person taps Start
    assert 'checked' not in client.get(step2).get_data(as_text=True)
    assert [d.answers for d in drafts_in(kiosk_app)] == [{}]


def test_expired_drafts_are_purged_when_the_start_screen_loads(kiosk_app) -> None:
    client = kiosk_app.test_client()
    token, step = begin(client)
    client.post(step, data={"csrf_token": token, "action": "next", "safe_day": "1"})
    other = kiosk_app.test_client()
    begin(other)
    assert len(drafts_in(kiosk_app)) == 2
    old = dt.datetime(2020, 1, 1)
    # drafts age by the boot clock (issue 18), so both clocks say "long ago"
    idle_since = boot_seconds() - kiosk_app.config["DRAFT_MAX_AGE"] - 60
    with kiosk_app.app_context():
        db.session.execute(update(Draft).values(updated_at=old, touched_boot=idle_since))
        db.session.commit()
    kiosk_app.test_client().get("/kiosk/")  # anyone's start screen sweeps abandoned drafts
    assert drafts_in(kiosk_app) == []
    assert client.get(step).location.endswith("/kiosk/")


def test_language_toggle_on_a_question_keeps_what_was_typed(kiosk_app) -> None:
    client = kiosk_app.test_client()
    token, step = begin(client)
    r = client.post(step, data={"csrf_token": token, "action": "lang:cy", "safe_day": "4"})
    assert r.status_code == 303 and r.location == step
    page = client.get(step).get_data(as_text=True)
    assert '<html lang="cy">' in page and 'value="4" checked' in page
    for i, data in enumerate([{"safe_day": "4"}, *STEPS[1:]]):
        action = "submit" if i == len(STEPS) - 1 else "next"
        step = client.post(step, data={"csrf_token": token, "action": action, **data}).location
    [row] = rows(kiosk_app)
    assert row.language == "cy" and row.answers["safe_day"] == 4


def test_after_submit_nothing_of_the_resident_is_left_but_the_response(kiosk_app) -> None:
    client = kiosk_app.test_client()
    token, step = begin(client)
    first = step
    for i, data in enumerate(STEPS):
        action = "submit" if i == len(STEPS) - 1 else "next"
        step = client.post(step, data={"csrf_token": token, "action": action, **data}).location
    assert client.get(step).status_code == 200  # thank-you, once
    assert client.get(step).status_code == 303  # not again
    assert client.get(first).location.endswith("/kiosk/")
    assert drafts_in(kiosk_app) == [] and len(rows(kiosk_app)) == 1


@pytest.mark.parametrize("role", ["kiosk", "hub"])
def test_kiosk_pages_forbid_caching_and_autocomplete_in_both_roles(make_app, role: str) -> None:
    from tests.conftest import load_demo

    application = make_app(role)
    with application.app_context():
        load_demo()
    client = application.test_client()
    if role == "hub":  # a hub serves the kiosk pages only to staff entering answers for someone
        from kiosk.core import auth
        from tests.conftest import PASSWORD, sign_in

        with application.app_context():
            auth.create_user("assist@example.org", "Assist", PASSWORD, "staff")
        sign_in(client, "assist@example.org")
    token, step = begin(client)
    last = f"/kiosk/c/{SLUG}/4"
    body = client.get(last).get_data(as_text=True)
    for page in [step, last, "/kiosk/staff/pin", "/kiosk/"]:  # the start screen ends the draft
        r = client.get(page)
        assert r.status_code == 200, page
        assert r.headers["Cache-Control"] == "no-store"
    assert 'type="text"' in body or "<textarea" in body
    assert body.count('autocomplete="off"') >= body.count("<textarea") + body.count('type="text"')


@pytest.mark.parametrize("leave", ["reset", "start screen"])
def test_the_next_person_cannot_use_the_last_ones_prize_draw_offer(make_app, leave: str) -> None:
    import re

    from sqlalchemy import func

    from kiosk.draws.models import Entry
    from tests.test_kiosk_offline import draw_kiosk_app

    application = draw_kiosk_app(make_app)
    client = application.test_client()
    token, step = begin(client)
    for i, data in enumerate(STEPS):
        action = "submit" if i == len(STEPS) - 1 else "next"
        step = client.post(step, data={"csrf_token": token, "action": action, **data}).location
    draw = re.search(r'href="(/kiosk/draw/[^"]+)"', client.get(step).get_data(as_text=True)).group(1)
    assert client.get(draw).status_code == 200  # offered to the person just thanked
    if leave == "reset":
        client.post("/kiosk/reset", data={"csrf_token": token})
    else:
        client.get("/kiosk/")
    r = client.get(draw)
    assert r.status_code == 303 and r.location.endswith("/kiosk/")
    r = client.post(draw, data={"csrf_token": token, "opt_in": "yes", "name": "Next Person",
                                "contact": "next@example.org"})
    assert r.status_code == 403
    with application.app_context():
        assert db.session.execute(select(func.count()).select_from(Entry)).scalar_one() == 0
