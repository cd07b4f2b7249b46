"""Answering on the phone page and the kiosk: validation per field, nothing stored when invalid."""

from __future__ import annotations

import sqlite3

import pytest

from kiosk.responses import store as responses
from kiosk.responses.models import Response
from tests.conftest import csrf_token, rows

VALID = {
    "safe_day": "4", "top_concern": "other", "top_concern.other": "Litter",
    "contact": ["email", "street"],
    "rank_priorities.visible": "2", "rank_priorities.victims": "1",
    "rank_priorities.roads": "4", "rank_priorities.online": "3",
    "comments": "More patrols please",
}
BAD = [
    ({"safe_day": ""}, "safe_day", "needs an answer"),
    ({"safe_day": "9"}, "safe_day", "from 1 to 5"),
    ({"safe_day": "lots"}, "safe_day", "from 1 to 5"),
    ({"top_concern": "aliens"}, "top_concern", "options shown"),
    ({"top_concern.other": ""}, "top_concern", "what &#39;Other&#39; means"),
    ({"contact": ["email", "street", "social"]}, "contact", "no more than 2"),
    ({"contact": ["telepathy"]}, "contact", "options shown"),
    ({"rank_priorities.roads": "2"}, "rank_priorities", "different position"),
    ({"comments": "x" * 501}, "comments", "500 characters"),
]


def post_phone(client, data: dict):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/c/policing-priorities")
    return client.post("/c/policing-priorities", data={"csrf_token": token, **data})


def test_phone_submission_is_stored_with_channel_version_and_answers(app, client) -> None:
    r = post_phone(client, VALID)
    assert r.status_code == 303
    [row] = rows(app)
    assert (row.channel, row.version, row.language, row.device_id) == ("web", 1, "en", None)
    assert row.answers == {
        "safe_day": 4, "top_concern": "other", "top_concern.other": "Litter",
        "contact": ["email", "street"], "rank_priorities": ["victims", "visible", "online", "roads"],
        "comments": "More patrols please",
    }
    assert row.content_hash == responses.content_hash(responses.wire(row))


@pytest.mark.parametrize(("change", "field", "message"), BAD)
def test_invalid_answer_rerenders_with_a_field_message_and_stores_nothing(
    app, client, change: dict, field: str, message: str
) -> None:
    r = post_phone(client, {**VALID, **change})
    body = r.get_data(as_text=True)
    assert r.status_code == 422
    assert f'id="err-{field}"' in body and message in body
    assert rows(app) == []


def test_tampered_fields_are_refused(app, client) -> None:
    r = post_phone(client, {**VALID, "rank_priorities.visible": "1; DROP TABLE"})
    assert r.status_code == 422
    assert rows(app) == []


def test_thank_you_follows_a_durable_commit(app, client, tmp_path) -> None:
    """The row is readable through a separate SQLite connection before the thank-you renders."""
    r = post_phone(client, VALID)
    db_path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    with sqlite3.connect(db_path) as other:
        count = other.execute("select count(*) from responses").fetchone()[0]
    assert count == 1
    thanks = client.get(r.location)
    assert thanks.status_code == 200 and "Thank you" in thanks.get_data(as_text=True)


def test_thank_you_without_a_stored_response_is_not_shown(client) -> None:
    r = client.get("/c/policing-priorities/thanks")
    assert r.status_code == 303


def test_kiosk_flow_steps_through_and_stores_kiosk_channel(kiosk_app) -> None:
    client = kiosk_app.test_client()
    token = csrf_token(client, "/kiosk/")
    step = client.post("/kiosk/c/policing-priorities", data={"csrf_token": token}).location
    answers = [{"safe_day": "3"}, {"top_concern": "drugs"}, {"contact": ["social"]},
               {"rank_priorities.visible": "1", "rank_priorities.victims": "2",
                "rank_priorities.roads": "3", "rank_priorities.online": "4"},
               {"comments": ""}]
    for i, data in enumerate(answers):
        action = "submit" if i == len(answers) - 1 else "next"
        r = client.post(step, data={"csrf_token": token, "action": action, **data})
        assert r.status_code == 303, r.get_data(as_text=True)
        step = r.location
    assert step.endswith("/kiosk/thanks")
    [row] = rows(kiosk_app)
    assert row.channel == "kiosk" and row.device_id
    assert row.answers["rank_priorities"] == ["visible", "victims", "roads", "online"]
    assert "Thank you" in client.get(step).get_data(as_text=True)
    with kiosk_app.app_context():
        from kiosk.core.db import db
        from kiosk.responses.models import Draft

        assert db.session.query(Draft).count() == 0


def test_kiosk_invalid_step_shows_the_message_and_stays(kiosk_app) -> None:
    client = kiosk_app.test_client()
    token = csrf_token(client, "/kiosk/")
    step = client.post("/kiosk/c/policing-priorities", data={"csrf_token": token}).location
    r = client.post(step, data={"csrf_token": token, "action": "next", "safe_day": "0"})
    assert r.status_code == 422 and "from 1 to 5" in r.get_data(as_text=True)
    assert rows(kiosk_app) == []


def test_stored_responses_are_not_changed_by_a_bad_submission(app, client) -> None:
    post_phone(client, VALID)
    before = [(r.uuid, r.content_hash) for r in rows(app)]
    post_phone(client, {**VALID, "safe_day": "77"})
    assert [(r.uuid, r.content_hash) for r in rows(app)] == before
    with app.app_context():
        assert Response.__table__.name == "responses"
