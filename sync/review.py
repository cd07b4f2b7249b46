"""An admin's review of set-aside sync items: open one in full, discard it, or accept it.

As in ODK Central, review never rewrites what the hub stored and never deletes anything: an item
is ``accepted`` or ``discarded`` (with a reason, who and when) and stays recorded either way.
Accepting a rejected response puts it through the hub's checks again, as the hub stands now (a
consultation version imported since, a tracking code issued since, a clock that was ahead), and
stores it through the same ``INSERT … ON CONFLICT (uuid) DO NOTHING`` as a push: the response is
stored once, whoever accepts it and however often. A conflict is never accepted: the hub keeps the
response it stored first under that UUID, and the wire format has no edit link (Central's
``deprecatedID``) to say which body corrects which. A prize-draw entry is set aside without its
sealed box, so it can only be discarded; the kiosk keeps the entry.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update

from kiosk.analysis import texts
from kiosk.core.db import db, rowcount
from kiosk.core.states import ReceiptStatus
from kiosk.core.timeutil import utcnow
from kiosk.devices.models import SetAside
from kiosk.responses.models import Response
from kiosk.responses.store import wire
from sync import ingest
from sync.claims import Claims

ACCEPTED, DISCARDED = "accepted", "discarded"
MAX_REASON = 500
#: The fields of a prize-draw entry item shown to an admin (never its sealed box).
ENTRY_FIELDS = ("id", "draw_id", "entered_on", "source")
#: What accepting did, kept as the item's review note.
STORED, ALREADY_STORED = "stored", "already stored"


class ReviewError(Exception):
    """Why a review action was refused: a stable code, an HTTP status and the details."""

    def __init__(self, code: str, status: int, detail: str = "") -> None:
        self.code, self.status, self.detail = code, status, detail
        super().__init__(f"{code}: {detail}" if detail else code)


@dataclass
class Item:
    """A set-aside item as the review page shows it."""

    row: SetAside
    #: ``response``, ``entry``, or ``excerpt`` when only an excerpt was kept
    what: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    answers: dict[str, Any] | None = None
    excerpt: str | None = None
    raw: dict[str, Any] | None = None
    #: (content hash, received at) of the response stored under this UUID, if any
    stored: tuple[str, dt.datetime] | None = None
    #: the fields (``answers.<question>`` for an answer) where it differs from that response
    differs: list[str] = field(default_factory=list)

    @property
    def refusal(self) -> str | None:
        """Why this item cannot be accepted (a ReviewError code), or None if it may be tried."""
        if self.row.review_state:
            return "reviewed"
        if self.row.kind == ReceiptStatus.CONFLICT:
            return "conflict"
        if self.what == "entry":
            return "entry"
        if self.raw is None:
            return "excerpt"
        return None


def pending(limit: int = 500) -> list[SetAside]:
    """Set-aside items, those waiting for review first, newest first within each group."""
    q = (select(SetAside).order_by(SetAside.review_state.is_not(None), SetAside.received_at.desc(),
                                   SetAside.id.desc()).limit(limit))
    return list(db.session.execute(q).scalars())


def waiting() -> int:
    """How many set-aside items wait for an admin's review."""
    return db.session.execute(select(func.count()).select_from(SetAside)
                              .where(SetAside.review_state.is_(None))).scalar_one()


def get(item_id: int) -> SetAside:
    """A set-aside item by id; ReviewError ``not_found`` (404) if there is none."""
    row = db.session.get(SetAside, item_id)
    if row is None:
        raise ReviewError("not_found", 404)
    return row


def read(row: SetAside) -> Item:
    """The item in full: every field it was sent with (an entry's without its sealed box)."""
    raw = _whole(row)
    if raw is None:
        excerpt = row.record.get("excerpt") if isinstance(row.record, dict) else None
        return Item(row, "excerpt", excerpt=str(excerpt or ""))
    sent = raw.get("record")
    record: dict[str, Any] = sent if isinstance(sent, dict) else {}
    if "draw_id" in record and "consultation" not in record:
        shown = [(k, _text(record.get(k))) for k in ENTRY_FIELDS if k in record]
        return Item(row, "entry", fields=shown + [("hash", _text(raw.get("hash")))])
    shown = [(k, _text(v)) for k, v in record.items() if k != "answers"]
    shown.append(("hash", _text(raw.get("hash"))))
    answers = record.get("answers") if isinstance(record.get("answers"), dict) else None
    found = db.session.execute(select(Response).where(Response.uuid == row.uuid)
                               ).scalar_one_or_none() if row.uuid else None
    return Item(row, "response", fields=shown, answers=answers, raw=raw,
                stored=(found.content_hash, found.received_at) if found else None,
                differs=_differences(record, wire(found)) if found else [])


