"""Issue 11, acceptance 4: a sealed box the hub cannot open is rejected on receipt; set-aside
storage is bounded in size and per device."""

from __future__ import annotations

from sqlalchemy import select

from kiosk import sealing
from kiosk.db import db
from kiosk.devices import SetAside
from sync import entries as entry_sync
from sync import set_aside


def test_unopenable_boxes_are_rejected_and_set_aside_is_bounded(app, make_draw, kiosk_for,
                                                                monkeypatch) -> None:
    from kiosk import draws

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
