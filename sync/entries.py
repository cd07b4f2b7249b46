"""Prize-draw entries on the wire: draws pulled to kiosks, sealed entries pushed to the hub.

An entry item is ``{"record": {...}, "hash": <sha256 hex>}`` like a response item. The record
holds the entry id, draw id, sealed blob (hex), the date (never a time) and the source: nothing
derived from the contact, so neither the kiosk nor a bundle can be searched for a guessed email or
phone number. The hub opens each box in memory on receipt (one it cannot open is ``rejected``),
keys a de-duplication hash with its secret (``kiosk.draws.contacts.dedupe_hash``), and stores each entry
id once and each person once per draw (two unique constraints, ``INSERT … ON CONFLICT DO
NOTHING``). Every item is answered ``accepted``, ``duplicate`` (the same entry again, or the same
person already entered), ``conflict`` (same id, different content) or ``rejected``. The kiosk
deletes a sealed blob only on the hub's receipt.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from collections import Counter
from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy import delete, select, update

from kiosk.core.db import db
from kiosk.core.states import RECEIPT_STATUSES, ReceiptStatus, SyncState
from kiosk.core.timeutil import iso, parse_iso, utcnow
from kiosk.draws import contacts, scrub, sealing
from kiosk.draws import inbox as draw_inbox
from kiosk.draws import store as draws
from kiosk.draws.models import Draw, Entry
from sync import wire
from sync.set_aside import set_aside_rows

CONFLICT = "a different entry with this id is already stored; the original is kept"
MAX_SEALED = 4096
MAX_ITEMS = 5000

# --- JSON schemas (joined into sync.schema.COMPONENTS and the OpenAPI document) --------------------

ENTRY_RECORD: dict[str, Any] = {
    "type": "object", "additionalProperties": False,
    "description": "A sealed prize-draw entry: no response id, no time of day, no plain contact.",
    "required": ["id", "draw_id", "sealed", "entered_on", "source"],
    "properties": {
        "id": {"type": "string", "maxLength": 36, "description": "random UUID made on the device"},
        "draw_id": {"type": "string", "maxLength": 36},
        "sealed": {"type": "string", "maxLength": 2 * MAX_SEALED, "pattern": "^[0-9a-f]*$",
                   "description": "hex of the sealed box (X25519 + HKDF + AES-256-GCM)"},
        "entered_on": {"type": "string", "maxLength": 10, "description": "YYYY-MM-DD"},
        "source": {"type": "string", "enum": ["kiosk"],
                   "description": "a device pushes only kiosk entries"},
    },
}
ENTRY_ITEM: dict[str, Any] = {
    "type": "object", "required": ["record", "hash"], "additionalProperties": False,
    "properties": {"record": {"$ref": "#/components/schemas/EntryRecord"},
                   "hash": {"type": "string", "pattern": "^[0-9a-f]{64}$"}},
}
ENTRY_PUSH: dict[str, Any] = {
    "type": "object", "required": ["items"], "additionalProperties": False,
    "properties": {"items": {"type": "array", "maxItems": MAX_ITEMS,
                             "items": {"$ref": "#/components/schemas/EntryItem"}}},
}
SCHEMAS = {"EntryRecord": ENTRY_RECORD, "EntryItem": ENTRY_ITEM, "EntryPushRequest": ENTRY_PUSH}
ENTRY_RECEIPT: dict[str, Any] = {
    "type": "object", "required": ["counts", "items"],
    "properties": {
        "counts": {"type": "object", "required": list(RECEIPT_STATUSES),
                   "properties": {s: {"type": "integer"} for s in RECEIPT_STATUSES}},
        "items": {"type": "array", "items": {
            "type": "object", "required": ["id", "status"],
            "properties": {"id": {"type": "string", "nullable": True},
                           "status": {"type": "string", "enum": list(RECEIPT_STATUSES)},
                           "reason": {"type": "string"}}}},
    },
}
DRAWS_PULLED: dict[str, Any] = {"type": "array", "items": {
    "type": "object",
    "required": ["id", "consultations", "prize", "rules", "winners", "reserves", "closes_at",
                 "claim_days"],
    "properties": {"id": {"type": "string"}, "consultations": {"type": "array"},
                   "prize": {"type": "object"}, "rules": {"type": "object"},
                   "winners": {"type": "integer"}, "reserves": {"type": "integer"},
                   "closes_at": {"type": "string"}, "claim_days": {"type": "integer"}}}}


# --- pull: the hub's open draws, applied on a kiosk ----------------------------------------------


def draws_for_pull() -> list[dict[str, Any]]:
    """Open draws as the kiosk needs them."""
    rows = db.session.execute(select(Draw).where(Draw.drawn_at.is_(None), Draw.closes_at > utcnow())
                              .order_by(Draw.id)).scalars()
    return [{"id": d.id, "consultations": d.consultations, "prize": d.prize, "rules": d.rules,
             "winners": d.winners, "reserves": d.reserves, "closes_at": iso(d.closes_at),
             "claim_days": d.claim_days} for d in rows]


def apply_pulled_draws(items: list[dict[str, Any]]) -> int:
    """Upsert pulled draws on a kiosk (no commit); draws the hub stopped offering close here."""
    now = utcnow()
    seen = set()
    for item in items:
        seen.add(item["id"])
        row = db.session.get(Draw, item["id"]) or Draw(id=item["id"])
        row.consultations, row.prize, row.rules = item["consultations"], item["prize"], item["rules"]
        row.winners, row.reserves = item["winners"], item["reserves"]
        # the hub always sends closes_at; a None would be refused by NOT NULL at flush, as before
        row.closes_at, row.claim_days = parse_iso(item["closes_at"]), item["claim_days"]  # type: ignore[assignment]
        db.session.add(row)
    gone = select(Draw).where(Draw.closes_at > now)
    if seen:
        gone = gone.where(Draw.id.not_in(seen))
    for row in db.session.execute(gone).scalars():
        row.closes_at = now
    return len(seen)


# --- push: kiosk side ----------------------------------------------------------------------------


def pending(limit: int | None = 500) -> list[dict[str, Any]]:
    """Queued entries (sealed blob still here) as push items, in id order (all if no limit)."""
    rows = db.session.execute(select(Entry).where(Entry.sync_state == SyncState.QUEUED,
                                                  Entry.sealed.is_not(None))
                              .order_by(Entry.id).limit(limit)).scalars()
    return [item(e) for e in rows]


def item(e: Entry) -> dict[str, Any]:
    """One entry as a push item."""
    record = {"id": e.id, "draw_id": e.draw_id, "sealed": e.sealed.hex() if e.sealed else None,
              "entered_on": e.entered_on.isoformat(), "source": e.source}
    return {"record": record, "hash": e.content_hash}


def push(hub: Any, size: int = 500,
         extra_headers: Callable[[], dict[str, str]] | None = None) -> dict[str, int]:
    """Send every queued entry to the hub (``/api/v1/entries``) and settle each batch's receipt.

    ``hub`` is the sync client's connection (``sync.transport.Hub``): retries, backoff and errors
    are the same as for responses. ``extra_headers`` adds headers to each batch (the heartbeat).
    """

    totals: Counter = Counter()
    while True:
        items = pending(size)
        db.session.rollback()  # hold no read transaction while waiting on the network
        if not items:
            break
        reply = hub.call("POST", "/api/v1/entries", body=wire.gzip_json({"items": items}),
                         headers={"Content-Type": "application/json", "Content-Encoding": "gzip",
                                  **(extra_headers() if extra_headers else {})})
        counts = apply_receipt(reply.body.get("items", []), {i["record"]["id"] for i in items})
        totals.update(counts)
        if counts["unanswered"] == len(items):
            break  # the hub answered none of them: stop rather than loop
    return {s: totals.get(s, 0) for s in (*RECEIPT_STATUSES, "unanswered")}


def apply_receipt(receipt_items: list[Any], expected: set[str] | None = None) -> Counter:
    """Mark entries from the hub's receipt in one transaction; delete blobs the hub now holds."""
    counts: Counter = Counter()
    answered = set()
    for r in receipt_items:
        if not isinstance(r, dict):
            continue
        status, entry_id = r.get("status"), r.get("id")
        if status not in RECEIPT_STATUSES or not isinstance(entry_id, str):
            continue
        if expected is not None and entry_id not in expected:
            continue
        answered.add(entry_id)
        counts[status] += 1
        if status in (ReceiptStatus.ACCEPTED, ReceiptStatus.DUPLICATE):
            values: dict[str, Any] = {"sync_state": SyncState.SYNCED, "sealed": None, "sync_note": None}
        else:
            values = {"sync_state": status, "sync_note": str(r.get("reason", ""))[:500]}
        db.session.execute(update(Entry).where(Entry.id == entry_id,
                                               Entry.sync_state == SyncState.QUEUED).values(**values))
    db.session.commit()
    if expected is not None:
        counts["unanswered"] = len(expected - answered)
    if counts[ReceiptStatus.ACCEPTED] or counts[ReceiptStatus.DUPLICATE]:
        # after the whole sync run, and only when there is room (a full disk must not stop it)
        scrub.wipe_soon(current_app)
    return counts


