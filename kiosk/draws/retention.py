"""Retention: delete personal data once it is no longer needed, and log what went (not who)."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path

from flask import Flask
from sqlalchemy import Table, delete, false, or_, select, text, update
from sqlalchemy.exc import OperationalError

from kiosk.core import clock
from kiosk.core.db import db, rowcount
from kiosk.core.timeutil import utcnow
from kiosk.draws import entry_tokens
from kiosk.draws import inbox as draw_inbox
from kiosk.draws.inbox import InboxEntry
from kiosk.draws.store import Draw, Entry
from kiosk.responses import drafts
from kiosk.tablet.state import set_setting

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
            delete(Entry).where(Entry.draw_id.in_(closed), Entry.sync_state == "synced"))),
        "unsent or refused entries of long-closed draws": rowcount(db.session.execute(
            delete(Entry).where(Entry.draw_id.in_(abandoned)))),
        "sealed blobs the hub has acknowledged": rowcount(db.session.execute(
            update(Entry).where(Entry.sync_state == "synced", Entry.sealed.is_not(None))
            .values(sealed=None))),
    }
    db.session.commit()
    return counts


def scrub_order(rewrite: tuple[str, ...] = (), cluster: tuple[Table, ...] = ()) -> None:
    """Leave no log of the order of recent writes (called after every prize-draw entry write).

    SQLite's write-ahead log holds pages in commit order, so an entry's page would sit right
    after its resident's response: checkpoint it into the database and truncate it to nothing.
    On PostgreSQL the tables named in ``rewrite`` (the inbox and tokens, whose dead rows carry
    ordered transaction ids) are rewritten, and those in ``cluster`` rewritten in the order of
    their primary key (random ids: no row's place on disk follows the order it was written in);
    a table busy for more than 2 s is left for the next scrub.
    """
    engine = db.engine
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if engine.dialect.name == "sqlite":
            busy, _log, _done = conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).one()
            if busy:
                log.warning("the write-ahead log is in use; it will be truncated later")
        elif engine.dialect.name == "postgresql" and (rewrite or cluster):
            conn.execute(text("SET lock_timeout = '2s'"))
            statements = [(f"VACUUM FULL {name}", name) for name in rewrite] + [
                (f"CLUSTER {t.name} USING {t.primary_key.name}", t.name) for t in cluster]
            for statement, table in statements:
                try:
                    conn.execute(text(statement))
                except OperationalError:
                    log.warning("%s is busy; it will be rewritten at the next scrub", table)


#: Where a deferred clean-up is remembered (a flag file: it costs no database write on a full disk).
PENDING = "wipe.pending"


def wipe_soon(app: Flask) -> None:
    """Ask for the free-space wipe after the sync run, not now: on a kiosk the queue is handed
    over first, so a space-hungry VACUUM never stands between a full disk and the hub."""
    try:
        (Path(app.instance_path) / PENDING).touch()
    except OSError:  # no room even for an empty file: the next purge or sync still wipes
        log.warning("purge: could not note the deferred clean-up (disk full)")


def wipe_if_room(app: Flask) -> str | None:
    """Run a deferred wipe when the disk has room for it; else leave it pending and return a
    warning to show (None when nothing was pending or it ran)."""
    flag = Path(app.instance_path) / PENDING
    if not flag.exists():
        return None
    needed = _wipe_needs(app)
    free = shutil.disk_usage(app.instance_path).free
    if free < needed:
        message = (f"clean-up deferred: deleted prize-draw contact bytes stay in the database file "
                   f"until it can be rebuilt ({free // 1048576} MB free, "
                   f"{needed // 1048576 + 1} MB needed); free some space and sync again")
        log.warning("purge: %s", message)
        return message
    try:
        wipe_free_space()
    except OperationalError as exc:
        db.session.rollback()
        message = f"clean-up deferred: {exc.orig}; free some space and sync again"
        log.warning("purge: %s", message)
        return message
    flag.unlink(missing_ok=True)
    return None


def _wipe_needs(app: Flask) -> int:
    """Bytes a VACUUM may need: a full copy of the database, its WAL, and a margin."""
    if db.engine.dialect.name != "sqlite" or not db.engine.url.database:
        return 0
    base = Path(db.engine.url.database)
    sizes = [p.stat().st_size for p in (base, Path(f"{base}-wal")) if p.exists()]
    return 2 * sum(sizes) + 1024 * 1024


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
