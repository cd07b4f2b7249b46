"""Scans of a placement's QR code and starts of a consultation page, counted without IP addresses.

A scan row holds the time, the code, the consultation it was sent to, a coarse device class
guessed from the User-Agent and whether this browser had scanned the code before (a cookie holding
only the codes scanned, never an identifier). A start row is written the first time a browser opens
a consultation's page, so reports can show scans → started → completed per placement.
"""

from __future__ import annotations

import atexit
import logging
import os
import re
import threading
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import create_engine, event, make_url
from sqlalchemy.engine import Engine

from kiosk.core.db import dialect_insert
from kiosk.core.timeutil import utcnow
from kiosk.outreach.models import Scan
from kiosk.outreach.tracking import HOLDING

if TYPE_CHECKING:
    import sqlite3

    from sqlalchemy.pool import ConnectionPoolEntry

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
log = logging.getLogger("voxbox.scans")
_TOKEN = re.compile(r"^[a-z0-9-]{0,63}_?[A-Z0-9]{0,16}$")


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


def _relaxed_sqlite(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


def counter_engine() -> Engine:
    """The app's engine for scan rows: the same database, but commits that do not wait for the
    disk (SQLite WAL synchronous=NORMAL, PostgreSQL synchronous_commit=off). A power cut may
    lose the last moment's scans, never a response, and never corrupts the database."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is typed as Flask, not its proxy
    engine = app.extensions.get("voxbox.scans")
    if engine is not None:
        return engine
    with _ENGINE_LOCK:
        if "voxbox.scans" not in app.extensions:
            url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
            if url.get_backend_name() == "sqlite":
                engine = create_engine(url)
                event.listen(engine, "connect", _relaxed_sqlite)
            else:  # the app's bounded waits (and the URL's own options), plus the relaxed commit
                options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
                connect = dict(options.get("connect_args") or {})
                own = connect.get("options") or url.query.get("options") or ""  # a URL may repeat it
                connect["options"] = " ".join(filter(None, [
                    *([own] if isinstance(own, str) else own), "-c synchronous_commit=off"]))
                engine = create_engine(url, **{**options, "connect_args": connect})
            app.extensions["voxbox.scans"] = engine
    return app.extensions["voxbox.scans"]


def record(stage: str, consultation_slug: str, code: str | None, device: str, first: bool) -> None:
    """Store one scan or start: a single INSERT, committed at once on the counter engine."""
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {', '.join(STAGES)}")
    _insert_once(counter_engine(), [{
        "at": utcnow(), "stage": stage, "code": code, "consultation_slug": consultation_slug,
        "device": device if device in DEVICE_CLASSES else "other", "first": first,
        "key": new_key(),
    }])


def new_key() -> str:
    """A unique key for one counted scan or start."""
    return uuid.uuid4().hex


def _insert_once(engine: Engine, rows: list[dict]) -> None:
    """Insert scan rows in one transaction, skipping any whose key is already stored: a retry
    after a lost COMMIT acknowledgement adds nothing twice."""
    with engine.begin() as conn:
        conn.execute(dialect_insert(Scan, conn).on_conflict_do_nothing(index_elements=["key"]), rows)


# a retired code's scans land on the holding page (and are counted like any other)
_LIVE_CODE = (f"SELECT CASE WHEN retired THEN '{HOLDING}' ELSE consultation_slug END"
              " FROM tracking_codes WHERE code = {}")


def count_scan(code: str, device: str, first: bool) -> str | None:
    """Count a scan of a known code and return where it sends the resident: a consultation's
    slug, or tracking.HOLDING for the holding page (a retired code, or a code pointed there).
    None for an unknown code (nothing counted). The target comes only from the hub's own table."""
    slug = live_codes().target(code)
    if slug is not None:
        buffer().add({"at": utcnow(), "stage": "scan", "code": code, "consultation_slug": slug,
                      "device": device if device in DEVICE_CLASSES else "other", "first": first,
                      "key": new_key()})
    return slug


def _lookup(code: str) -> str | None:
    engine = counter_engine()
    mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
    with engine.connect() as conn:  # driver SQL: no statement to compile on the hot path
        return conn.exec_driver_sql(_LIVE_CODE.format(mark), (code,)).scalar()


class LiveCodes:
    """Where each live code points, remembered for a few seconds in each process.

    A poster's code is scanned again and again; its target changes only when staff re-point it.
    So a scan reads the table once per code every ``seconds`` (re-pointing in this process
    forgets at once; other worker processes follow within ``seconds``). Unknown codes are never
    remembered, so a flood of made-up codes cannot fill the memory.
    """

    LIMIT = 10_000

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds, self.clock = seconds, clock
        self.known: dict[str, tuple[str, float]] = {}

    def target(self, code: str) -> str | None:
        """Where a known code points (a slug or the holding page), or None for an unknown code."""
        now = self.clock()
        hit = self.known.get(code)
        if hit is not None and hit[1] > now:
            return hit[0]
        slug = _lookup(code)
        if slug is None:
            self.known.pop(code, None)
        elif self.seconds > 0:
            if len(self.known) >= self.LIMIT:
                self.known.clear()
            self.known[code] = (slug, now + self.seconds)
        return slug

    def forget(self, code: str) -> None:
        """Drop what this process remembers of a code (after it is re-pointed or retired)."""
        self.known.pop(code, None)


def live_codes() -> LiveCodes:
    """This app's remembered code targets."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is typed as Flask, not its proxy
    found = app.extensions.get("voxbox.live_codes")
    if found is None:
        found = app.extensions.setdefault(
            "voxbox.live_codes", LiveCodes(float(app.config["SCAN_CACHE_SECONDS"])))
    return found


class ScanBuffer:
    """Scans waiting to be stored: requests append, one thread per process writes them in batches.

    A scan is a counter, not a resident's answer, so the redirect does not wait for its write:
    scans are stored every ``interval`` seconds in one transaction (at once when the interval is
    0), and at exit. A crash loses at most the scans of the last ``interval`` (plus any batch kept
    for a retry while the database was away); nothing else waits on them. Each scan carries its
    own key, so a batch retried after its COMMIT's answer was lost is stored once.
    """

    def __init__(self, engine: Engine, interval: float) -> None:
        self.engine, self.interval = engine, interval
        self.rows: list[dict] = []
        self.lock = threading.Lock()  # guards rows
        self.writing = threading.Lock()  # one batch at a time, in order
        self.pid = os.getpid()
        self.thread: threading.Thread | None = None
        atexit.register(self.flush)

    def add(self, row: dict) -> None:
        """Queue one scan row (and start the writer thread in this process if needed)."""
        if self.interval <= 0:
            self._write([row])
            return
        with self.lock:
            if self.pid != os.getpid():  # a forked worker: the parent writes its own rows
                self.pid, self.rows, self.thread = os.getpid(), [], None
            self.rows.append(row)
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="voxbox-scans", daemon=True)
                self.thread.start()

    def flush(self) -> int:
        """Store every queued scan now; returns how many were written."""
        with self.writing:
            with self.lock:
                rows, self.rows = self.rows, []
            if rows:
                try:
                    self._write(rows)
                except Exception:
                    with self.lock:
                        self.rows[:0] = rows  # keep them for the next try
                    raise
            return len(rows)

    def _write(self, rows: list[dict]) -> None:
        _insert_once(self.engine, rows)

    def _run(self) -> None:
        while True:
            time.sleep(self.interval)
            try:
                self.flush()
            except Exception:  # the database is busy or away: the rows wait for the next round
                log.exception("storing scans failed; retrying in %.1f s", self.interval)


def buffer() -> ScanBuffer:
    """This app's scan buffer."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is typed as Flask, not its proxy
    found = app.extensions.get("voxbox.scan_buffer")
    if found is None:
        with _ENGINE_LOCK:
            found = app.extensions.setdefault(
                "voxbox.scan_buffer",
                ScanBuffer(counter_engine(), float(app.config["SCAN_FLUSH_SECONDS"])))
    return found


def flush() -> int:
    """Store this process's queued scans now (reports call this before they count)."""
    found = current_app.extensions.get("voxbox.scan_buffer")
    return found.flush() if found is not None else 0


def start_token(slug: str, code: str | None) -> str:
    """The cookie token marking that this browser has opened slug (from code) before."""
    return f"{slug}_{code or ''}"
