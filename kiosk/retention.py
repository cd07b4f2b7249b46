"""Retention: delete personal data once it is no longer needed, and log what went (not who)."""

from __future__ import annotations

import datetime as dt
import logging

from flask import Flask
from sqlalchemy import delete, or_, select, text, update
from sqlalchemy.exc import OperationalError

from . import drafts, draw_inbox, entry_tokens
from .db import db
from .draw_inbox import InboxEntry
from .draws import Draw, Entry
from .timeutil import utcnow

log = logging.getLogger("voxbox.retention")


def purge(app: Flask, now: dt.datetime | None = None) -> dict[str, int]:
    """Run every retention rule for this role; returns what each rule removed (counts only)."""
    now = now or utcnow()
    counts = _hub(now, app) if app.config["ROLE"] == "hub" else _kiosk(now, app)
    counts["expired drafts"] = drafts.purge_expired(app.config["DRAFT_MAX_AGE"])
    counts["unspent prize-draw entry tokens"] = entry_tokens.purge_expired()
    db.session.commit()
    for rule, n in counts.items():
        if n:
            log.info("purge: %s: %d", rule, n)
    if any(counts.values()):
        wipe_free_space()
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
        "winners' and reserves' contacts after the claim period": db.session.execute(
            update(Entry).where(Entry.draw_id.in_(ended), Entry.sealed.is_not(None))
            .values(sealed=None, contact_hash=None)).rowcount,
        # a draw made means everyone not picked is done with, whatever happened since
        "contacts not drawn": db.session.execute(
            update(Entry).where(Entry.draw_id.in_(drawn), Entry.sealed.is_not(None),
                                or_(Entry.outcome.is_(None),
                                    Entry.outcome.not_in(("winner", "reserve"))))
            .values(sealed=None, contact_hash=None)).rowcount,
        "entries in draws never made": db.session.execute(
            delete(Entry).where(Entry.draw_id.in_(undrawn))).rowcount
        + db.session.execute(delete(InboxEntry).where(InboxEntry.draw_id.in_(undrawn))).rowcount,
    }
    db.session.commit()
    return counts


def _kiosk(now: dt.datetime, app: Flask) -> dict[str, int]:
    closed = select(Draw.id).where(Draw.closes_at <= now)
    abandoned = select(Draw.id).where(
        Draw.closes_at < now - dt.timedelta(days=app.config["UNDRAWN_DRAW_DAYS"]))
    counts = {
        # the hub holds these now; the hash was kept only to refuse a second entry here
        "synced entries of closed draws": db.session.execute(
            delete(Entry).where(Entry.draw_id.in_(closed), Entry.sync_state == "synced")).rowcount,
        "unsent or refused entries of long-closed draws": db.session.execute(
            delete(Entry).where(Entry.draw_id.in_(abandoned))).rowcount,
        "sealed blobs the hub has acknowledged": db.session.execute(
            update(Entry).where(Entry.sync_state == "synced", Entry.sealed.is_not(None))
            .values(sealed=None)).rowcount,
    }
    db.session.commit()
    return counts


def scrub_order(rewrite: tuple[str, ...] = ()) -> None:
    """Leave no log of the order of recent writes (called after every prize-draw entry write).

    SQLite's write-ahead log holds pages in commit order, so an entry's page would sit right
    after its resident's response: checkpoint it into the database and truncate it to nothing.
    On PostgreSQL the tables named in ``rewrite`` (the inbox and tokens, whose dead rows carry
    ordered transaction ids) are rewritten; a table busy for more than 2 s is left for the next
    scrub.
    """
    engine = db.engine
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if engine.dialect.name == "sqlite":
            busy, _log, _done = conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).one()
            if busy:
                log.warning("the write-ahead log is in use; it will be truncated later")
        elif engine.dialect.name == "postgresql" and rewrite:
            conn.execute(text("SET lock_timeout = '2s'"))
            for table in rewrite:
                try:
                    conn.execute(text(f"VACUUM FULL {table}"))
                except OperationalError:
                    log.warning("%s is busy; it will be rewritten at the next scrub", table)


def wipe_free_space() -> None:
    """Make deleted bytes unrecoverable from the database files, not just unreachable.

    SQLite connections run with ``secure_delete``, but a b-tree rebalance can leave old cell
    bytes in a page's unused area, and the WAL still holds old page images; so the file is
    rebuilt with ``VACUUM`` (purges are rare: a draw made, a claim period ended) and the WAL is
    checkpointed and truncated. PostgreSQL keeps dead tuples until a vacuum, so the entries
    table is rewritten.
    """
    db.session.commit()
    engine = db.engine
    if engine.dialect.name == "sqlite":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM"))
            busy, _log, _done = conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).one()
            if busy:
                log.warning("purge: the write-ahead log is in use; it will be truncated later")
    elif engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("SET lock_timeout = '10s'"))
            for table in ("draw_entries", "draw_entry_inbox", "draw_entry_tokens"):
                conn.execute(text(f"VACUUM FULL {table}"))


def purge_at_startup(app: Flask) -> None:
    """Run retention when the hub starts, so a restart never skips a deadline."""
    with app.app_context():
        purge(app)
