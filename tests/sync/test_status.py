"""``voxbox sync status`` reads a kiosk's SQLite file directly when it is up to date, and says
exactly what the staff panel (through the app) says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text, update

from kiosk.core.db import db
from kiosk.core.states import SyncState
from kiosk.core.stored_settings import set_setting
from kiosk.demo import content as demo
from kiosk.responses.models import Response
from sync.status import DEVICE_NAME, HUB_URL, LAST_ERROR, TOKEN, read_sqlite, status


def _database(app) -> Path:  # type: ignore[no-untyped-def]
    return Path(app.config["SQLALCHEMY_DATABASE_URI"][len("sqlite:///"):])


def test_the_quick_read_and_the_app_agree(kiosk_app) -> None:  # type: ignore[no-untyped-def]
    with kiosk_app.app_context():
        demo.synthetic_responses(kiosk_app, 12, seed=3)
        ids = list(db.session.execute(db.select(Response.id).order_by(Response.id)).scalars())
        db.session.execute(update(Response).where(Response.id.in_(ids[:5])).values(sync_state=SyncState.SYNCED))
        db.session.execute(update(Response).where(Response.id == ids[5]).values(sync_state=SyncState.REJECTED))
        db.session.commit()
        set_setting(HUB_URL, "https://hub.example")
        set_setting(TOKEN, "secret")
        set_setting(DEVICE_NAME, "Stall tablet")
        set_setting(LAST_ERROR, {"at": "2027-01-01T10:00:00Z", "message": "offline", "code": "sync_failed"})
        through_app = status(kiosk_app)
    quick = read_sqlite(_database(kiosk_app))
    assert quick == through_app
    assert (quick["queued"], quick["synced"], quick["rejected"], quick["set_aside"]) == (6, 5, 1, 1)
    assert quick["enrolled"] and quick["device_name"] == "Stall tablet"
    assert quick["last_error"]["message"] == "offline"


def test_a_file_behind_the_newest_migration_is_left_to_the_app(kiosk_app) -> None:  # type: ignore[no-untyped-def]
    with kiosk_app.app_context():
        db.session.execute(text("UPDATE alembic_version SET version_num = '0001'"))
        db.session.commit()
    assert read_sqlite(_database(kiosk_app)) is None
    assert read_sqlite(_database(kiosk_app).with_name("missing.db")) is None


def test_the_command_gives_the_same_status_without_and_with_the_app(kiosk_app) -> None:  # type: ignore[no-untyped-def]
    with kiosk_app.app_context():
        demo.synthetic_responses(kiosk_app, 4, seed=1)
        expected = status(kiosk_app)
    env = {**os.environ, "VOXBOX_INSTANCE": kiosk_app.instance_path, "VOXBOX_ROLE": "kiosk"}
    run = [sys.executable, "-m", "kiosk.cli", "sync", "status", "--json"]
    quick = subprocess.run(run, env=env, capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(quick.stdout) == json.loads(json.dumps(expected))
    # no database yet: the command builds the app, which makes and migrates it, then answers
    fresh = Path(kiosk_app.instance_path).parent / "fresh"
    slow = subprocess.run(run, env={**env, "VOXBOX_INSTANCE": str(fresh)}, capture_output=True,
                          text=True, timeout=120)
    assert slow.returncode == 0, slow.stderr[-2000:]
    assert json.loads(slow.stdout)["queued"] == 0
    assert read_sqlite(fresh / "voxbox.db") is not None  # made at the newest migration
