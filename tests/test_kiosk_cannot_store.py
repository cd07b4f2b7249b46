"""A kiosk that cannot store an answer says so in both languages, keeps the draft and offers
Retry (never a bare 500); the Retry stores the response once the database takes writes again."""

from __future__ import annotations

from sqlalchemy import event, select

from kiosk.core.db import db
from kiosk.responses.models import Draft, Response
from tests.conftest import csrf_token

STEPS = [{"safe_day": "3"}, {"top_concern": "drugs"}, {"contact": ["social"]},
         {"rank_priorities.visible": "1", "rank_priorities.victims": "2",
          "rank_priorities.roads": "3", "rank_priorities.online": "4"}]
LAST = {"comments": "More lighting"}


def walk_to_last_step(client) -> str:  # type: ignore[no-untyped-def]
    """Answer every question but the last of the demo's policing survey; returns its URL."""
    token = csrf_token(client, "/kiosk/")
    step = client.post("/kiosk/c/policing-priorities", data={"csrf_token": token}).location
    for data in STEPS:
        r = client.post(step, data={"csrf_token": token, "action": "next", **data})
        assert r.status_code == 303, r.get_data(as_text=True)[:300]
        step = r.location
    return step


def test_a_database_that_refuses_writes_gets_the_not_saved_page_and_retry_stores_it(
        kiosk_app) -> None:
    client = kiosk_app.test_client()
    url = walk_to_last_step(client)
    form = {"csrf_token": csrf_token(client, url), "action": "submit", **LAST}

    def disk_full(conn, cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("INSERT INTO RESPONSES"):
            import sqlite3

            raise sqlite3.OperationalError("database or disk is full")

    with kiosk_app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", disk_full)
    try:
        r = client.post(url, data=form)
    finally:
        event.remove(engine, "before_cursor_execute", disk_full)
    body = r.get_data(as_text=True)
    assert r.status_code == 503
    assert "Your answers are not saved yet" in body and "Nid yw eich atebion" in body
    assert "Error 500" not in body
    with kiosk_app.app_context():
        assert db.session.execute(select(Response)).first() is None
        assert db.session.execute(select(Draft)).first() is not None, "the draft was lost"
    # Retry posts the very same fields again
    assert 'name="action" value="submit"' in body
    r = client.post(url, data=form)
    assert r.status_code == 303 and r.headers["Location"].endswith("/kiosk/thanks")
    with kiosk_app.app_context():
        assert len(db.session.execute(select(Response)).all()) == 1
        assert db.session.execute(select(Draft)).first() is None


def test_a_kiosk_whose_database_is_away_shows_a_clear_bilingual_page(kiosk_app) -> None:
    client = kiosk_app.test_client()
    token = csrf_token(client, "/kiosk/")

    def locked(conn, cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("INSERT INTO DRAFTS"):
            import sqlite3

            raise sqlite3.OperationalError("database or disk is full")

    with kiosk_app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", locked)
    try:
        r = client.post("/kiosk/c/policing-priorities", data={"csrf_token": token})
    finally:
        event.remove(engine, "before_cursor_execute", locked)
    body = r.get_data(as_text=True)
    assert r.status_code == 503
    assert "cannot take new answers" in body and "Ni all y llechen" in body
