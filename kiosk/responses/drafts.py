"""A kiosk resident's in-progress answers, kept server-side so a reset can delete them."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from sqlalchemy import delete, func, select

from kiosk.core.clock import boot_seconds
from kiosk.core.db import db, rowcount
from kiosk.core.timeutil import utcnow
from kiosk.responses.models import Draft

#: Live drafts kept at once. A tablet has one resident at a time and a hub a few staff entering
#: answers; a replayed cookie that starts draft after draft only pushes out its own oldest.
MAX_LIVE = 50


def start(slug: str, version: int, language: str, tracking_code: str | None = None) -> Draft:
    """Begin a draft with a fresh unguessable token (the oldest go beyond MAX_LIVE)."""
    _make_room(MAX_LIVE - 1)
    draft = Draft(token=secrets.token_urlsafe(32), consultation_slug=slug, version=version,
                  answers={}, language=language, tracking_code=tracking_code,
                  touched_boot=boot_seconds())
    db.session.add(draft)
    db.session.commit()
    return draft


def get(token: str | None, max_age: int) -> Draft | None:
    """The live draft for a token, or None if missing or expired."""
    if not token:
        return None
    draft = db.session.get(Draft, token)
    if draft and idle_seconds(draft) > max_age:
        discard(token)
        return None
    return draft


def idle_seconds(draft: Draft) -> float:
    """How long a draft has been left, by the boot clock (a wall-clock jump changes nothing);
    by the wall clock only for a draft from before a reboot, or written by an older release."""
    now = boot_seconds()
    if draft.touched_boot is not None and draft.touched_boot <= now:
        return now - draft.touched_boot
    return (utcnow() - draft.updated_at).total_seconds()


def save(draft: Draft, answers: dict[str, Any], language: str | None = None) -> None:
    """Replace a draft's answers (a new dict, so the JSON column sees the change)."""
    draft.answers = dict(answers)
    if language:
        draft.language = language
    draft.updated_at = utcnow()
    draft.touched_boot = boot_seconds()
    db.session.commit()


def discard(token: str | None) -> None:
    """Delete a draft and everything the resident typed into it."""
    if token:
        db.session.execute(delete(Draft).where(Draft.token == token))
        db.session.commit()


def purge_expired(max_age: int) -> int:
    """Delete drafts idle for longer than max_age seconds; returns how many."""
    now = boot_seconds()
    cutoff = utcnow() - dt.timedelta(seconds=max_age)
    fresh_boot = (Draft.touched_boot.is_not(None)) & (Draft.touched_boot <= now)
    result = db.session.execute(delete(Draft).where(
        (fresh_boot & (Draft.touched_boot < now - max_age))
        | (~fresh_boot & (Draft.updated_at < cutoff))))
    db.session.commit()
    return rowcount(result) or 0


def _make_room(keep: int) -> None:
    """Delete the least recently used drafts so that at most keep remain."""
    # Only kiosk drafts count: a phone's saved answers (keyed by a 64-hex link hash) are never
    # pushed out by someone starting a kiosk draft on the same instance.
    kiosk_drafts = select(Draft.token).where(func.length(Draft.token) != LINK_KEY_LENGTH)
    stale = kiosk_drafts.order_by(Draft.updated_at.desc()).offset(keep)
    tokens = list(db.session.execute(stale).scalars())
    if tokens:
        db.session.execute(delete(Draft).where(Draft.token.in_(tokens)))
        db.session.commit()


# --- save and come back later (phones) -------------------------------------------------------
# The link's token is shown to the resident once; the table keeps only its SHA-256, so the
# database alone cannot rebuild a link. Only answers are kept: never a name or contact.


#: Length of a stored resume-link key (SHA-256 hex); kiosk draft tokens are 43 characters.
LINK_KEY_LENGTH = 64


def link_key(token: str) -> str:
    """The stored key of a resume link's token."""
    return hashlib.sha256(token.encode()).hexdigest()


def save_for_later(slug: str, version: int, language: str, answers: dict[str, Any],
                   tracking_code: str | None, token: str | None, max_age: int) -> str:
    """Keep a phone's answers under a resume link; returns the link's token (new or the same)."""
    purge_expired(max_age)
    draft = get(link_key(token), max_age) if token else None
    if draft is None or draft.consultation_slug != slug:
        token = secrets.token_urlsafe(32)
        draft = Draft(token=link_key(token), consultation_slug=slug, version=version, answers={},
                      language=language, tracking_code=tracking_code)
        db.session.add(draft)
    save(draft, answers, language)
    return str(token)


def resume(token: str, slug: str, max_age: int) -> Draft | None:
    """The saved answers behind a resume link, or None if unknown, expired or for another page."""
    draft = get(link_key(token), max_age)
    return draft if draft is not None and draft.consultation_slug == slug else None
