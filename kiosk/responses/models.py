"""Tables: Responses, kiosk drafts and paper entries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Float, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.core.db import db
from kiosk.core.states import SyncState
from kiosk.core.timeutil import utcnow

#: The longest paper-form batch label.
BATCH_MAX = 64


class PaperEntry(db.Model):
    """Who keyed a paper response, when, and the batch of forms it came in."""

    __tablename__ = "paper_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    response_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    form_date: Mapped[dt.date]
    batch: Mapped[str | None] = mapped_column(String(BATCH_MAX))
    entered_by: Mapped[str] = mapped_column(String(254))
    entered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Response(db.Model):
    """A submitted response; immutable once stored, identified by a device-made UUID."""

    __tablename__ = "responses"
    __table_args__ = (
        Index("ix_responses_consultation", "consultation_slug", "version"),
        Index("ix_responses_sync_state", "sync_state"),
        # every column a report reads (its GROUP BYs, quality flags and kiosk.responses.counting's
        # rule), so it never reads answers
        Index("ix_responses_report", "consultation_slug", "submitted_at", "channel", "event_id",
              "device_id", "tracking_code", "started_at", "uuid", "synthetic", "review"),
        Index("ix_responses_synthetic", "consultation_slug", "synthetic"),
        # one consultation's rows in id order (counting after a mark, newest answers, exports)
        Index("ix_responses_consultation_id", "consultation_slug", "id"),
        # a burst's neighbours (kiosk.reports.flags); ix_responses_seconds, on an expression that
        # differs by database, is made by its migration alone
        Index("ix_responses_device_time", "consultation_slug", "device_id", "submitted_at"),
        Index("ix_responses_code_time", "consultation_slug", "tracking_code", "submitted_at"),
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
    sync_state: Mapped[str] = mapped_column(String(10), default=SyncState.QUEUED)
    sync_note: Mapped[str | None] = mapped_column(Text)
    synced_at: Mapped[dt.datetime | None]
    #: made by ``voxbox demo --responses``: left out of a consultation's figures once it has real ones
    synthetic: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: staff review (kiosk.responses.review): None, reviewed or excluded (from results, never deleted)
    review: Mapped[str | None] = mapped_column(String(10))
    review_reason: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[str | None] = mapped_column(String(254))
    reviewed_at: Mapped[dt.datetime | None]


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
