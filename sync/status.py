"""A kiosk's sync status: what ``voxbox sync status`` and the staff panel show.

``summary`` puts it together from counts and settings; ``status`` reads them through the app, and
``read_sqlite`` straight from a kiosk's SQLite file with the standard library (the quick path of
``voxbox sync status``, taken only when the file is at the newest migration). Neither imports an
HTTP client or the bundle code; the ORM is imported inside ``status`` on purpose.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from kiosk.core.revisions import head_revision
from kiosk.core.states import SyncState
from kiosk.responses.queue_sql import ENTRIES_BY_STATE, RESPONSES_BY_STATE

#: Settings a kiosk keeps about its hub and its last sync.
HUB_URL, TOKEN, DEVICE_ID, DEVICE_NAME = "hub_url", "sync_token", "device_id", "device_name"
LAST_PULL, LAST_SYNC, LAST_ERROR = "last_pull", "last_sync", "last_sync_error"


def summary(counts: Mapping[Any, int], entries: Mapping[Any, int],
            setting: Callable[[str], Any]) -> dict[str, Any]:
    """Queued / synced / set aside counts, the last sync and the enrollment."""
    def n(state: SyncState) -> int:
        return int(counts.get(state, 0))

    return {
        "enrolled": bool(setting(TOKEN)), "hub_url": setting(HUB_URL),
        "device_id": setting(DEVICE_ID), "device_name": setting(DEVICE_NAME),
        "queued": n(SyncState.QUEUED), "synced": n(SyncState.SYNCED),
        "conflict": n(SyncState.CONFLICT), "rejected": n(SyncState.REJECTED),
        "set_aside": n(SyncState.CONFLICT) + n(SyncState.REJECTED),
        "last_sync": setting(LAST_SYNC), "last_pull": setting(LAST_PULL),
        "last_error": setting(LAST_ERROR), "entries": {str(k): int(v) for k, v in entries.items()},
    }


def status(app: Flask) -> dict[str, Any]:
    """The status through the app's database session (any database)."""
    from sqlalchemy import text

    from kiosk.core.db import db
    from kiosk.core.stored_settings import get_setting
    from kiosk.responses import queue

    entries = {str(state): int(n) for state, n in db.session.execute(text(ENTRIES_BY_STATE))}
    return summary(queue.counts(), entries, get_setting)


def read_sqlite(path: Path) -> dict[str, Any] | None:
    """The status read from a kiosk's SQLite file, read-only; None when the file is missing or
    not at the newest migration (then the caller builds the app, which upgrades it first)."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return None
    try:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if revision is None or revision[0] != head_revision():
            return None
        settings = {key: value for key, value in conn.execute("SELECT key, value FROM settings")}
        counts = dict(conn.execute(RESPONSES_BY_STATE).fetchall())
        entries = dict(conn.execute(ENTRIES_BY_STATE).fetchall())
    except sqlite3.Error:
        return None
    finally:
        conn.close()

    def setting(key: str) -> Any:
        raw = settings.get(key)
        return None if raw is None else json.loads(raw)

    return summary(counts, entries, setting)
