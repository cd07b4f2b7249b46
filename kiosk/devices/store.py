"""Enrolled kiosks on the hub: one-time enrollment codes, hashed tokens, revocation.

A device token is 256 random bits; the hub keeps only its SHA-256. Enrollment codes are short,
human-typable, single use and expire; they too are stored only hashed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from kiosk.core.db import db, rowcount
from kiosk.core.timeutil import utcnow
from kiosk.devices.models import Device

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud or typed on a tablet
CODE_LENGTH = 12  # 60 bits, and a code lives hours, not years
log = logging.getLogger(__name__)


def hash_secret(secret: str) -> str:
    """SHA-256 hex of a token or normalised enrollment code."""
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_code(code: str) -> str:
    """An enrollment code as typed (any case, dashes, spaces) in its stored form."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def format_code(code: str) -> str:
    """A code grouped in fours for reading aloud: ABCD-EFGH-JKLM."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def new_code() -> str:
    """A fresh random enrollment code (normalised form)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def create(name: str, ttl_seconds: int) -> tuple[Device, str]:
    """Create a device and return it with its one-time enrollment code (shown once)."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ValueError("a device name needs 1 to 100 characters")
    if db.session.execute(select(Device).filter_by(name=name)).scalar_one_or_none():
        raise ValueError(f"a device named {name!r} already exists")
    code = new_code()
    device = Device(id=str(uuid.uuid4()), name=name, code_hash=hash_secret(code),
                    code_expires_at=utcnow() + dt.timedelta(seconds=ttl_seconds))
    db.session.add(device)
    db.session.commit()
    return device, format_code(code)


def enroll(code: str) -> tuple[Device, str] | None:
    """Spend an enrollment code: the device and its new token, or None if the code is not valid."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    # One conditional UPDATE spends the code, so two kiosks racing with it cannot both win.
    result = db.session.execute(
        update(Device)
        .where(Device.code_hash == hash_secret(normalise_code(code)), Device.code_expires_at > now,
               Device.revoked_at.is_(None), Device.token_hash.is_(None))
        .values(code_hash=None, code_expires_at=None, token_hash=hash_secret(token),
                enrolled_at=now)
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
        db.session.rollback()
        return None
    db.session.commit()
    device = db.session.execute(
        select(Device).filter_by(token_hash=hash_secret(token))
    ).scalar_one()
    return device, token


def by_token(token: str) -> Device | None:
    """The device holding this token (revoked or not), or None."""
    if not token:
        return None
    return db.session.execute(
        select(Device).filter_by(token_hash=hash_secret(token))
    ).scalar_one_or_none()


def get(key: str) -> Device | None:
    """A device by id or name."""
    found = db.session.get(Device, key)
    return found or db.session.execute(select(Device).filter_by(name=key)).scalar_one_or_none()


def revoke(key: str) -> Device:
    """Revoke a device by id or name; its token is refused from its next call."""
    device = get(key)
    if device is None:
        raise ValueError(f"no device {key!r}")
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        device.code_hash = None
        db.session.commit()
    return device


def all_devices() -> list[Device]:
    """Every device, newest first."""
    return list(db.session.execute(select(Device).order_by(Device.created_at.desc(),
                                                          Device.name)).scalars())


def names(ids: Iterable[str | None]) -> dict[str, str]:
    """{device id: name} for the known devices among ids (web and paper responses have none)."""
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return dict(db.session.execute(select(Device.id, Device.name).where(Device.id.in_(wanted))).all())


def record_heartbeat(device_id: str, beat: dict[str, Any]) -> None:
    """Keep a device's latest heartbeat; a database failure here is logged, never raised."""
    try:
        db.session.execute(update(Device).where(Device.id == device_id)
                           .values(heartbeat=beat, heartbeat_at=utcnow())
                           .execution_options(synchronize_session=False))
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.warning("heartbeat from device %s not stored", device_id, exc_info=True)


def staleness(device: Device, stale_hours: float,
              now: dt.datetime | None = None) -> tuple[dt.timedelta, int] | None:
    """(time since its last sync, responses waiting) for a kiosk that has responses queued and
    has not synced for longer than stale_hours; None for any other device."""
    beat = device.heartbeat if isinstance(device.heartbeat, dict) else {}
    waiting = beat.get("queued") or 0
    since = device.last_sync_at or device.enrolled_at
    if device.state != "enrolled" or not waiting or since is None:
        return None
    quiet = (now or utcnow()) - since
    return (quiet, waiting) if quiet > dt.timedelta(hours=stale_hours) else None

