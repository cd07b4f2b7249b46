"""Kiosks the hub can see: every pull and push carries a heartbeat, the devices page shows it and
flags a kiosk with responses waiting that has not synced for ``KIOSK_STALE_HOURS``."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re

import pytest
import requests
from flask.testing import FlaskClient
from sqlalchemy import insert, update

from kiosk.core import auth
from kiosk.core.db import db
from kiosk.core.timeutil import utcnow
from kiosk.devices import store as devices
from kiosk.devices.models import Device
from kiosk.responses.models import Response
from sync import client, heartbeat
from tests.conftest import LiveServer, csrf_token
from tests.sync.conftest import add_device, items_of, post_items, queue

SLUG = "policing-priorities"
sqlite_hub = pytest.mark.parametrize("hub", ["sqlite"], indirect=True)


def _admin(hub: LiveServer) -> FlaskClient:
    with hub.app.app_context():
        auth.create_user("admin@example.org", "Admin", "correct horse battery", "admin")
    admin = hub.app.test_client()
    admin.post("/staff/login", data={"csrf_token": csrf_token(admin, "/staff/login"),
                                     "email": "admin@example.org",
                                     "password": "correct horse battery"})
    return admin


def _row(page: str, name: str) -> str:
    """The devices table row of one device."""
    found = re.search(rf'<tr data-device="{re.escape(name)}".*?</tr>', page, re.S)
    assert found, f"no row for {name!r}"
    return found.group(0)


def _ids(kiosk) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    with kiosk.app_context():
        return client.get_setting(client.DEVICE_ID), client.get_setting(client.TOKEN)


@sqlite_hub
def test_a_kiosks_pull_and_push_show_its_heartbeat_on_the_devices_page(live_hub,
                                                                       make_kiosk) -> None:
    kiosk = make_kiosk(live_hub, "Library tablet", SYNC_BATCH_SIZE=4)
    queue(kiosk, 7)
    admin = _admin(live_hub)
    assert "none yet" in _row(admin.get("/staff/devices/").get_data(as_text=True),
                              "Library tablet")
    with kiosk.app_context():
        client.pull(kiosk)
    page = admin.get("/staff/devices/").get_data(as_text=True)
    row = _row(page, "Library tablet")
    assert "<dd data-queued>7</dd>" in row
    assert re.search(r"<dd data-app-version>\S+</dd>", row)
    assert re.search(r"<dd>\d+ MB</dd>", row)  # free disk
    device_id, _token = _ids(kiosk)
    assert device_id not in re.sub(r"<[^>]+>", " ", page)  # shown by its name, not its UUID

    with kiosk.app_context():
        assert client.push(kiosk)["accepted"] == 7
    # two batches (4 + 3): the last heartbeat counted 3 queued, and its receipt settled them
    assert "<dd data-queued>0</dd>" in _row(admin.get("/staff/devices/").get_data(as_text=True),
                                             "Library tablet")


@sqlite_hub
def test_a_kiosk_with_responses_waiting_that_has_not_synced_is_flagged(live_hub,
                                                                       make_kiosk) -> None:
    stale, fresh = make_kiosk(live_hub, "Market stall"), make_kiosk(live_hub, "Town hall")
    for kiosk in (stale, fresh):
        queue(kiosk, 12)
        with kiosk.app_context():
            client.pull(kiosk)  # a heartbeat with 12 queued, nothing pushed yet
    stale_id, _ = _ids(stale)
    with live_hub.app.app_context():
        db.session.execute(update(Device).where(Device.id == stale_id).values(
            last_sync_at=utcnow() - dt.timedelta(days=3, hours=2)))
        db.session.commit()
    admin = _admin(live_hub)
    page = admin.get("/staff/devices/").get_data(as_text=True)
    flagged = _row(page, "Market stall")
    assert "data-stale" in flagged
    assert "Not synced for 3 days, 12 responses waiting" in flagged
    assert "data-stale-kiosks" in page and "warning-text__icon" in page
    assert "data-stale" not in _row(page, "Town hall")  # enrolled minutes ago

    live_hub.app.config["KIOSK_STALE_HOURS"] = 24 * 4  # a longer threshold: not yet stale
    page = admin.get("/staff/devices/").get_data(as_text=True)
    assert "data-stale" not in _row(page, "Market stall") and "data-stale-kiosks" not in page

    live_hub.app.config["KIOSK_STALE_HOURS"] = 24
    with stale.app_context():
        client.push(stale)  # the queue handed over: nothing waiting, nothing to flag
    assert "data-stale" not in _row(admin.get("/staff/devices/").get_data(as_text=True),
                                    "Market stall")


BAD_HEARTBEATS = [
    "not json", "[1, 2]", json.dumps({"queued": -1}), json.dumps({"queued": "lots"}),
    json.dumps({"queued": True}), json.dumps({"battery": 250}),
    json.dumps({"queued": 1, "last_error": "x" * 900}), json.dumps({"queued": 3, "pad": "y" * 5000}),
]


@sqlite_hub
def test_a_malformed_or_oversized_heartbeat_never_fails_a_sync(live_hub, make_kiosk,
                                                               caplog) -> None:
    kiosk = make_kiosk(live_hub, "Bus station")
    queue(kiosk, len(BAD_HEARTBEATS))
    device_id, token = _ids(kiosk)
    items = items_of(kiosk)
    caplog.set_level(logging.WARNING, logger="sync.heartbeat")
    auth_header = {"Authorization": f"Bearer {token}"}
    for i, bad in enumerate(BAD_HEARTBEATS):
        pulled = requests.get(f"{live_hub.url}/api/v1/pull", timeout=30,
                              headers={**auth_header, heartbeat.HEADER: bad})
        assert pulled.status_code == 200, bad
        with requests.Session() as http:
            http.headers[heartbeat.HEADER] = bad
            pushed = post_items(live_hub.url, token, [items[i]], session=http)
        assert pushed.status_code == 200, bad
        assert pushed.json()["items"][0]["status"] == "accepted"
    with live_hub.app.app_context():
        assert db.session.get(Device, device_id).heartbeat is None
    ignored = [r for r in caplog.records if "heartbeat from device" in r.getMessage()]
    assert len(ignored) == 2 * len(BAD_HEARTBEATS)


@sqlite_hub
def test_an_older_kiosk_without_a_heartbeat_syncs_as_before(live_hub, make_kiosk) -> None:
    kiosk = make_kiosk(live_hub, "Old tablet")
    queue(kiosk, 3)
    device_id, token = _ids(kiosk)
    reply = post_items(live_hub.url, token, items_of(kiosk))  # no heartbeat header at all
    assert [i["status"] for i in reply.json()["items"]] == ["accepted"] * 3
    with live_hub.app.app_context():
        device = db.session.get(Device, device_id)
        assert device.heartbeat is None and device.last_sync_at is not None
    assert "none yet" in _row(_admin(live_hub).get("/staff/devices/").get_data(as_text=True),
                              "Old tablet")


def test_the_heartbeat_reports_battery_only_where_a_power_supply_has_one(tmp_path) -> None:
    assert heartbeat.battery(str(tmp_path / "*" / "capacity")) is None
    (tmp_path / "BAT0").mkdir()
    (tmp_path / "BAT0" / "capacity").write_text("57\n")
    assert heartbeat.battery(str(tmp_path / "*" / "capacity")) == 57


def test_a_stored_heartbeat_keeps_only_the_known_fields() -> None:
    beat = heartbeat.parse(json.dumps({"queued": 2, "battery": 80, "from_the_future": [1]}))
    assert beat == {"queued": 2, "battery": 80}
    assert heartbeat.parse(None) is None


def test_staleness_needs_responses_waiting_and_a_long_quiet() -> None:
    now = utcnow()
    device = Device(id="d", name="n", token_hash="x", enrolled_at=now - dt.timedelta(days=9),
                    last_sync_at=now - dt.timedelta(hours=30), heartbeat={"queued": 4})
    assert devices.staleness(device, 24, now) == (dt.timedelta(hours=30), 4)
    assert devices.staleness(device, 48, now) is None
    device.heartbeat = {"queued": 0}
    assert devices.staleness(device, 24, now) is None
    device.heartbeat = None  # an older kiosk: nothing known about its queue
    assert devices.staleness(device, 24, now) is None


def test_the_report_names_kiosks_rather_than_their_uuids(app, staff_client) -> None:
    device_id, _token = add_device(app, "Community centre tablet")
    now = utcnow()
    with app.app_context():  # three responses as the hub stores a kiosk's push
        db.session.execute(insert(Response), [{
            "uuid": f"00000000-0000-4000-8000-00000000000{i}", "consultation_slug": SLUG,
            "version": 1, "answers": {}, "language": "en", "channel": "kiosk",
            "device_id": device_id, "event_id": None, "tracking_code": None,
            "started_at": now - dt.timedelta(minutes=5), "submitted_at": now,
            "content_hash": "0" * 64, "received_at": now, "sync_state": "queued"} for i in range(3)])
        db.session.commit()
    page = staff_client.get(f"/staff/c/{SLUG}/report").get_data(as_text=True)
    row = re.search(rf'<tr data-device="{device_id}">.*?</tr>', page, re.S)
    assert row and "Community centre tablet" in row.group(0)
    assert device_id not in re.sub(r"<[^>]+>", " ", page)
