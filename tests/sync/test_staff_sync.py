"""The kiosk staff panel's "Sync now" button and sync status, against a live hub."""

from __future__ import annotations

import pytest

from kiosk.core.stored_settings import set_setting
from sync import client
from tests.conftest import csrf_token
from tests.sync.conftest import hub_hashes, items_of, queue, states

SQLITE = pytest.mark.parametrize("hub", ["sqlite"], indirect=True)  # PostgreSQL: test_e2e
PANEL, PIN = "/kiosk/staff/", "/kiosk/staff/pin"


def panel_client(kiosk):  # type: ignore[no-untyped-def]
    """A test client signed in to the kiosk's staff panel; returns (client, CSRF token)."""
    http = kiosk.test_client()
    token = csrf_token(http, PIN)
    assert http.post(PIN, data={"csrf_token": token, "pin": "4321"}).status_code == 303
    return http, token


@SQLITE
def test_sync_now_pulls_and_pushes_and_the_panel_shows_the_status(live_hub, make_kiosk) -> None:
    kiosk = make_kiosk(live_hub, "library-tablet")
    queue(kiosk, 25)
    sent = {i["record"]["uuid"]: i["hash"] for i in items_of(kiosk)}
    http, token = panel_client(kiosk)
    before = http.get(PANEL).get_data(as_text=True)
    assert "Sync now" in before and live_hub.url in before and "library-tablet" in before
    assert "<dd data-queued>25</dd>" in before
    r = http.post("/kiosk/staff/sync", data={"csrf_token": token})
    assert r.status_code == 303 and r.location.endswith(PANEL)
    after = http.get(PANEL).get_data(as_text=True)
    assert "Synced: 25 sent to the hub, 0 set aside, 0 still queued." in after
    assert "<dd data-queued>0</dd>" in after and "Never" not in after
    assert states(kiosk)["synced"] == 25 and hub_hashes(live_hub.app) == sent
    with kiosk.app_context():
        assert client.status(kiosk)["last_pull"]  # it pulled first


@SQLITE
def test_a_failed_sync_now_says_why_and_keeps_everything_queued(live_hub, make_kiosk) -> None:
    kiosk = make_kiosk(live_hub, SYNC_RETRIES=8, SYNC_BACKOFF_MAX=0.05)
    queue(kiosk, 4)
    with kiosk.app_context():
        set_setting(client.HUB_URL, "http://127.0.0.1:9")  # nothing listens on the discard port
    http, token = panel_client(kiosk)
    r = http.post("/kiosk/staff/sync", data={"csrf_token": token}, follow_redirects=True)
    page = r.get_data(as_text=True)
    assert "Sync failed" in page and "gave up after 4 attempts" in page  # 3 retries, not 8
    assert "data-sync-error" in page
    assert states(kiosk) == {"queued": 4, "synced": 0, "conflict": 0, "rejected": 0}


@SQLITE
def test_sync_now_needs_the_pin_and_a_csrf_token(live_hub, make_kiosk) -> None:
    kiosk = make_kiosk(live_hub)
    queue(kiosk, 2)
    anonymous = kiosk.test_client()
    token = csrf_token(anonymous, PIN)
    r = anonymous.post("/kiosk/staff/sync", data={"csrf_token": token})
    assert r.status_code == 303 and r.location.endswith(PIN)
    http, _token = panel_client(kiosk)
    assert http.post("/kiosk/staff/sync", data={}).status_code == 400  # no CSRF token
    assert states(kiosk)["queued"] == 2


def test_an_unenrolled_kiosk_panel_explains_how_to_enroll(kiosk_app) -> None:
    queue(kiosk_app, 1)
    http, token = panel_client(kiosk_app)
    page = http.get(PANEL).get_data(as_text=True)
    assert "Sync now" not in page and "voxbox sync enroll" in page
    r = http.post("/kiosk/staff/sync", data={"csrf_token": token}, follow_redirects=True)
    assert "not enrolled" in r.get_data(as_text=True)
    assert states(kiosk_app)["queued"] == 1


def test_the_hub_staff_panel_has_no_sync_button(staff_client) -> None:
    page = staff_client.get(PANEL).get_data(as_text=True)
    assert "Sync now" not in page and "voxbox sync enroll" not in page
    token = csrf_token(staff_client, PANEL)
    r = staff_client.post("/kiosk/staff/sync", data={"csrf_token": token}, follow_redirects=True)
    assert "this is a hub" in r.get_data(as_text=True)
