"""Tables: Consultations and their versions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.core.db import db
from kiosk.core.states import ConsultationStatus
from kiosk.core.timeutil import utcnow


class Consultation(db.Model):
    """A consultation; its answerable content lives in versioned definitions."""

    __tablename__ = "consultations"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    status: Mapped[str] = mapped_column(String(10), default=ConsultationStatus.DRAFT)
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


class ResultsPublication(db.Model):
    """A consultation's "we asked, you said, we did": bilingual text, the charts and quotes chosen,
    and the day the public page starts showing it."""

    __tablename__ = "results_publications"
    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_slug: Mapped[str] = mapped_column(String(63), unique=True)
    we_asked: Mapped[dict] = mapped_column(JSON, default=dict)
    you_said: Mapped[dict] = mapped_column(JSON, default=dict)
    we_did: Mapped[dict] = mapped_column(JSON, default=dict)
    #: the charts to publish, by name (kiosk.consultations.results.CHARTS)
    charts: Mapped[list] = mapped_column(JSON, default=list)
    #: quotes by reference, never copied: [{"response": uuid, "question": id}]
    quotes: Mapped[list] = mapped_column(JSON, default=list)
    publish_on: Mapped[dt.date | None]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(254), default="")
