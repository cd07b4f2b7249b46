"""The kiosk's heartbeat: a small JSON header on every pull and push telling the hub how it is.

It is information only. A kiosk sends ``X-Voxbox-Heartbeat`` on each call; an older hub ignores an
unknown header, and the hub takes a call without one (an older kiosk) as it always did. A heartbeat
the hub cannot read is logged and dropped: it never fails a sync, and it never changes what is
acknowledged or when.
"""

from __future__ import annotations

import glob
import json
import logging
import shutil
from typing import Any

from flask import Flask

from kiosk.core.db import db
from kiosk.core.stored_settings import get_setting
from kiosk.core.timeutil import iso
from kiosk.devices import store as devices
from kiosk.responses import queue

HEADER = "X-Voxbox-Heartbeat"
#: The longest heartbeat header the hub reads; anything longer is dropped unread.
MAX_BYTES = 1024
ERROR_CHARS = 200
#: Known fields and what each may hold; other fields (from a newer kiosk) are left out.
FIELDS: dict[str, tuple[type | tuple[type, ...], int]] = {
    "queued": (int, 10**9), "oldest_queued": (str, 40), "last_error": (str, ERROR_CHARS),
    "app_version": (str, 64), "free_mb": ((int, float), 10**12), "battery": (int, 100),
}
POWER_SUPPLY = "/sys/class/power_supply/*/capacity"
log = logging.getLogger(__name__)


class BadHeartbeat(ValueError):
    """A heartbeat header the hub will not store."""


# --- kiosk side -----------------------------------------------------------------------------------


def collect(app: Flask) -> dict[str, Any]:
    """This kiosk's heartbeat now: queue depth and age, last sync error, version, disk, battery."""
    queued, oldest = queue.queued(), queue.oldest_queued()
    error = get_setting("last_sync_error")
    db.session.rollback()  # hold no read transaction while waiting on the network
    beat: dict[str, Any] = {
        "queued": int(queued), "oldest_queued": iso(oldest) if oldest else None,
        "last_error": str(error.get("message", ""))[:ERROR_CHARS] if error else None,
        "app_version": app_version(),
    }
    try:
        beat["free_mb"] = shutil.disk_usage(app.instance_path).free // 1048576
    except OSError:
        pass
    level = battery()
    if level is not None:
        beat["battery"] = level
    return beat


def header(app: Flask) -> dict[str, str]:
    """The heartbeat as request headers; empty if it cannot be made (the sync goes on without)."""
    try:
        text = json.dumps(collect(app), separators=(",", ":"), ensure_ascii=True)
    except Exception:  # information only: nothing here may stop a sync
        log.warning("heartbeat not sent", exc_info=True)
        return {}
    return {HEADER: text} if len(text) <= MAX_BYTES else {}


def app_version() -> str:
    """The installed voxbox release, or "source" when run from a source tree."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("voxbox")
    except PackageNotFoundError:
        return "source"


def battery(pattern: str = POWER_SUPPLY) -> int | None:
    """Battery charge in percent from the first power supply that reports one, else None."""
    for path in sorted(glob.glob(pattern)):
        try:
            with open(path, encoding="ascii") as fh:
                level = int(fh.read().strip())
        except (OSError, ValueError):
            continue
        if 0 <= level <= 100:
            return level
    return None


# --- hub side -------------------------------------------------------------------------------------


def parse(raw: str | None) -> dict[str, Any] | None:
    """The known fields of a heartbeat header; None when there is none; BadHeartbeat if unreadable."""
    if raw is None:
        return None
    if len(raw) > MAX_BYTES:
        raise BadHeartbeat(f"{len(raw)} characters, more than {MAX_BYTES}")
    try:
        data = json.loads(raw)
    except ValueError:
        raise BadHeartbeat("not JSON") from None
    if not isinstance(data, dict):
        raise BadHeartbeat("not a JSON object")
    beat: dict[str, Any] = {}
    for key, (kind, limit) in FIELDS.items():
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, kind):
            raise BadHeartbeat(f"{key} has the wrong type")
        if (len(value) > limit if isinstance(value, str)
                else isinstance(value, int | float) and (abs(value) > limit or value < 0)):
            raise BadHeartbeat(f"{key} is out of range")
        beat[key] = value
    return beat


def receive(device_id: str, raw: str | None, settled: int = 0) -> None:
    """Store a device's heartbeat from a call's header; an unreadable one is logged and dropped.

    ``settled`` is how many queued responses this call's receipt settles: the kiosk counted them
    as queued when it sent the heartbeat, and they leave its queue as it applies the receipt.
    """

    try:
        beat = parse(raw)
    except BadHeartbeat as exc:
        log.warning("heartbeat from device %s ignored: %s", device_id, exc)
        return
    if beat is None:
        return
    if settled and "queued" in beat:
        beat["queued"] = max(0, beat["queued"] - settled)
        if beat["queued"] == 0:
            beat["oldest_queued"] = None
    devices.record_heartbeat(device_id, beat)
