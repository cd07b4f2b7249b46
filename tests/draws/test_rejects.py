"""Issue 11, acceptance 4: a sealed box the hub cannot open is rejected on receipt; set-aside
storage is bounded in size and per device."""

from __future__ import annotations

import os
import uuid

from sqlalchemy import select

from kiosk.core.db import db
from kiosk.devices.models import SetAside
from kiosk.draws import sealing
from sync import entries as entry_sync
from sync import keys, set_aside


def test_unopenable_boxes_are_rejected_and_set_aside_is_bounded(app, make_draw, kiosk_for,
                                                                monkeypatch) -> None:
    from kiosk.draws import store as draws

    draw_id = make_draw()
    kiosk = kiosk_for(app)
    with kiosk.app_context():
        other, _public = sealing.generate_keypair()
        draws.enter(draws.get(draw_id), "Ann", "ann@example.org", other.public_key(), "kiosk",
                    sync_state="queued")  # sealed to a key that is not the hub's
        [item] = entry_sync.pending()
    with app.app_context():
        receipt = entry_sync.ingest([item], device_id=None)
        assert receipt["items"][0]["status"] == "rejected"
        assert "does not open" in receipt["items"][0]["reason"]
    # set-aside rows keep a hash and at most 4 KB of what was sent, and at most PER_DEVICE a device
    monkeypatch.setattr(set_aside, "PER_DEVICE", 3)
    big = {"record": {"id": "x", "junk": "z" * 100_000}, "hash": "0" * 64}
    with app.app_context():
        kept = set_aside.set_aside_rows([({**big, "n": n}, "bad") for n in range(10)], "dev-1",
                                        "rejected")
        db.session.commit()
        assert kept == 3
        rows = db.session.execute(select(SetAside).filter_by(device_id="dev-1")).scalars().all()
        assert all(len(r.record["excerpt"]) <= set_aside.MAX_EXCERPT and r.record["truncated"]
                   for r in rows)
        assert len(rows) == 3
        # the rejected entry was set aside too, without its sealed box
        [entry_row] = db.session.execute(select(SetAside).filter_by(device_id=None)).scalars()
        assert "does not open" in entry_row.reason and "sealed" not in entry_row.record["excerpt"]


def test_unopenable_boxes_pushed_by_a_device_are_rejected_and_the_entries_page_still_opens(
        app, make_draw, kiosk_for, signed_in) -> None:
    from kiosk.devices import store as devices
    from kiosk.draws import store as draws

    draw_id = make_draw()
    kiosk = kiosk_for(app)
    with kiosk.app_context():
        draw, hub_key = draws.get(draw_id), keys.hub_public_key(kiosk)
        draws.enter(draw, "Good Entrant", "good@example.org", hub_key, "kiosk",
                    sync_state="queued")
        [good] = entry_sync.pending()
        other, _public = sealing.generate_keypair()  # sealed to a key that is not the hub's
        draws.enter(draw, "Wrong Key", "wrongkey@example.org", other.public_key(), "kiosk",
                    sync_state="queued")
        items = entry_sync.pending()
    # and a box of the right shape and length whose contents are random, its hash made to match
    blob = bytes.fromhex(good["record"]["sealed"])
    forged = {**good["record"], "id": str(uuid.uuid4()),
              "sealed": (blob[:6] + os.urandom(len(blob) - 6)).hex()}
    items.append({"record": forged, "hash": draws.entry_content_hash(forged)})
    with app.app_context():
        _device, code = devices.create("Stall tablet", 3600)
        _device, token = devices.enroll(code)
    pushed = app.test_client().post("/api/v1/entries", json={"items": items},
                                    headers={"Authorization": f"Bearer {token}"})
    assert pushed.status_code == 200, pushed.get_data(as_text=True)
    status = {line["id"]: line for line in pushed.get_json()["items"]}
    assert status[good["record"]["id"]]["status"] == "accepted"
    rejected = [line for uid, line in status.items() if uid != good["record"]["id"]]
    assert [line["status"] for line in rejected] == ["rejected", "rejected"]
    assert all("does not open" in line["reason"] for line in rejected)
    # the officer's page opens every stored box: it lists the good entry and does not fail
    page = signed_in("officer").get(f"/staff/draws/{draw_id}/entries")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "good@example.org" in html and "wrongkey@example.org" not in html
    with app.app_context():
        assert draws.count_entries(draws.get(draw_id)) == 1
