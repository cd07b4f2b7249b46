"""Tables: Tracking codes, where each sends residents, and scans."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, String, false
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.core.db import db
from kiosk.core.timeutil import utcnow


class TrackingCode(db.Model):
    """A placement's code, pointing at a consultation or the holding page (kiosk.outreach.destinations
    re-points and retires it)."""

    __tablename__ = "tracking_codes"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    consultation_slug: Mapped[str] = mapped_column(String(63))
    kind: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(200))
    location: Mapped[str | None] = mapped_column(String(300))
    retired: Mapped[bool] = mapped_column(default=False)
    #: What this placement's posters cost to print, in pence (None: not given).
    print_cost_pence: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Scan(db.Model):
    """One counted scan (stage ``scan``) or first opening of a consultation page (``start``)."""

    __tablename__ = "scans"
    __table_args__ = (
        Index("ix_scans_consultation_at", "consultation_slug", "at"),
        Index("ix_scans_code", "code"),
        Index("ix_scans_consultation_id", "consultation_slug", "id"),
        Index("ix_scans_report", "consultation_slug", "at", "code", "stage", "device", "first",
              "synthetic"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    stage: Mapped[str] = mapped_column(String(5))
    code: Mapped[str | None] = mapped_column(String(16))
    consultation_slug: Mapped[str] = mapped_column(String(63))
    device: Mapped[str] = mapped_column(String(7))
    first: Mapped[bool] = mapped_column(default=True)
    #: Made when the scan is counted: a batch written twice (its COMMIT's answer lost) stores it once.
    key: Mapped[str | None] = mapped_column(String(32), unique=True)
    #: made by ``voxbox demo --scans``: left out of figures as synthetic responses are
    synthetic: Mapped[bool] = mapped_column(default=False, server_default=false())


class CodeDestination(db.Model):
    """One change of where a code sends residents: from, to, when and who."""

    __tablename__ = "code_destinations"
    __table_args__ = (Index("ix_code_destinations_code", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16))
    from_target: Mapped[str] = mapped_column(String(63))
    #: a consultation slug, the holding page (tracking.HOLDING) or ``retired``
    to_target: Mapped[str] = mapped_column(String(63))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    by: Mapped[str] = mapped_column(String(320))