def discard(item_id: int, reason: str, actor: str) -> SetAside:
    """Mark an item discarded with the admin's reason; it stays recorded (ReviewError if not)."""
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("reason_missing", 422)
    if len(reason) > MAX_REASON:
        raise ReviewError("reason_too_long", 422, str(MAX_REASON))
    row = get(item_id)
    _claim(row, DISCARDED, actor, reason)
    db.session.commit()
    return row


def accept(item_id: int, actor: str, languages: list[str]) -> str:
    """Store a rejected response once it passes the hub's checks; what it did (``stored`` or
    ``already stored``). ReviewError when it cannot be accepted or still fails a check."""
    row = get(item_id)
    item = read(row)
    if item.refusal:
        raise ReviewError(item.refusal, 409)
    assert item.raw is not None  # no refusal: the whole item was kept
    now = utcnow()
    claims = Claims(row.device_id, languages, now) if row.device_id else None
    uid, given, record, problem = ingest.check(item.raw, claims, {})
    if problem is not None:
        raise ReviewError("still_fails", 422, problem)
    assert uid is not None and given is not None and record is not None  # well formed
    stored_hash, note = given, None
    if claims is not None:
        record, stored_hash, note = claims.without_unknown_event(record, given)
    try:
        _claim(row, ACCEPTED, actor, None)  # a second accept waits here, then finds it reviewed
        inserted, stored = ingest.store_checked([(0, uid, stored_hash, record)], now,
                                                {0: (note, given)} if note else {})
        texts.index_uuids(inserted)  # its free text is searchable, as after a push
        if uid in inserted:
            outcome = STORED
        elif stored.get(uid) in (stored_hash, given):
            outcome = ALREADY_STORED
        else:
            raise ReviewError("stored_differently", 409)
        row.review_note = outcome
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return outcome


def _claim(row: SetAside, state: str, actor: str, note: str | None) -> None:
    """Move a waiting item to its review state in one conditional UPDATE (no commit)."""
    done = db.session.execute(
        update(SetAside).where(SetAside.id == row.id, SetAside.review_state.is_(None))
        .values(review_state=state, reviewed_at=utcnow(), reviewed_by=actor[:254],
                review_note=note).execution_options(synchronize_session=False))
    if rowcount(done) != 1:
        db.session.rollback()
        raise ReviewError("reviewed", 409)
    db.session.refresh(row)


def _whole(row: SetAside) -> dict[str, Any] | None:
    """The item as it was sent, when the hub kept it whole (a conflict, or a short reject)."""
    record = row.record if isinstance(row.record, dict) else {}
    if "excerpt" not in record:
        return record or None
    if record.get("truncated"):
        return None
    try:
        raw = json.loads(record["excerpt"])
    except (TypeError, ValueError):
        return None
    return raw if isinstance(raw, dict) else None


def _differences(sent: dict[str, Any], held: dict[str, Any]) -> list[str]:
    """Which fields of a sent record differ from the stored response's (answers by question)."""
    out = [k for k in sorted(set(sent) | set(held)) if k != "answers" and sent.get(k) != held.get(k)]
    given, kept = sent.get("answers"), held.get("answers")
    mine: dict[str, Any] = given if isinstance(given, dict) else {}
    theirs: dict[str, Any] = kept if isinstance(kept, dict) else {}
    out += [f"answers.{q}" for q in sorted(set(mine) | set(theirs)) if mine.get(q) != theirs.get(q)]
    return out


def _text(value: Any) -> str:
    """A field's value as the page shows it (JSON for anything that is not text)."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
