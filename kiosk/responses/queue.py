"""A kiosk's queue of responses: how many wait, how many the hub has, when the last one went.

The one place that counts responses by sync state, for the staff panel, ``voxbox sync status``,
``voxbox sync push`` and the heartbeat a kiosk sends.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, text

from kiosk.core.db import db
from kiosk.core.states import SyncState
from kiosk.responses.models import Response
from kiosk.responses.queue_sql import RESPONSES_BY_STATE


def counts() -> dict[SyncState, int]:
    """Responses by sync state; every state is present (0 when none)."""
    found = {state: n for state, n in db.session.execute(text(RESPONSES_BY_STATE))}
    return {state: int(found.get(state, 0)) for state in SyncState}


def queued() -> int:
    """How many responses wait for the hub."""
    return int(db.session.execute(
        select(func.count()).select_from(Response).filter_by(sync_state=SyncState.QUEUED)).scalar_one())


def oldest_queued() -> dt.datetime | None:
    """When the longest-waiting response was submitted (None: nothing waits)."""
    return db.session.execute(select(func.min(Response.submitted_at))
                              .where(Response.sync_state == SyncState.QUEUED)).scalar_one()


def last_synced() -> dt.datetime | None:
    """When the hub last acknowledged a response (None: never)."""
    return db.session.execute(select(func.max(Response.synced_at))).scalar_one()
