"""Scans of a placement's QR code and starts of a consultation page, counted without IP addresses.

A scan row holds the time, the code, the consultation it was sent to, a coarse device class
guessed from the User-Agent and whether this browser had scanned the code before (a cookie holding
only the codes scanned, never an identifier). A start row is written the first time a browser opens
a consultation's page, so reports can show scans → started → completed per placement.
"""

from __future__ import annotations

import datetime as dt
import re
import threading

from flask import current_app
from sqlalchemy import Index, String, create_engine, event, insert, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, mapped_column

from .db import db
from .timeutil import utcnow

STAGES = ("scan", "start")
DEVICE_CLASSES = ("phone", "tablet", "desktop", "other")
#: Cookie names; values are short lists of codes (and slugs), nothing that identifies a person.
SCANNED_COOKIE = "vx_scanned"
STARTED_COOKIE = "vx_started"
COOKIE_MAX_AGE = 180 * 86400
MAX_REMEMBERED = 30

_BOT = re.compile(r"bot|crawl|spider|slurp|preview|curl|wget|python|httpclient|okhttp", re.I)
_TABLET = re.compile(r"ipad|tablet|kindle|silk|playbook|android(?!.*mobile)", re.I)
_PHONE = re.compile(r"mobi|iphone|ipod|android|windows phone|blackberry|opera mini", re.I)
_DESKTOP = re.compile(r"windows nt|macintosh|x11|cros|linux x86_64", re.I)
_ENGINE_LOCK = threading.Lock()
_TOKEN = re.compile(r"^[a-z0-9-]{0,63}_?[A-Z0-9]{0,16}$")


class Scan(db.Model):
    """One counted scan (stage ``scan``) or first opening of a consultation page (``start``)."""

    __tablename__ = "scans"
    __table_args__ = (
        Index("ix_scans_consultation_at", "consultation_slug", "at"),
        Index("ix_scans_code", "code"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    stage: Mapped[str] = mapped_column(String(5))
    code: Mapped[str | None] = mapped_column(String(16))
    consultation_slug: Mapped[str] = mapped_column(String(63))
    device: Mapped[str] = mapped_column(String(7))
    first: Mapped[bool] = mapped_column(default=True)


def device_class(user_agent: str | None) -> str:
    """A coarse device class from a User-Agent: phone, tablet, desktop or other (bots, unknown)."""
    ua = user_agent or ""
    if not ua or _BOT.search(ua):
        return "other"
    if _TABLET.search(ua):
        return "tablet"
    if _PHONE.search(ua):
        return "phone"
    if _DESKTOP.search(ua):
        return "desktop"
    return "other"


def remembered(cookie: str | None) -> list[str]:
    """The tokens a visitor's cookie holds (malformed ones dropped)."""
    if not cookie:
        return []
    return [t for t in cookie.split(".")[-MAX_REMEMBERED:] if t and _TOKEN.match(t)]


def remember(tokens: list[str], token: str) -> str:
    """The cookie value with one more token, oldest dropped beyond the limit."""
    kept = [t for t in tokens if t != token] + [token]
    return ".".join(kept[-MAX_REMEMBERED:])


def _relaxed_sqlite(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


def counter_engine() -> Engine:
    """The app's engine for scan rows: the same database, but commits that do not wait for the
    disk (SQLite WAL synchronous=NORMAL, PostgreSQL synchronous_commit=off). A power cut may
    lose the last moment's scans, never a response, and never corrupts the database."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    engine = app.extensions.get("voxbox.scans")
    if engine is not None:
        return engine
    with _ENGINE_LOCK:
        if "voxbox.scans" not in app.extensions:
            url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
            if url.get_backend_name() == "sqlite":
                engine = create_engine(url)
                event.listen(engine, "connect", _relaxed_sqlite)
            else:
                engine = create_engine(url, pool_pre_ping=True,
                                       connect_args={"options": "-c synchronous_commit=off"})
            app.extensions["voxbox.scans"] = engine
    return app.extensions["voxbox.scans"]


def record(stage: str, consultation_slug: str, code: str | None, device: str, first: bool) -> None:
    """Store one scan or start: a single INSERT, committed at once on the counter engine."""
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {', '.join(STAGES)}")
    with counter_engine().begin() as conn:
        conn.execute(insert(Scan), [{
            "at": utcnow(), "stage": stage, "code": code, "consultation_slug": consultation_slug,
            "device": device if device in DEVICE_CLASSES else "other", "first": first,
        }])


def start_token(slug: str, code: str | None) -> str:
    """The cookie token marking that this browser has opened slug (from code) before."""
    return f"{slug}_{code or ''}"
