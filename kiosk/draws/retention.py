"""Retention: delete personal data once it is no longer needed, and log what went (not who)."""

from __future__ import annotations

import datetime as dt
import logging

from flask import Flask
from sqlalchemy import delete, false, or_, select, update

from kiosk.core import clock
from kiosk.core.db import db, rowcount
from kiosk.core.states import SyncState
from kiosk.core.stored_settings import set_setting
from kiosk.core.timeutil import utcnow
from kiosk.draws import entry_tokens, scrub
from kiosk.draws import inbox as draw_inbox
from kiosk.draws.models import Draw, Entry, InboxEntry
from kiosk.responses import drafts

#: The setting that records when purge last ran (voxbox doctor reports its age).
LAST_PURGE = "last_purge"

log = logging.getLogger("voxbox.retention")


def purge(app: Flask, now: dt.datetime | None = None) -> dict[str, int]:
    """Run every retention rule for this role; returns what each rule removed (counts only)."""
    now = now or utcnow()
    counts = _hub(now, app) if app.config["ROLE"] == "hub" else _kiosk(now, app)
    counts["expired drafts"] = drafts.purge_expired(app.config["DRAFT_MAX_AGE"])
    counts["unspent prize-draw entry tokens"] = entry_tokens.purge_expired()
    set_setting(LAST_PURGE, now.isoformat())  # voxbox doctor reports it
    db.session.commit()
    for rule, n in counts.items():
        if n:
            log.info("purge: %s: %d", rule, n)
    if any(counts.values()):
        scrub.wipe_free_space()
    return counts


def _hub(now: dt.datetime, app: Flask) -> dict[str, int]:
    # a closed draw takes no more entries: its inbox would never fill a batch
    closed = select(Draw.id).where(Draw.closes_at <= now)
    if db.session.execute(select(InboxEntry.id).where(InboxEntry.draw_id.in_(closed))
                          .limit(1)).first():
        draw_inbox.flush()
    ended = select(Draw.id).where(Draw.claim_until < now)
    undrawn = select(Draw.id).where(
        Draw.drawn_at.is_(None),
        Draw.closes_at < now - dt.timedelta(days=app.config["UNDRAWN_DRAW_DAYS"]))
    drawn = select(Draw.id).where(Draw.drawn_at.is_not(None))
    counts = {
        "winners' and reserves' contacts after the claim period": rowcount(db.session.execute(
            update(Entry).where(Entry.draw_id.in_(ended), Entry.sealed.is_not(None))
            .values(sealed=None, contact_hash=None))),
        # a draw made means everyone not picked is done with, whatever happened since
        "contacts not drawn": rowcount(db.session.execute(
            update(Entry).where(Entry.draw_id.in_(drawn), Entry.sealed.is_not(None),
                                or_(Entry.outcome.is_(None),
                                    Entry.outcome.not_in(("winner", "reserve"))))
            .values(sealed=None, contact_hash=None))),
        "entries in draws never made": rowcount(db.session.execute(
            delete(Entry).where(Entry.draw_id.in_(undrawn))))
        + rowcount(db.session.execute(delete(InboxEntry).where(InboxEntry.draw_id.in_(undrawn)))),
    }
    db.session.commit()
    return counts


def _kiosk(now: dt.datetime, app: Flask) -> dict[str, int]:
    # Never by the kiosk's own clock alone (it may be months out): entries the hub holds go by the
    # hub's corrected time; unsent ones only by the hub's own time at the last pull, so a kiosk
    # that never heard from the hub deletes none of them.
    now = min(now, clock.hub_now())
    heard = clock.hub_time_at_last_pull()
    closed = select(Draw.id).where(Draw.closes_at <= now)
    abandoned = select(Draw.id).where(
        Draw.closes_at < heard - dt.timedelta(days=app.config["UNDRAWN_DRAW_DAYS"]) if heard
        else false())
    counts = {
        # the hub holds these now; the hash was kept only to refuse a second entry here
        "synced entries of closed draws": rowcount(db.session.execute(
            delete(Entry).where(Entry.draw_id.in_(closed), Entry.sync_state == SyncState.SYNCED))),
        "unsent or refused entries of long-closed draws": rowcount(db.session.execute(
            delete(Entry).where(Entry.draw_id.in_(abandoned)))),
        "sealed blobs the hub has acknowledged": rowcount(db.session.execute(
            update(Entry).where(Entry.sync_state == SyncState.SYNCED, Entry.sealed.is_not(None))
            .values(sealed=None))),
    }
    db.session.commit()
    return counts


def purge_at_startup(app: Flask) -> None:
    """Run retention when the hub starts, so a restart never skips a deadline."""
    with app.app_context():
        purge(app)
