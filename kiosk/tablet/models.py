"""Tables: A kiosk's staff PIN lock-outs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.core.db import db


class PinLock(db.Model):
    """Failed staff PIN attempts for one scope and when the current lock-out ends."""

    __tablename__ = "pin_locks"
    scope: Mapped[str] = mapped_column(String(32), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    last_failure_at: Mapped[dt.datetime | None]
