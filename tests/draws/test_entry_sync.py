"""Entries on the wire: each entry id stored once; resends, conflicts and bad items answered."""

from __future__ import annotations

import copy

from sqlalchemy import func, select

from kiosk.core.db import db
from kiosk.draws import store as draws
from kiosk.draws.models import Entry
from sync import entries as entry_sync
from sync import keys
from tests.draws.conftest import close


def kiosk_items(app, kiosk, draw_id: str, n: int) -> list[dict]:  # type: ignore[no-untyped-def]
    with kiosk.app_context():
        key = keys.hub_public_key(kiosk)
        for i in range(n):
            draws.enter(draws.get(draw_id), f"P{i}", f"p{i}@example.org", key, "kiosk",
                        sync_state="queued")
        return entry_sync.pending()


def count(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(Entry)).scalar_one()


def test_replays_are_duplicates_and_a_changed_body_is_a_conflict(app, make_draw, kiosk_for) -> None:
    draw_id = make_draw()
    kiosk = kiosk_for(app)
    items = kiosk_items(app, kiosk, draw_id, 20)
    with app.app_context():
        first = entry_sync.ingest(items)
        for _ in range(3):
            again = entry_sync.ingest(items + items[:5])
        changed = copy.deepcopy(items[0])
        changed["record"]["entered_on"] = "2020-01-01"
        changed["hash"] = draws.entry_content_hash(changed["record"])
        conflict = entry_sync.ingest([changed])
        stored = db.session.get(Entry, items[0]["record"]["id"])
        assert stored.entered_on.isoformat() == items[0]["record"]["entered_on"]
    assert first["counts"] == {"accepted": 20, "duplicate": 0, "conflict": 0, "rejected": 0}
    assert again["counts"] == {"accepted": 0, "duplicate": 25, "conflict": 0, "rejected": 0}
    assert conflict["counts"]["conflict"] == 1
    assert count(app) == 20


def test_bad_items_are_rejected_with_reasons_and_stored_nowhere(app, make_draw, kiosk_for) -> None:
    draw_id = make_draw()
    kiosk = kiosk_for(app)
    [good, other] = kiosk_items(app, kiosk, draw_id, 2)
    bad_hash = copy.deepcopy(good)
    bad_hash["hash"] = "0" * 64
    not_sealed = copy.deepcopy(other)
    not_sealed["record"]["sealed"] = b"bob@example.org".hex()
    not_sealed["hash"] = draws.entry_content_hash(not_sealed["record"])
    with app.app_context():
        receipt = entry_sync.ingest([bad_hash, not_sealed, "junk", {"record": {"id": 5}}])
    reasons = [(i["status"], i.get("reason", "")) for i in receipt["items"]]
    assert [s for s, _ in reasons] == ["rejected"] * 4
    assert "hash does not match" in reasons[0][1] and "sealed box" in reasons[1][1]
    assert count(app) == 0
    close(app, draw_id)
    with app.app_context():
        from kiosk.draws import runs as draw_runs

        draw_runs.run(draws.get(draw_id), "seed", "test")
        late = entry_sync.ingest([good])
    assert late["items"][0]["reason"] == "the draw has already been made"


def test_the_kiosk_keeps_blobs_until_a_receipt_and_only_for_items_it_sent(
        app, make_draw, kiosk_for) -> None:
    draw_id = make_draw()
    kiosk = kiosk_for(app)
    items = kiosk_items(app, kiosk, draw_id, 4)
    with app.app_context():
        receipt = entry_sync.ingest(items[:2])
    with kiosk.app_context():
        ids = {i["record"]["id"] for i in items[:3]}
        forged = receipt["items"] + [{"id": items[3]["record"]["id"], "status": "accepted"}]
        counts = entry_sync.apply_receipt(forged, ids)
        assert counts["accepted"] == 2 and counts["unanswered"] == 1
        rows = {e.id: e for e in db.session.execute(select(Entry)).scalars()}
        for i, it in enumerate(items):
            e = rows[it["record"]["id"]]
            assert (e.sealed is None) == (i < 2), i
            assert e.sync_state == ("synced" if i < 2 else "queued")
