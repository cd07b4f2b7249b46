"""Tables shared by both roles. Domain operations live in modules named after their noun."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.core.db import db
from kiosk.core.timeutil import utcnow


class Consultation(db.Model):
    """A consultation; its answerable content lives in versioned definitions."""

    __tablename__ = "consultations"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    title: Mapped[dict] = mapped_column(JSON)
    summary: Mapped[dict | None] = mapped_column(JSON)
    opens: Mapped[dt.date | None]
    closes: Mapped[dt.date | None]
    version: Mapped[int] = mapped_column(default=1)
    results: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ConsultationVersion(db.Model):
    """One immutable version of a consultation's definition."""

    __tablename__ = "consultation_versions"
    __table_args__ = (UniqueConstraint("consultation_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"))
    version: Mapped[int]
    definition: Mapped[dict] = mapped_column(JSON)
    questions_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Response(db.Model):
    """A submitted response; immutable once stored, identified by a device-made UUID."""

    __tablename__ = "responses"
    __table_args__ = (
        Index("ix_responses_consultation", "consultation_slug", "version"),
        Index("ix_responses_sync_state", "sync_state"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    consultation_slug: Mapped[str] = mapped_column(String(63))
    version: Mapped[int]
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    language: Mapped[str] = mapped_column(String(5))
    channel: Mapped[str] = mapped_column(String(10))
    device_id: Mapped[str | None] = mapped_column(String(36))
    event_id: Mapped[str | None] = mapped_column(String(36))
    tracking_code: Mapped[str | None] = mapped_column(String(16))
    started_at: Mapped[dt.datetime | None]
    submitted_at: Mapped[dt.datetime]
    content_hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    #: kiosk side: queued → synced, or set aside as conflict/rejected (never deleted).
    sync_state: Mapped[str] = mapped_column(String(10), default="queued")
    sync_note: Mapped[str | None] = mapped_column(Text)
    synced_at: Mapped[dt.datetime | None]


class Draft(db.Model):
    """A resident's in-progress answers on a kiosk, keyed to a short-lived session token."""

    __tablename__ = "drafts"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    consultation_slug: Mapped[str] = mapped_column(String(63))
    version: Mapped[int]
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    language: Mapped[str] = mapped_column(String(5), default="en")
    tracking_code: Mapped[str | None] = mapped_column(String(16))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    #: The machine's boot clock at the last touch: drafts age by it, whatever the wall clock does.
    touched_boot: Mapped[float | None] = mapped_column(Float)


class User(db.Model):
    """A staff account on the hub."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(10), default="staff")
    active: Mapped[bool] = mapped_column(default=True)
    #: Bumped to end every session of this user (sign-out, password change, disabling).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Base32 TOTP secret when two-factor sign-in is on (kept like the password: hub database only).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Event(db.Model):
    """A street stall or community meeting where residents answer in person."""

    __tablename__ = "events"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[dict] = mapped_column(JSON)
    place: Mapped[str] = mapped_column(String(300))
    place_cy: Mapped[str | None] = mapped_column(String(300))
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime | None]
    description: Mapped[dict | None] = mapped_column(JSON)
    consultations: Mapped[list] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(10), default="local")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def place_text(self) -> dict[str, str]:
        """The place as bilingual text, for tr()."""
        return {"en": self.place, **({"cy": self.place_cy} if self.place_cy else {})}


class Setting(db.Model):
    """A small key/value store for a kiosk's local choices (event, offered consultations)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)

