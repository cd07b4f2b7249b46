"""Tables: Enrolled kiosks, their sync receipts and set-aside items."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.core.db import db
from kiosk.core.timeutil import utcnow


class Device(db.Model):
    """An enrolled (or waiting to enroll) kiosk."""

    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    code_expires_at: Mapped[dt.datetime | None]
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    enrolled_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    last_sync_at: Mapped[dt.datetime | None]
    #: The kiosk's latest heartbeat (``sync.heartbeat``) and when the hub received it.
    heartbeat: Mapped[Any | None] = mapped_column(JSON)
    heartbeat_at: Mapped[dt.datetime | None]

    @property
    def state(self) -> str:
        """revoked, enrolled, waiting (code not yet used) or expired."""
        if self.revoked_at:
            return "revoked"
        if self.token_hash:
            return "enrolled"
        if self.code_expires_at and self.code_expires_at > utcnow():
            return "waiting"
        return "expired"


class SetAside(db.Model):
    """A pushed item the hub did not store: a conflict (same UUID, other content) or a reject."""

    __tablename__ = "sync_set_aside"
    __table_args__ = (UniqueConstraint("uuid", "content_hash", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    record: Mapped[Any] = mapped_column(JSON)
    device_id: Mapped[str | None] = mapped_column(String(36))
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    #: None while waiting for an admin, then ``accepted`` or ``discarded`` (sync.review); the
    #: row is never deleted.
    review_state: Mapped[str | None] = mapped_column(String(10))
    reviewed_at: Mapped[dt.datetime | None]
    reviewed_by: Mapped[str | None] = mapped_column(String(254))
    #: why it was discarded, or what accepting it did
    review_note: Mapped[str | None] = mapped_column(Text)


class SyncReceipt(db.Model):
    """One ingested push batch or bundle on the hub, with its per-status counts."""

    __tablename__ = "sync_receipts"
    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[str | None] = mapped_column(String(36), index=True)
    source: Mapped[str] = mapped_column(String(10))
    batch_id: Mapped[str | None] = mapped_column(String(64), index=True)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    duplicate: Mapped[int] = mapped_column(Integer, default=0)
    conflict: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
