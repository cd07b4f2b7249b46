"""Tables: the counted answer tokens behind each consultation's tallies, and how far they reach."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.core.db import db


class TallyAtom(db.Model):
    """How many settled responses to one version gave one answer token (kiosk.reports.tallies)."""

    __tablename__ = "tally_atoms"
    __table_args__ = (UniqueConstraint("consultation_slug", "version", "question_id", "atom"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_slug: Mapped[str] = mapped_column(String(63))
    version: Mapped[int]
    #: the question's id, or "" for counts of whole responses
    question_id: Mapped[str] = mapped_column(String(80))
    #: the token as JSON text (a string, a number or a list)
    atom: Mapped[str] = mapped_column(Text)
    n: Mapped[int] = mapped_column(BigInteger)


class TallyMark(db.Model):
    """The last response id counted into a consultation's tally atoms."""

    __tablename__ = "tally_marks"
    #: a consultation slug (its responses), or "#scans:" and the slug (its scans)
    consultation_slug: Mapped[str] = mapped_column(String(80), primary_key=True)
    last_id: Mapped[int] = mapped_column(BigInteger)
    folded_at: Mapped[dt.datetime]
