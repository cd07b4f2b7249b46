"""Tables: free-text answers, themes, tags, theme suggestions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.core.db import db
from kiosk.core.timeutil import utcnow

#: The longest theme name, in either language.
THEME_NAME_MAX = 120


class TextAnswer(db.Model):
    """One free-text answer (or "Other, please say" text) of one response, with what filters it.

    Copied from the response when it is stored (responses never change, so the copy never goes
    stale), except that a redaction rewrites both. ``question_id`` is the answer's key in the
    response: a text question's id, or ``<id>.other``.
    """

    __tablename__ = "text_answers"
    __table_args__ = (
        UniqueConstraint("response_id", "question_id"),
        Index("ix_text_answers_consultation", "consultation_slug", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"))
    consultation_slug: Mapped[str] = mapped_column(String(63))
    version: Mapped[int]
    question_id: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(5))
    channel: Mapped[str] = mapped_column(String(10))
    event_id: Mapped[str | None] = mapped_column(String(36))
    tracking_code: Mapped[str | None] = mapped_column(String(16))
    area: Mapped[str | None] = mapped_column(String(32))
    submitted_at: Mapped[dt.datetime]
    redacted_at: Mapped[dt.datetime | None]
    #: Kept out of published quotes (the results editor reads ``redaction.quotable``).
    hidden_from_quotes: Mapped[bool] = mapped_column(default=False)


class Theme(db.Model):
    """One entry of a consultation's codebook, named in English and Welsh."""

    __tablename__ = "themes"
    __table_args__ = (UniqueConstraint("consultation_slug", "name_en"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_slug: Mapped[str] = mapped_column(String(63))
    name_en: Mapped[str] = mapped_column(String(THEME_NAME_MAX))
    name_cy: Mapped[str] = mapped_column(String(THEME_NAME_MAX))
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AnswerTheme(db.Model):
    """A theme given to an answer (an answer may have many)."""

    __tablename__ = "answer_themes"
    __table_args__ = (Index("ix_answer_themes_theme", "theme_id", "answer_id"),)
    answer_id: Mapped[int] = mapped_column(ForeignKey("text_answers.id", ondelete="CASCADE"),
                                           primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True)


class ThemeSuggestion(db.Model):
    """A cluster of answers the hub found, waiting for a person to confirm it as a theme."""

    __tablename__ = "theme_suggestions"
    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_slug: Mapped[str] = mapped_column(String(63))
    terms: Mapped[list] = mapped_column(JSON)
    answer_ids: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class TextIndexed(db.Model):
    """A consultation whose responses stored before this feature have been copied in."""

    __tablename__ = "text_indexed"
    consultation_slug: Mapped[str] = mapped_column(String(63), primary_key=True)
    indexed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
