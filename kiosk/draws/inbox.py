"""The hub's inbox of prize-draw entries made on its own pages, moved to the draw in shuffled batches.

A web entry is made seconds after its resident's response, so storing it straight away would leave
it next to that response in every order the database keeps: PostgreSQL's transaction ids
(``xmin``) and tuple positions, SQLite's write-ahead log. Instead the entry is made durable in this
inbox (keyed by a random id, no time), and once ``DRAW_ENTRY_BATCH`` entries wait they all move
into ``draw_entries`` in one transaction, in a random order. A batch's shared transaction id
would still place the batch among the responses, so on PostgreSQL the same transaction also
re-writes every entry of the batch's draws (a no-op UPDATE gives each row a new version, and
``xmin``, from this transaction): the entries of a draw all carry the id of its last move. After
each move the traces are scrubbed (``scrub.scrub_order``: the SQLite WAL truncated, the
PostgreSQL inbox and token tables rewritten, ``draw_entries`` rewritten in the order of its random
ids so no row's place on disk follows the batches either).
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import (
    delete,
    select,
    update,
)

from kiosk.core.db import db, dialect_insert
from kiosk.draws import scrub
from kiosk.draws.models import Entry, InboxEntry

_shuffle = random.SystemRandom().shuffle


def add(record: dict, contact_hash: str) -> None:
    """Stage one sealed entry in the inbox (no commit); the same person twice is kept once."""
    db.session.execute(dialect_insert(InboxEntry).values(
        id=record["id"], draw_id=record["draw_id"], contact_hash=contact_hash,
        sealed=bytes.fromhex(record["sealed"]), content_hash=record["content_hash"],
        entered_on=dt.date.fromisoformat(record["entered_on"]), source=record["source"],
    ).on_conflict_do_nothing())


def holds(draw_id: str, contact_hash: str) -> bool:
    """True when this person's entry is waiting in the inbox for this draw."""
    return db.session.execute(select(InboxEntry.id).filter_by(
        draw_id=draw_id, contact_hash=contact_hash).limit(1)).first() is not None


def flush(minimum: int = 1) -> int:
    """Move every waiting entry into the draws, shuffled, in one transaction, once at least
    ``minimum`` wait (``minimum=1``: whatever waits, e.g. before a draw is made).

    Returns how many moved. A person already in the draw (from a kiosk) is not added twice.
    Concurrent flushes are safe: an entry moved by the other is skipped by the unique id.
    """

    waiting = list(db.session.execute(select(InboxEntry)).scalars())
    if not waiting or len(waiting) < max(1, minimum):
        db.session.rollback()
        return 0
    _shuffle(waiting)
    for row in waiting:  # one statement each: a person already entered must not drop the others
        db.session.execute(dialect_insert(Entry).values(
            id=row.id, draw_id=row.draw_id, contact_hash=row.contact_hash, sealed=row.sealed,
            content_hash=row.content_hash, entered_on=row.entered_on, source=row.source,
            sync_state="stored").on_conflict_do_nothing())
    if db.session.get_bind().dialect.name == "postgresql":
        # one transaction id for all of each draw's entries, not one per batch (see above)
        db.session.execute(update(Entry).where(Entry.draw_id.in_({r.draw_id for r in waiting}))
                           .values(source=Entry.source))
    db.session.execute(delete(InboxEntry).where(InboxEntry.id.in_([r.id for r in waiting])))
    db.session.commit()
    scrub.scrub_order(rewrite=("draw_entry_inbox", "draw_entry_tokens"),
                          cluster=(Entry.__table__,))
    return len(waiting)
