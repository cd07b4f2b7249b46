"""Tables: Prize draws, sealed entries, the hub's inbox of web entries, entry tokens, runs, claims
and rights requests."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.core.db import db
from kiosk.core.states import SyncState
from kiosk.core.timeutil import utcnow


class Draw(db.Model):
    """A prize draw for one or more consultations."""

    __tablename__ = "draws"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    consultations: Mapped[list] = mapped_column(JSON, default=list)
    prize: Mapped[dict] = mapped_column(JSON)
    rules: Mapped[dict] = mapped_column(JSON)
    winners: Mapped[int]
    reserves: Mapped[int] = mapped_column(default=0)
    closes_at: Mapped[dt.datetime]
    claim_days: Mapped[int] = mapped_column(default=28)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    drawn_at: Mapped[dt.datetime | None]
    claim_until: Mapped[dt.datetime | None]
    exported_at: Mapped[dt.datetime | None]

    @property
    def is_open(self) -> bool:
        """Entries are taken until the closing time and never after the draw is made."""
        return self.drawn_at is None and utcnow() < self.closes_at


class Entry(db.Model):
    """One person's entry in one draw: a sealed contact (and on the hub a keyed hash), nothing else."""

    __tablename__ = "draw_entries"
    __table_args__ = (UniqueConstraint("draw_id", "contact_hash"), {"sqlite_with_rowid": False})
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    draw_id: Mapped[str] = mapped_column(ForeignKey("draws.id"))
    #: hub only: ``contacts.dedupe_hash`` under the hub's secret key; always NULL on a kiosk.
    contact_hash: Mapped[str | None] = mapped_column(String(64))
    sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: SHA-256 of the entry as first sent: tells an identical resend from a conflict.
    content_hash: Mapped[str] = mapped_column(String(64))
    entered_on: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(10))
    #: winner / reserve / none once drawn; rank is the draw order within winners then reserves.
    outcome: Mapped[str | None] = mapped_column(String(10))
    rank: Mapped[int | None]
    #: kiosk side: queued → synced (blob deleted), or set aside as conflict/rejected.
    sync_state: Mapped[str] = mapped_column(String(10), default=SyncState.QUEUED)
    sync_note: Mapped[str | None] = mapped_column(Text)


class DrawRun(db.Model):
    """Every time a draw was made, with its seed and verification file: re-runs are never silent."""

    __tablename__ = "draw_runs"
    __table_args__ = (UniqueConstraint("draw_id", "run"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[str] = mapped_column(ForeignKey("draws.id"))
    run: Mapped[int]
    seed: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    entries: Mapped[int]
    verification: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class DrawClaim(db.Model):
    """Who holds one prize of a made draw and where its claim stands (hub only).

    Keyed by the entry's published hash, not its id: a claim names what the verification file
    names, and nothing here points at an entry row (or, through it, at anything else).
    """

    __tablename__ = "draw_claims"
    __table_args__ = (UniqueConstraint("draw_id", "entry_hash"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[str] = mapped_column(ForeignKey("draws.id"))
    #: the prize (1 … winners) this entry holds or held.
    prize: Mapped[int]
    entry_hash: Mapped[str] = mapped_column(String(64))
    #: the reserve's place in the draw order when it was promoted; None for a winner as drawn.
    reserve: Mapped[int | None]
    #: drawn → contacted → claimed, declined or expired (``claims.STATES``).
    state: Mapped[str] = mapped_column(String(10), default="drawn")
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class RightsRequest(db.Model):
    """A record that a data-subject request was handled; it holds no contact details."""

    __tablename__ = "rights_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(10))
    matched: Mapped[int] = mapped_column(default=0)
    deleted: Mapped[int] = mapped_column(default=0)
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class InboxEntry(db.Model):
    """A hub entry waiting for its batch: the same fields as an entry, and nothing that orders it."""

    __tablename__ = "draw_entry_inbox"
    __table_args__ = (UniqueConstraint("draw_id", "contact_hash"), {"sqlite_with_rowid": False})
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    draw_id: Mapped[str] = mapped_column(ForeignKey("draws.id"))
    contact_hash: Mapped[str] = mapped_column(String(64))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    content_hash: Mapped[str] = mapped_column(String(64))
    entered_on: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(10))


class EntryToken(db.Model):
    """An unspent right to enter one draw once."""

    __tablename__ = "draw_entry_tokens"
    __table_args__ = ({"sqlite_with_rowid": False},)
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    draw_id: Mapped[str] = mapped_column(ForeignKey("draws.id"))
    issued_on: Mapped[dt.date] = mapped_column(Date)