# --- push: hub side ------------------------------------------------------------------------------


def check(raw: Any, private_key: Any, secret: bytes) -> tuple[str | None, dict | None, str | None]:
    """(entry id, record, problem) for one pushed item; problem None when it may be stored.

    The box is opened here, in memory, to key the de-duplication hash (added to the record as
    ``contact_hash``); the contact itself is never kept outside the box.
    """
    if not isinstance(raw, dict) or not isinstance(raw.get("record"), dict):
        return None, None, "an item is {record, hash}"
    record, given = raw["record"], raw.get("hash")
    entry_id = record.get("id") if isinstance(record.get("id"), str) else None
    try:
        uuidlib.UUID(entry_id or "")
        draw = db.session.get(Draw, record.get("draw_id") or "")
        entered = dt.date.fromisoformat(record.get("entered_on") or "")
        sealed = bytes.fromhex(record.get("sealed") or "")
    except (ValueError, TypeError):
        return entry_id, None, "id, draw_id, entered_on or sealed is malformed"
    if draw is None:
        return entry_id, None, "the hub has no such draw"
    if not sealing.is_blob(sealed) or len(sealed) > MAX_SEALED:
        return entry_id, None, "sealed is not a sealed box"
    if record.get("source") != "kiosk":
        return entry_id, None, "a device sends only kiosk entries (source must be 'kiosk')"
    if given != draws.entry_content_hash(record):
        return entry_id, None, "hash does not match the record"
    if draw.drawn_at is not None:
        return entry_id, None, "the draw has already been made"
    if entered > draw.closes_at.date():
        return entry_id, None, "entered after the draw closed"
    try:
        kind, normalised = draws.open_record(private_key, record)
    except (ValueError, TypeError, KeyError):  # SealError is a ValueError
        return entry_id, None, "the sealed box does not open with the hub's key for this draw"
    digest = contacts.dedupe_hash(secret, draw.id, kind, normalised)
    return entry_id, {**record, "content_hash": given, "contact_hash": digest}, None


