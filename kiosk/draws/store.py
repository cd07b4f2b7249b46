"""Prize draws and their entries: defined on the hub, entered after a response, sealed at rest.

An entry has no link to any response: no foreign key, no response id, and only the date it was
made (never a time), in a table whose rows are ordered by a random id (SQLite ``WITHOUT ROWID``),
so neither a column nor the storage order lines entries up with answers. A kiosk keeps only the
sealed box; the hub keys its de-duplication hash with a secret (``contacts.dedupe_hash``) and
takes its own web entries through a shuffled inbox (``draw_inbox``), so nothing orders them either.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    select,
)

from kiosk.core.db import db, dialect_insert
from kiosk.core.problems import Problem, ProblemError
from kiosk.core.states import SyncState
from kiosk.core.text import text
from kiosk.core.timeutil import utcnow
from kiosk.draws import algorithm as draw_algorithm
from kiosk.draws import contacts, entry_tokens, scrub, sealing
from kiosk.draws import inbox as draw_inbox
from kiosk.draws.models import Draw, DrawRun, Entry, InboxEntry

SOURCES = ("kiosk", "web")


# --- draws ---------------------------------------------------------------------------------------


def define(data: dict[str, Any], known_slugs: Iterable[str] | None = None) -> Draw:
    """Create a draw from validated fields; raise ProblemError naming each bad field."""
    problems: list[Problem] = []
    prize = text(data.get("prize"), "prize", problems) or {}
    rules = text(data.get("rules"), "rules", problems) or {}
    slugs = [s for s in data.get("consultations") or [] if s]
    if not slugs:
        problems.append(Problem("consultations", "choose at least one consultation"))
    elif known_slugs is not None and set(slugs) - set(known_slugs):
        problems.append(Problem("consultations", "unknown consultation"))
    numbers = {}
    for key, low in (("winners", 1), ("reserves", 0), ("claim_days", 1)):
        try:
            numbers[key] = int(data.get(key, 0 if key == "reserves" else ""))
            if not low <= numbers[key] <= 1000:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(Problem(key, f"a whole number from {low} to 1000"))
    closes = data.get("closes_at")
    if isinstance(closes, str):
        try:
            closes = dt.datetime.fromisoformat(closes)
        except ValueError:
            closes = None
    if not isinstance(closes, dt.datetime):
        problems.append(Problem("closes_at", "a date and time like 2026-12-31T17:00"))
    if problems:
        raise ProblemError(problems)
    assert isinstance(closes, dt.datetime)  # else a problem above
    draw = Draw(id=str(uuid.uuid4()), consultations=slugs, prize=prize, rules=rules,
                closes_at=closes.replace(tzinfo=None, microsecond=0), **numbers)
    db.session.add(draw)
    db.session.commit()
    return draw


def get(draw_id: str | None) -> Draw | None:
    """The draw with this id, or None."""
    return db.session.get(Draw, draw_id) if draw_id else None


def all_draws() -> list[Draw]:
    """Every draw, latest closing first."""
    return list(db.session.execute(select(Draw).order_by(Draw.closes_at.desc())).scalars())


def open_for(slug: str) -> list[Draw]:
    """Draws taking entries from residents who answered this consultation."""
    rows = db.session.execute(select(Draw).where(Draw.drawn_at.is_(None),
                                                 Draw.closes_at > utcnow())).scalars()
    return [d for d in rows if slug in (d.consultations or [])]


def runs(draw: Draw) -> list[DrawRun]:
    """Every run of a draw, first first."""
    return list(db.session.execute(
        select(DrawRun).filter_by(draw_id=draw.id).order_by(DrawRun.run)).scalars())


# --- entries -------------------------------------------------------------------------------------


def entry_content_hash(record: dict[str, Any]) -> str:
    """SHA-256 over an entry's wire record (id, draw, sealed blob, date, source)."""
    keys = ("id", "draw_id", "sealed", "entered_on", "source")
    return hashlib.sha256(json.dumps({k: record.get(k) for k in keys}, sort_keys=True,
                                     separators=(",", ":")).encode()).hexdigest()


def seal_entry(draw: Draw, name: str, contact: str, public_key: Any,
               source: str) -> tuple[dict, str, str]:
    """Validate and seal one entry: (wire record, contact kind, normalised contact).

    The record holds nothing computable from the contact without the hub's private key.
    ValueError carries a resident's message.
    """
    name = contacts.clean_name(name)
    kind, normalised = contacts.normalise(contact)
    plain = json.dumps({"name": name, "kind": kind, "contact": normalised}).encode()
    record = {
        "id": str(uuid.uuid4()),
        "draw_id": draw.id,
        "sealed": sealing.seal(public_key, plain, draw.id.encode()).hex(),
        "entered_on": utcnow().date().isoformat(),
        "source": source,
    }
    record["content_hash"] = entry_content_hash(record)
    return record, kind, normalised


