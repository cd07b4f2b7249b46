"""Fixtures for prize draws: officers, draws, kiosks that have pulled the hub's draws and key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk.core.db import db
from kiosk.core.timeutil import utcnow
from kiosk.draws import store as draws
from tests.conftest import PASSWORD, csrf_token, load_demo, sign_in  # noqa: F401  (shared)


@pytest.fixture
def make_draw(app: Flask) -> Callable[..., str]:
    """A factory of draws on the hub (for the demo's policing-priorities); returns the id."""

    def make(**fields: object) -> str:
        data = {"prize": {"en": "A £50 voucher", "cy": "Taleb £50"},
                "rules": {"en": "One entry per person.", "cy": "Un cais y person."},
                "consultations": ["policing-priorities"], "winners": 3, "reserves": 2,
                "claim_days": 28, "closes_at": utcnow() + dt.timedelta(days=7), **fields}
        with app.app_context():
            return draws.define(data).id

    return make


def close(app: Flask, draw_id: str) -> None:
    """Move a draw's closing time into the past (entries are in; it can be drawn)."""
    with app.app_context():
        draw = draws.get(draw_id)
        draw.closes_at = utcnow() - dt.timedelta(minutes=1)
        db.session.commit()


def pull_into(hub: Flask, kiosk: Flask) -> None:
    """What a kiosk's pull brings for draws: the hub's public key and its open draws."""
    from sync import entries, keys

    with hub.app_context():
        key = keys.encode_public(keys.hub_public_key(hub))
        offered = entries.draws_for_pull()
    with kiosk.app_context():
        from kiosk.core.stored_settings import set_setting

        entries.apply_pulled_draws(offered)
        db.session.commit()
        set_setting(keys.SETTING, key)


@pytest.fixture
def kiosk_for(make_app: Callable[..., Flask]) -> Callable[[Flask], Flask]:
    """A factory of kiosk apps (demo loaded) that have pulled the given hub's draws and key."""

    def make(hub: Flask) -> Flask:
        kiosk = make_app("kiosk")
        with kiosk.app_context():
            load_demo()
        pull_into(hub, kiosk)
        return kiosk

    return make


def answer_on_phone(client: FlaskClient) -> str:
    """Answer the demo consultation on the phone page; returns the thank-you page's HTML."""
    from tests.test_answers import VALID

    token = csrf_token(client, "/c/policing-priorities")
    r = client.post("/c/policing-priorities", data={"csrf_token": token, **VALID})
    assert r.status_code == 303, r.get_data(as_text=True)[:500]
    return client.get(r.location).get_data(as_text=True)


def answer_on_kiosk(client: FlaskClient) -> str:
    """Step through the demo consultation on a kiosk; returns the thank-you page's HTML."""
    token = csrf_token(client, "/kiosk/")
    step = client.post("/kiosk/c/policing-priorities", data={"csrf_token": token}).location
    answers = [{"safe_day": "3"}, {"top_concern": "drugs"}, {"contact": ["social"]},
               {"rank_priorities.visible": "1", "rank_priorities.victims": "2",
                "rank_priorities.roads": "3", "rank_priorities.online": "4"},
               {"comments": ""}]
    for i, data in enumerate(answers):
        action = "submit" if i == len(answers) - 1 else "next"
        r = client.post(step, data={"csrf_token": token, "action": action, **data})
        assert r.status_code == 303, r.get_data(as_text=True)[:500]
        step = r.location
    return client.get(step).get_data(as_text=True)


def enter(client: FlaskClient, draw_id: str, name: str, contact: str, kiosk: bool = False,
          opt_in: bool = True):  # type: ignore[no-untyped-def]
    """Post the entry form the thank-you page offered."""
    path = f"/kiosk/draw/{draw_id}" if kiosk else f"/draw/{draw_id}"
    token = csrf_token(client, path)
    data = {"csrf_token": token, "name": name, "contact": contact}
    if opt_in:
        data["opt_in"] = "yes"
    return client.post(path, data=data)