def ingest(items: list[Any], device_id: str | None = None) -> dict[str, Any]:
    """Store pushed entries in one transaction and answer each with a receipt line.

    Rejected items are set aside (reason, hash and a short excerpt without the box) under the
    device's cap, like rejected responses.
    """
    from flask import current_app

    from sync import keys

    app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is typed as Flask, not its proxy
    private_key, secret = keys.hub_private_key(app), keys.dedupe_key(app)
    results: list[dict[str, Any]] = []
    good: list[tuple[int, dict]] = []
    rejected: list[tuple[Any, str]] = []
    for raw in items:
        entry_id, record, problem = check(raw, private_key, secret)
        results.append({"id": entry_id, "status": ReceiptStatus.REJECTED, "reason": problem})
        if problem is None:
            assert record is not None  # check() gives a record whenever there is no problem
            good.append((len(results) - 1, record))
        else:
            rejected.append((_without_box(raw), problem))
    try:
        good.sort(key=lambda g: g[1]["id"])  # one lock order for every writer
        stored = draws.insert_entries([r for _i, r in good], SyncState.STORED)
        known = dict(db.session.execute(select(Entry.id, Entry.content_hash).where(
            Entry.id.in_([r["id"] for _i, r in good]))).all()) if good else {}
        for i, record in good:
            if record["id"] in stored:
                if draw_inbox.holds(record["draw_id"], record["contact_hash"]):
                    # the same person is waiting in the web inbox: keep one of the two
                    db.session.execute(delete(Entry).where(Entry.id == record["id"]))
                    results[i] = {"id": record["id"], "status": ReceiptStatus.DUPLICATE,
                                  "reason": "already entered"}
                    continue
                results[i] = {"id": record["id"], "status": ReceiptStatus.ACCEPTED}
                stored.discard(record["id"])  # a second copy in the same batch is a duplicate
            elif known.get(record["id"]) == record["content_hash"]:
                results[i] = {"id": record["id"], "status": ReceiptStatus.DUPLICATE}
            elif record["id"] in known:
                results[i] = {"id": record["id"], "status": ReceiptStatus.CONFLICT, "reason": CONFLICT}
            else:  # this person is already in the draw (from another kiosk or the web)
                results[i] = {"id": record["id"], "status": ReceiptStatus.DUPLICATE,
                              "reason": "already entered"}
        set_aside_rows(rejected, device_id, ReceiptStatus.REJECTED)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if good:
        scrub.scrub_order()  # SQLite: the batch's pages leave the write-ahead log
    for r in results:
        if r.get("reason") is None:
            r.pop("reason", None)
    counts = Counter(r["status"] for r in results)
    return {"counts": {s: counts.get(s, 0) for s in RECEIPT_STATUSES}, "items": results}


def _without_box(raw: Any) -> Any:
    """An item as set aside: the sealed box is left out (it is personal data, if encrypted)."""
    if isinstance(raw, dict) and isinstance(raw.get("record"), dict):
        record = {k: v for k, v in raw["record"].items() if k != "sealed"}
        return {**raw, "record": record}
    return raw
