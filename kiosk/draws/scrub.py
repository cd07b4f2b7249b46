"""Leaving no trace: the order of recent writes scrubbed, deleted bytes wiped from the files.

After every prize-draw entry write the order of writes is scrubbed (an entry must not sit next to
its resident's response on disk); after a purge the freed space is wiped, at once on the hub and,
on a kiosk, once its queue is handed over and there is room.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from flask import Flask
from sqlalchemy import Table, text
from sqlalchemy.exc import OperationalError

from kiosk.core.db import db

log = logging.getLogger("voxbox.retention")


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
