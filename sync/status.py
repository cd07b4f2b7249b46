"""A kiosk's sync status, cheap to read: what ``voxbox sync status`` and the staff panel show.

It imports no HTTP client and no bundle code, so the status command starts quickly.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import func, select

from kiosk.core.db import db
from kiosk.core.states import SyncState
from kiosk.core.stored_settings import get_setting
from kiosk.draws.models import Entry
from kiosk.responses import queue

#: Settings a kiosk keeps about its hub and its last sync.
HUB_URL, TOKEN, DEVICE_ID, DEVICE_NAME = "hub_url", "sync_token", "device_id", "device_name"
LAST_PULL, LAST_SYNC, LAST_ERROR = "last_pull", "last_sync", "last_sync_error"


def entry_counts() -> dict[str, int]:
    """Prize-draw entries on this kiosk by sync state."""
    return {str(state): int(n) for state, n in db.session.execute(
        select(Entry.sync_state, func.count()).group_by(Entry.sync_state))}


def status(app: Flask) -> dict[str, Any]:
    """Queued / synced / set aside counts, the last sync and the enrollment, for CLI and panel."""
    counts = queue.counts()
    return {
        "enrolled": bool(get_setting(TOKEN)), "hub_url": get_setting(HUB_URL),
        "device_id": get_setting(DEVICE_ID), "device_name": get_setting(DEVICE_NAME),
        "queued": counts[SyncState.QUEUED], "synced": counts[SyncState.SYNCED],
        "conflict": counts[SyncState.CONFLICT], "rejected": counts[SyncState.REJECTED],
        "set_aside": counts[SyncState.CONFLICT] + counts[SyncState.REJECTED],
        "last_sync": get_setting(LAST_SYNC), "last_pull": get_setting(LAST_PULL),
        "last_error": get_setting(LAST_ERROR), "entries": entry_counts(),
    }