def open_record(private_key: Any, record: dict[str, Any]) -> tuple[str, str]:
    """(kind, normalised contact) inside a wire record's box; SealError/ValueError if unusable."""
    plain = json.loads(sealing.unseal(private_key, bytes.fromhex(record["sealed"]),
                                      record["draw_id"].encode()))
    if not isinstance(plain, dict) or not isinstance(plain.get("contact"), str):
        raise sealing.SealError("the sealed box holds no contact")
    contacts.clean_name(str(plain.get("name", "")))
    return contacts.normalise(plain["contact"])


def insert_entries(records: list[dict], sync_state: str) -> set[str]:
    """INSERT … ON CONFLICT DO NOTHING; returns the ids actually stored (the rest were taken).

    A record may carry ``contact_hash`` (the hub's keyed hash); kiosk records have none.
    """
    if not records:
        return set()
    rows = [{"id": r["id"], "draw_id": r["draw_id"], "contact_hash": r.get("contact_hash"),
             "sealed": bytes.fromhex(r["sealed"]), "content_hash": r["content_hash"],
             "entered_on": dt.date.fromisoformat(r["entered_on"]), "source": r["source"],
             "sync_state": sync_state} for r in records]
    stored: set[str] = set()
    for row in rows:  # one statement each: a conflict on one must not drop the others
        result = db.session.execute(dialect_insert(Entry).values(**row).on_conflict_do_nothing()
                                    .returning(Entry.id))
        stored.update(result.scalars())
    return stored


def enter(draw: Draw, name: str, contact: str, public_key: Any, source: str,
          sync_state: str = SyncState.STORED, *, token: str | None = None,
          secret: bytes | None = None, batch: int = 1) -> str | None:
    """Enter a resident once per draw, durably: the entry's reference, or None only when an entry
    token was already spent.

    On a kiosk (no ``secret``) the sealed box is queued for sync as it is (``sync_state``
    ``queued``). On the hub ``secret`` keys the de-duplication hash and the entry goes to the
    inbox, which moves to the draw in shuffled batches of ``batch``. ``token`` (from
    ``entry_tokens.issue``) is spent in the same transaction, so one response enters once.
    Either way the write-ahead log is emptied after the write (``scrub.scrub_order``).
    Pages answer the same whether or not the person had already entered, so an onlooker cannot
    learn whether someone else's address is in the draw: a repeat entry gets a reference too (its
    own, which is not in the draw; the first entry's reference stands).

    The reference is the start of ``sha256(entry id)`` (``algorithm.reference``): the entry id is
    random and stored only with the sealed entry, so the reference says nothing about the
    response, and the resident can find it among the hashes of the published verification file.
    """
    if not draw.is_open:
        raise ValueError("This prize draw has closed.")
    if source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}")
    record, kind, normalised = seal_entry(draw, name, contact, public_key, source)
    if token is not None and not entry_tokens.spend(token, draw.id):
        db.session.rollback()
        return None
    if secret is None:
        insert_entries([record], sync_state)
    else:
        draw_inbox.add(record, contacts.dedupe_hash(secret, draw.id, kind, normalised))
    db.session.commit()
    scrub.scrub_order()
    if secret is not None:
        draw_inbox.flush(minimum=batch)
    return draw_algorithm.reference(draw_algorithm.entry_hash(record["id"]))


def count_entries(draw: Draw) -> int:
    """How many entries a draw holds (those still in the hub's inbox included)."""
    from sqlalchemy import func

    return sum(db.session.execute(select(func.count()).select_from(model)
                                  .filter_by(draw_id=draw.id)).scalar_one()
               for model in (Entry, InboxEntry))


def entries(draw: Draw) -> list[Entry]:
    """A draw's entries, in id order (random, so not in the order they were made)."""
    return list(db.session.execute(select(Entry).filter_by(draw_id=draw.id)
                                   .order_by(Entry.id)).scalars())


def open_contact(private_key: Any, entry: Entry) -> dict | None:
    """Decrypt an entry's contact with the hub's private key; None once purged or unopenable."""
    if entry.sealed is None:
        return None
    try:
        return json.loads(sealing.unseal(private_key, entry.sealed, entry.draw_id.encode()))
    except (sealing.SealError, ValueError):  # stored before the hub checked boxes on receipt
        return None
