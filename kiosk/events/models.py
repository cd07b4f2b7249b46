"""Tables: Events: street stalls and meetings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.core.db import db
from kiosk.core.timeutil import utcnow


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
