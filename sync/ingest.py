"""Hub-side ingest: store each UUID once and answer every item with a receipt line.

One ``INSERT … ON CONFLICT (uuid) DO NOTHING`` (an executemany) stores the batch and says which
rows it wrote (RETURNING on SQLite, ``xmin`` on PostgreSQL); the stored hashes of the others tell
a duplicate (same hash) from a conflict (different hash). The unique constraint decides, never a
check-then-insert, so concurrent resends cannot double a row.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import current_app
from sqlalchemy import Boolean, String, any_, bindparam, literal_column, select
from sqlalchemy.dialects.postgresql import ARRAY

from kiosk.analysis import texts
from kiosk.consultations import store as consultations
from kiosk.consultations.questions import registry as questions
from kiosk.consultations.types import Definition
from kiosk.core.db import db, dialect_insert
from kiosk.core.states import RECEIPT_STATUSES, ReceiptStatus, SyncState
from kiosk.core.timeutil import iso, utcnow
from kiosk.devices.models import Device, SyncReceipt
from kiosk.responses.models import Response
from sync import set_aside, wire
from sync.claims import Claims

CONFLICT = "a different response with this UUID is already stored (409); the original is kept"


def ingest(items: list[Any], *, device_id: str | None, source: str = "push",
           batch_id: str | None = None) -> dict[str, Any]:
    """Store a batch of push items in one transaction and return the receipt."""
    now = utcnow()
    results: list[dict[str, Any]] = [{} for _ in items]
    pending: list[tuple[int, str, str, dict]] = []
    notes: dict[int, tuple[str, str]] = {}  # item: (why its event was dropped, hash as sent)
    aside: list[dict[str, Any]] = []
    definitions: dict[tuple[str, int], Definition | None] = {}
    claims = Claims(device_id, current_app.config["LANGUAGES"], now) if device_id else None
    for i, raw in enumerate(items):
        uid, given, record, problem = check(raw, claims, definitions)
        if problem is not None:
            results[i] = {"uuid": uid, "status": ReceiptStatus.REJECTED, "reason": problem}
            aside.append(_aside(uid, raw, ReceiptStatus.REJECTED, problem, device_id, now))
            continue
        assert uid is not None and given is not None and record is not None  # well formed
        if claims is not None:
            sent = given
            record, given, note = claims.without_unknown_event(record, given)
            if note:
                notes[i] = (note, sent)
        pending.append((i, uid, given, record))
    try:
        inserted, stored = store_checked(pending, now, notes)
        texts.index_uuids(inserted)
        for i, uid, given, record in pending:
            note, sent = notes.get(i, (None, given))
            if uid in inserted and inserted[uid] == i:
                results[i] = {"uuid": uid, "status": ReceiptStatus.ACCEPTED}
            elif stored.get(uid) in (given, sent):  # sent: stored whole by an older hub
                results[i] = {"uuid": uid, "status": ReceiptStatus.DUPLICATE}
            else:
                results[i] = {"uuid": uid, "status": ReceiptStatus.CONFLICT, "reason": CONFLICT}
                aside.append(_aside(uid, {"record": record, "hash": given}, ReceiptStatus.CONFLICT,
                                    CONFLICT, device_id, now))
            if note and results[i]["status"] != ReceiptStatus.CONFLICT:
                results[i]["reason"] = note
        set_aside.store(aside, device_id)
        counts = Counter(r["status"] for r in results)
        db.session.add(SyncReceipt(device_id=device_id, source=source, batch_id=batch_id,
                                   created_at=now, **{s: counts.get(s, 0) for s in RECEIPT_STATUSES}))
        if device_id:
            device = db.session.get(Device, device_id)
            if device is not None:
                device.last_sync_at = now
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return {"batch_id": batch_id, "received_at": iso(now),
            "counts": {s: counts.get(s, 0) for s in RECEIPT_STATUSES}, "items": results}


def check(raw: Any, claims: Claims | None,
          definitions: dict[tuple[str, int], Definition | None]) -> tuple[
              str | None, str | None, dict | None, str | None]:
    """(uuid, hash, record, problem) for one pushed item: its shape and hash, what its device may
    claim, and its answers against its consultation version; problem is None when it may be stored."""
    uid, given, record, problem = wire.check_item(raw)
    # check_item gives a record whenever there is no problem
    if problem is None and record is not None and claims is not None:
        problem = claims.problem(record)
    if problem is None and record is not None:
        problem = _check_answers(record, definitions)
    return uid, given, record, problem


def store_checked(pending: list[tuple[int, str, str, dict]], now: Any,
                  notes: dict[int, tuple[str, str]]) -> tuple[dict[str, int], dict[str, str]]:
    """Insert the first item of each UUID (no commit); return {inserted uuid: item index},
    {uuid: stored hash}."""
    first: dict[str, tuple[int, str, dict]] = {}
    for i, uid, given, record in pending:
        first.setdefault(uid, (i, given, record))
    if not first:
        return {}, {}
    rows = []
    for uid in sorted(first):  # one lock order for every writer: no deadlocks on PostgreSQL
        i, given, record = first[uid]
        row = wire.to_row(record, given)
        note = notes[i][0] if i in notes else None
        row.update(received_at=now, sync_state=SyncState.SYNCED, synced_at=now, sync_note=note)
        rows.append(row)
    table = Response.__table__
    insert = dialect_insert(table).on_conflict_do_nothing(index_elements=["uuid"])
    if db.session.get_bind().dialect.name == "postgresql":
        return _store_postgresql(table, insert, rows, first)
    inserted = {uid: first[uid][0]
                for uid in db.session.execute(insert.returning(table.c.uuid), rows).scalars()}
    stored = {uid: first[uid][1] for uid in inserted}
    taken = [uid for uid in first if uid not in inserted]  # stored before: what hash has it?
    if taken:
        stored.update(db.session.execute(
            select(table.c.uuid, table.c.content_hash).where(table.c.uuid.in_(taken))).all())
    return inserted, stored


def _store_postgresql(table: Any, insert: Any, rows: list[dict[str, Any]],
                      first: dict[str, tuple[int, str, dict]]) -> tuple[dict[str, int],
                                                                      dict[str, str]]:
    """The same on PostgreSQL, as a plain executemany, then one SELECT that also says which rows
    this transaction wrote (their ``xmin`` is its id).

    With RETURNING, SQLAlchemy sends a batch as one INSERT of 16 parameters a row, which psycopg
    parses anew on every call (too long for its statement cache): five times slower than the
    executemany. The answer stays exact under concurrency: a resend racing this one waits on the
    unique index, inserts nothing, and then reads the row with the other transaction's ``xmin``.
    (Run inside a SAVEPOINT, rows would carry the subtransaction's id and read as duplicates.)
    """
    db.session.execute(insert, rows)
    mine = literal_column("xmin = pg_current_xact_id()::xid", Boolean)
    found = db.session.execute(
        select(table.c.uuid, table.c.content_hash, mine)
        .where(table.c.uuid == any_(bindparam("uuids", list(first), type_=ARRAY(String))))).all()
    inserted = {uid: first[uid][0] for uid, _hash, written in found if written}
    return inserted, {uid: stored for uid, stored, _written in found}


def _check_answers(record: dict, cache: dict[tuple[str, int], Definition | None]) -> str | None:
    key = (record["consultation"], record["version"])
    if key not in cache:
        cache[key] = consultations.definition(*key)
    defn = cache[key]
    if defn is None:
        return f"the hub has no consultation {key[0]!r} version {key[1]}"
    errors = questions.check_answers(defn, record["answers"])
    if errors:
        return "invalid answers: " + "; ".join(f"{k}: {v}" for k, v in sorted(errors.items()))
    return None


def _aside(uid: str | None, raw: Any, kind: str, reason: str, device_id: str | None,
           now: Any) -> dict[str, Any]:
    return set_aside.row(uid, raw if isinstance(raw, dict) else {"item": raw}, kind, reason,
                         device_id, now)
