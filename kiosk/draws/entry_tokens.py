"""One prize-draw entry per committed response: a one-time token, spent atomically with the entry.

The thank-you page's session cookie carries the token; the database keeps only its SHA-256, the
draw it opens and the day it was issued (no time, no response id). Spending is one conditional
DELETE in the entry's own transaction, so a replayed cookie, a second tab or two racing posts
enter at most once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete

from kiosk.core.db import db, rowcount
from kiosk.core.timeutil import utcnow
from kiosk.draws.models import EntryToken

#: Days an unspent token stays valid (the offer is made on the thank-you page, minutes before).
TOKEN_DAYS = 1


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(draw_ids: list[str]) -> dict[str, str]:
    """A fresh token for each draw, stored hashed and committed: {draw id: token}."""
    tokens = {draw_id: secrets.token_urlsafe(24) for draw_id in draw_ids}
    today = utcnow().date()
    for draw_id, token in tokens.items():
        db.session.add(EntryToken(token_hash=_digest(token), draw_id=draw_id, issued_on=today))
    db.session.commit()
    return tokens


def spend(token: str, draw_id: str) -> bool:
    """Delete the token for this draw in the current transaction; False if it is not there."""
    if not isinstance(token, str) or not token:
        return False
    return rowcount(db.session.execute(delete(EntryToken).where(
        EntryToken.token_hash == _digest(token), EntryToken.draw_id == draw_id,
        EntryToken.issued_on >= utcnow().date() - dt.timedelta(days=TOKEN_DAYS),
    ).execution_options(synchronize_session=False))) == 1


def purge_expired() -> int:
    """Delete tokens too old to spend (no commit); returns how many."""
    return rowcount(db.session.execute(delete(EntryToken).where(
        EntryToken.issued_on < utcnow().date() - dt.timedelta(days=TOKEN_DAYS))))
