"""Fixtures for the kiosk browser tests: a kiosk that resets quickly, and one offering a prize draw."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from tests.conftest import LiveServer, load_demo


@pytest.fixture
def quick_kiosk(make_app: Callable[..., Flask]) -> Iterator[LiveServer]:
    """A live kiosk (demo loaded) that asks "Still there?" after 2 s idle and resets 2 s later."""
    application = make_app("kiosk", IDLE_SECONDS=2, IDLE_COUNTDOWN_SECONDS=2)
    with application.app_context():
        load_demo()
    server = LiveServer(application)
    yield server
    server.stop()


@pytest.fixture
def draw_kiosk(make_app: Callable[..., Flask]) -> Iterator[LiveServer]:
    """A live kiosk that has pulled an open prize draw for policing-priorities from a hub."""
    import datetime as dt

    from kiosk.core.timeutil import utcnow
    from kiosk.draws import store as draws
    from tests.draws.conftest import pull_into

    hub = make_app("hub")
    with hub.app_context():
        load_demo()
        draws.define({"prize": {"en": "A £50 voucher", "cy": "Taleb £50"},
                      "rules": {"en": "One entry per person.", "cy": "Un cais y person."},
                      "consultations": ["policing-priorities"], "winners": 1, "reserves": 1,
                      "claim_days": 28, "closes_at": utcnow() + dt.timedelta(days=7)})
    application = make_app("kiosk")
    with application.app_context():
        load_demo()
    pull_into(hub, application)
    server = LiveServer(application)
    yield server
    server.stop()
