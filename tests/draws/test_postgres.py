"""The hub's entry ingest, de-duplication, draw and purge on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kiosk import draw_inbox, draw_runs, draws, retention
from kiosk.db import db
from kiosk.draws import Entry
from sync import entries as entry_sync
from sync import keys
from tests.conftest import load_demo
from tests.sync.conftest import pg_schema  # noqa: F401  (fixture)

from .conftest import close, pull_into


@pytest.mark.postgres
def test_entries_dedupe_draw_and_purge_on_postgresql(make_app, pg_schema) -> None:  # noqa: F811
    hub = make_app("hub", DATABASE_URL=pg_schema)
    kiosk = make_app("kiosk")
    with hub.app_context():
        load_demo()
        draw = draws.define({"prize": "Voucher", "rules": "Rules", "winners": 2, "reserves": 1,
                             "consultations": ["policing-priorities"], "claim_days": 1,
                             "closes_at": "2099-01-01T00:00"})
        draw_id = draw.id
        key = keys.hub_public_key(hub)
        for i in range(30):
            draws.enter(draw, "Web", f"w{i}@example.org", key, "web",
                        secret=keys.dedupe_key(hub), batch=7)
        draw_inbox.flush()
    with kiosk.app_context():
        load_demo()
    pull_into(hub, kiosk)
    with kiosk.app_context():
        kdraw, kkey = draws.get(draw_id), keys.hub_public_key(kiosk)
        for i in range(25, 40):  # five of these people already entered on the web
            draws.enter(kdraw, "Kiosk", f"W{i}@Example.org ", kkey, "kiosk", sync_state="queued")
        items = entry_sync.pending()
    with hub.app_context():
        assert db.engine.dialect.name == "postgresql"
        receipt = entry_sync.ingest(items + items)
        assert receipt["counts"] == {"accepted": 10, "duplicate": 20, "conflict": 0, "rejected": 0}
        assert db.session.execute(select(func.count()).select_from(Entry)).scalar_one() == 40
    close(hub, draw_id)
    with hub.app_context():
        run = draw_runs.run(draws.get(draw_id), "seed", "test")
        assert len(run.verification["entries"]) == 40
        left = db.session.execute(select(func.count()).select_from(Entry).where(
            Entry.sealed.is_not(None))).scalar_one()
        assert left == 3
        retention.purge(hub)
        db.session.remove()
        db.engine.dispose()
