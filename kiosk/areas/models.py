"""Tables: Areas and the postcode-to-area keys."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import JSON

from kiosk.core.db import db


class Area(db.Model):
    """An area answers are counted by: its code and bilingual name."""

    __tablename__ = "areas"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[dict] = mapped_column(JSON)


class AreaKey(db.Model):
    """One line of the lookup table: a district, a sector, or a full postcode's digest."""

    __tablename__ = "area_keys"
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code"))
