"""Items the hub did not store, kept for an admin to look at: bounded in size and per device.

A rejected item keeps its reason, the SHA-256 of what was sent and an excerpt of at most
``MAX_EXCERPT`` characters (never more, whatever was sent); a conflict keeps its record, which passed
every check. Each device may have at most ``PER_DEVICE`` items set aside: past that the hub still
answers every item on the receipt but stores no more of that device's rejects.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import func, select

from kiosk.core.db import db, dialect_insert
from kiosk.core.timeutil import utcnow
from kiosk.devices.models import SetAside

MAX_EXCERPT = 4096
PER_DEVICE = 1000


def row(uid: str | None, raw: Any, kind: str, reason: str, device_id: str | None,
        now: Any) -> dict[str, Any]:
    """One set-aside row: a conflict keeps its item, a reject a hash and a short excerpt."""
    text = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)
    digest = hashlib.sha256(text.encode()).hexdigest()
    record = raw if kind == "conflict" and isinstance(raw, dict) else {
        "excerpt": text[:MAX_EXCERPT], "truncated": len(text) > MAX_EXCERPT}
    return {"uuid": (uid or "")[:64], "content_hash": digest, "kind": kind,
            "reason": str(reason)[:1000], "record": record, "device_id": device_id,
            "received_at": now}


def store(rows: list[dict[str, Any]], device_id: str | None) -> int:
    """Insert rows (no commit) up to the device's cap, once per (uuid, hash, kind); how many kept."""
    if not rows:
        return 0
    held = db.session.execute(select(func.count()).select_from(SetAside)
                              .where(SetAside.device_id.is_(device_id) if device_id is None
                                     else SetAside.device_id == device_id)).scalar_one()
    rows = rows[:max(0, PER_DEVICE - held)]
    if rows:
        stmt = dialect_insert(SetAside.__table__).on_conflict_do_nothing(
            index_elements=["uuid", "content_hash", "kind"])
        db.session.execute(stmt, rows)
    return len(rows)


def set_aside_rows(items: list[tuple[Any, str]], device_id: str | None, kind: str) -> int:
    """Set aside (raw item, reason) pairs of one kind for a device (no commit)."""
    now = utcnow()
    rows = []
    for raw, reason in items:
        uid = raw.get("record", {}).get("id") if isinstance(raw, dict) and isinstance(
            raw.get("record"), dict) else None
        rows.append(row(uid if isinstance(uid, str) else None, raw, kind, reason, device_id, now))
    return store(rows, device_id)
