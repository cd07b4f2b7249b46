"""Kiosk staff PIN attempts: growing lock-outs after repeated wrong PINs, kept in the database.

The lock is per kiosk, not per browser: whoever stands at the tablet shares it, and clearing cookies
or reloading does not reset it. A right PIN clears it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Flask
from sqlalchemy.exc import IntegrityError

from kiosk.core import auth
from kiosk.core.db import db
from kiosk.core.timeutil import utcnow
from kiosk.tablet.models import PinLock

#: Wrong PINs allowed before lock-outs start.
FREE_TRIES = 3
#: The longest lock-out, in seconds.
MAX_LOCK = 3600
SCOPE = "kiosk-staff"


@dataclass(frozen=True)
class PinResult:
    """The outcome of one PIN attempt: ok, or refused with the seconds to wait (0 = none)."""
    ok: bool
    wait: int = 0
    failures: int = 0


def lock_seconds(failures: int) -> int:
    """Lock-out after this many consecutive failures: none for the first tries, then doubling."""
    if failures < FREE_TRIES:
        return 0
    return min(2 ** (failures - FREE_TRIES + 1), MAX_LOCK)


def wait_seconds(scope: str = SCOPE, now: dt.datetime | None = None) -> int:
    """Seconds until a PIN may be tried again (0 when it may be tried now)."""
    row = db.session.get(PinLock, scope)
    now = now or utcnow()
    if row is None or row.locked_until is None or row.locked_until <= now:
        return 0
    return max(1, int((row.locked_until - now).total_seconds() + 0.999))


def attempt(app: Flask, pin: str, scope: str = SCOPE) -> PinResult:
    """Check a typed PIN unless locked out; a wrong one extends the lock, a right one clears it."""
    try:
        return _attempt(app, pin, scope)
    except IntegrityError:
        # Two wrong PINs at once both found no lock row and both inserted one; the loser tries
        # again and now counts on the winner's row.
        db.session.rollback()
        return _attempt(app, pin, scope)


def _attempt(app: Flask, pin: str, scope: str) -> PinResult:
    now = utcnow()
    wait = wait_seconds(scope, now)
    row = db.session.get(PinLock, scope)
    if wait:
        return PinResult(False, wait, row.failures if row else 0)
    if auth.check_pin(app, pin):
        if row is not None:
            db.session.delete(row)
            db.session.commit()
        return PinResult(True)
    if row is None:
        row = PinLock(scope=scope, failures=0)
        db.session.add(row)
    row.failures += 1
    row.last_failure_at = now
    seconds = lock_seconds(row.failures)
    row.locked_until = now + dt.timedelta(seconds=seconds) if seconds else None
    db.session.commit()
    return PinResult(False, seconds, row.failures)
