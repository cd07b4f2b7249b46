"""The kiosk side: enroll, pull, push and the receipt, against a real hub over loopback HTTP."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import stat
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from sqlalchemy import select, update

from kiosk.consultations import store as consultations
from kiosk.consultations.models import Consultation
from kiosk.core.db import db
from kiosk.devices.models import Device
from kiosk.events.models import Event
from kiosk.responses.models import Response
from kiosk.responses.store import content_hash
from sync import client, keys
from sync.transport import Hub, SyncError
from tests.sync.conftest import hub_hashes, items_of, post_items, queue, states

pytestmark = pytest.mark.parametrize("hub", ["sqlite"], indirect=True)  # PostgreSQL: test_ingest


def test_enroll_stores_the_device_and_the_hub_keeps_only_a_hash(live_hub, make_kiosk) -> None:
    kiosk = make_kiosk(live_hub, "stall-tablet")
    with kiosk.app_context():
        info = client.status(kiosk)
        token = client.get_setting(client.TOKEN)
    assert info["enrolled"] and info["device_name"] == "stall-tablet"
    assert len(token) >= 43  # 32 random bytes, base64url: at least 128 bits of entropy
    with live_hub.app.app_context():
        device = db.session.get(Device, info["device_id"])
        assert device.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert device.code_hash is None
        stored = json.dumps([[str(v) for v in vars(d).values()] for d in
                             db.session.execute(select(Device)).scalars()])
    assert token not in stored


def test_push_marks_rows_only_from_the_receipt(live_hub, make_kiosk) -> None:
    kiosk = make_kiosk(live_hub, SYNC_BATCH_SIZE=7)
    queue(kiosk, 30)
    items = items_of(kiosk)
    # The hub already holds a different body under one UUID, and one row fails its checks.
    other = copy.deepcopy(items[5])
    other["record"]["channel"] = "paper"
    other["hash"] = content_hash(other["record"])
    with kiosk.app_context():
        token = client.get_setting(client.TOKEN)
        db.session.execute(update(Response).where(Response.uuid == items[9]["record"]["uuid"])
                           .values(answers={"not_a_question": "x"}))
        db.session.commit()
    assert post_items(live_hub.url, token, [other]).json()["items"][0]["status"] == "accepted"
    with kiosk.app_context():
        counts = client.push(kiosk)
        conflict = db.session.execute(select(Response).filter_by(uuid=items[5]["record"]["uuid"])).scalar_one()
        rejected = db.session.execute(select(Response).filter_by(uuid=items[9]["record"]["uuid"])).scalar_one()
        assert (conflict.sync_state, rejected.sync_state) == ("conflict", "rejected")
        assert "409" in conflict.sync_note and "hash" in rejected.sync_note
        info = client.status(kiosk)
    assert counts == {"accepted": 28, "duplicate": 0, "conflict": 1, "rejected": 1, "unanswered": 0}
    assert states(kiosk) == {"queued": 0, "synced": 28, "conflict": 1, "rejected": 1}
    assert info["set_aside"] == 2 and info["last_sync"]["accepted"] == 28
    # Nothing is deleted on the kiosk and a second push has nothing to send.
    assert len(items_of(kiosk, None)) == 30
    with kiosk.app_context():
        assert client.push(kiosk)["accepted"] == 0
    assert hub_hashes(live_hub.app)[items[5]["record"]["uuid"]] == other["hash"]


def test_pull_brings_open_consultations_events_and_the_hub_key_then_304(live_hub, make_kiosk) -> None:
    kiosk = make_kiosk(live_hub)
    queue(kiosk, 12)
    before = items_of(kiosk)
    with live_hub.app.app_context():
        db.session.add(Event(id="ev-1", name={"en": "PACT meeting"}, place="Library",
                             starts_at=__import__("datetime").datetime(2099, 1, 1, 18),
                             consultations=[]))
        db.session.commit()
        hub_slugs = {c.slug for c in consultations.open_consultations()}
        hub_key = keys.encode_public(keys.hub_public_key(live_hub.app))
    with kiosk.app_context():
        db.session.add(Consultation(slug="kiosk-only", status="open", title={"en": "x"}, version=1))
        db.session.commit()
        first = client.pull(kiosk)
        second = client.pull(kiosk)
        assert keys.encode_public(keys.hub_public_key(kiosk)) == hub_key
        assert db.session.get(Event, "ev-1").source == "hub"
        assert {c.slug for c in consultations.open_consultations()} == hub_slugs
        assert consultations.get("kiosk-only").status == "closed"
    assert first["changed"] and first["consultations"] == len(hub_slugs)
    assert second == {"changed": False}
    assert items_of(kiosk) == before  # queued responses untouched
    # A change on the hub makes the next pull a full one again.
    with live_hub.app.app_context():
        db.session.get(Event, "ev-1").place = "Town hall"
        db.session.commit()
    with kiosk.app_context():
        assert client.pull(kiosk)["changed"]
        assert db.session.get(Event, "ev-1").place == "Town hall"


def test_the_hub_private_key_is_kept_private(live_hub) -> None:
    with live_hub.app.app_context():
        keys.hub_private_key(live_hub.app)
    path = os.path.join(live_hub.app.instance_path, keys.KEY_FILE)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_an_unchanged_pull_is_a_304_with_no_body(live_hub, make_kiosk) -> None:
    kiosk = make_kiosk(live_hub)
    with kiosk.app_context():
        token = client.get_setting(client.TOKEN)
    auth = {"Authorization": f"Bearer {token}"}
    full = requests.get(f"{live_hub.url}/api/v1/pull", headers=auth, timeout=10)
    again = requests.get(f"{live_hub.url}/api/v1/pull", timeout=10,
                         headers={**auth, "If-None-Match": full.headers["ETag"]})
    assert (full.status_code, again.status_code, again.content) == (200, 304, b"")


def test_a_revoked_device_is_refused_at_once_without_retries(live_hub, make_kiosk) -> None:
    kiosk = make_kiosk(live_hub, SYNC_RETRIES=8, SYNC_BACKOFF_MAX=5)
    queue(kiosk, 3)
    with kiosk.app_context():
        device_id = client.get_setting(client.DEVICE_ID)
    result = live_hub.app.test_cli_runner().invoke(args=["devices", "revoke", device_id])
    assert result.exit_code == 0, result.output
    started = time.monotonic()
    with kiosk.app_context(), pytest.raises(SyncError) as caught:
        client.push(kiosk)
    assert time.monotonic() - started < 2
    assert (caught.value.status, caught.value.code) == (401, "revoked_token")
    assert states(kiosk)["queued"] == 3
    with kiosk.app_context():
        assert client.status(kiosk)["last_error"]["code"] == "revoked_token"


class Flaky(BaseHTTPRequestHandler):
    """Answers 503 to the first N requests, then 400 or forwards to the real hub."""
    plan: list[int] = []
    seen: list[str] = []
    target = ""

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append(self.path)
        code = self.plan.pop(0) if self.plan else 0
        if code:
            out = json.dumps({"error": {"code": f"e{code}", "message": "planned"}}).encode()
        else:
            hub = requests.post(self.target + self.path, data=body, timeout=30,
                                headers={k: v for k, v in self.headers.items()
                                         if k.lower() != "host"})
            code, out = hub.status_code, hub.content
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def flaky(live_hub):  # type: ignore[no-untyped-def]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Flaky)
    Flaky.plan, Flaky.seen, Flaky.target = [], [], live_hub.url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_5xx_is_retried_with_backoff_and_4xx_is_not(live_hub, make_kiosk, flaky) -> None:
    kiosk = make_kiosk(live_hub)
    queue(kiosk, 4)
    with kiosk.app_context():
        token = client.get_setting(client.TOKEN)
    notes: list[str] = []
    hub = Hub(flaky, token, retries=4, backoff_max=0.1, on_retry=notes.append)
    Flaky.plan = [503, 502]
    with kiosk.app_context():
        assert client.push(kiosk, hub)["accepted"] == 4
    assert len(Flaky.seen) == 3 and len(notes) == 2 and "503" in notes[0]
    queue(kiosk, 2, seed=9)
    Flaky.plan, Flaky.seen = [400], []
    with kiosk.app_context(), pytest.raises(SyncError) as caught:
        client.push(kiosk, hub)
    assert (caught.value.status, caught.value.code, len(Flaky.seen)) == (400, "e400", 1)
    Flaky.plan, Flaky.seen = [503] * 10, []
    with kiosk.app_context(), pytest.raises(SyncError, match="gave up after 5 attempts"):
        client.push(kiosk, hub)
    assert states(kiosk)["queued"] == 2

