"""Phone answers are stored once: a resubmitted form, or a retry after a COMMIT whose answer was
lost, shows the thank-you page and never stores a second response (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

import pytest

from kiosk.core.db import db
from tests.conftest import CSRF, load_demo, rows
from tests.responses.test_answers import VALID

RESPONSE_ID = re.compile(r'name="response_id" value="([0-9a-f-]{36})"')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def hub(request, make_app):  # type: ignore[no-untyped-def]
    """A hub with the demo consultations on SQLite or on a throwaway PostgreSQL database."""
    config = {}
    if request.param == "postgresql":
        config["DATABASE_URL"] = request.getfixturevalue("pg_url")
    application = make_app("hub", **config)
    with application.app_context():
        load_demo()
    yield application
    with application.app_context():
        db.engine.dispose()


def lose_one_commit_answer(monkeypatch, engine) -> list:  # type: ignore[no-untyped-def]
    """Make the next COMMIT on engine land in the database, then fail as if its answer was lost
    on the wire (the driver's own OperationalError, so SQLAlchemy handles it as in production)."""
    dialect, lost = engine.dialect, []
    do_commit = dialect.do_commit
    driver_error = dialect.loaded_dbapi.OperationalError

    def commit_then_lose(dbapi_connection) -> None:  # type: ignore[no-untyped-def]
        do_commit(dbapi_connection)
        if not lost:
            lost.append(True)
            raise driver_error("server closed the connection unexpectedly")

    monkeypatch.setattr(dialect, "do_commit", commit_then_lose)
    return lost


def served_form(client) -> dict:  # type: ignore[no-untyped-def]
    """The hidden fields of a freshly served phone form."""
    page = client.get("/c/policing-priorities").get_data(as_text=True)
    token, response_id = CSRF.search(page), RESPONSE_ID.search(page)
    assert token and response_id, "the form must carry a CSRF token and a response id"
    return {"csrf_token": token.group(1), "response_id": response_id.group(1)}


def test_each_served_form_names_a_new_response(hub) -> None:
    client = hub.test_client()
    assert served_form(client)["response_id"] != served_form(client)["response_id"]


def test_a_form_posted_twice_is_stored_once_and_thanked_twice(hub) -> None:
    client = hub.test_client()
    form = {**served_form(client), **VALID}
    for _attempt in range(2):
        r = client.post("/c/policing-priorities", data=form)
        assert r.status_code == 303, r.get_data(as_text=True)[:500]
        thanks = client.get(r.headers["Location"])
        assert thanks.status_code == 200
        assert "have been saved" in thanks.get_data(as_text=True)
    [row] = rows(hub)
    assert row.uuid == form["response_id"]


def test_a_lost_commit_acknowledgement_still_thanks_and_stores_once(hub, monkeypatch) -> None:
    """The COMMIT lands but its answer is lost (as when the connection drops right after)."""
    client = hub.test_client()
    form = {**served_form(client), **VALID}
    with hub.app_context():
        lost = lose_one_commit_answer(monkeypatch, db.engine)
    r = client.post("/c/policing-priorities", data=form)
    assert lost, "the injected failure did not happen"
    assert r.status_code == 303, r.get_data(as_text=True)[:500]
    assert "have been saved" in client.get(r.headers["Location"]).get_data(as_text=True)
    r = client.post("/c/policing-priorities", data=form)  # the resident presses Submit again
    assert r.status_code == 303
    assert len(rows(hub)) == 1


def test_a_malformed_response_id_gets_a_fresh_one(hub) -> None:
    client = hub.test_client()
    form = {**served_form(client), **VALID, "response_id": "not-a-uuid"}
    assert client.post("/c/policing-priorities", data=form).status_code == 303
    [row] = rows(hub)
    assert row.uuid != "not-a-uuid"
