"""Scheduled jobs inside the serving process: retention (purge) every PURGE_INTERVAL_HOURS, and
counting settled responses into the kept tallies every TALLY_INTERVAL_SECONDS.

Every worker of a hub runs the loop, but one purge runs per interval across them all: a worker
takes a lock (a lock file in the instance folder, which every worker on the machine shares, and on
PostgreSQL an advisory lock, which every machine shares), re-reads when purge last ran, and runs it
only if the interval has passed. ``voxbox purge`` from cron does the same work at any time, and
``voxbox doctor`` reports the last run.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from sqlalchemy import text

from kiosk.core.db import db
from kiosk.core.stored_settings import get_setting
from kiosk.core.timeutil import utcnow
from kiosk.draws import retention

log = logging.getLogger(__name__)
#: The advisory lock id for the purge job on PostgreSQL (any fixed number, unlike the migration's).
PURGE_LOCK_ID = 0x766F78707572  # "voxpur"


def due(app: Flask, now: dt.datetime | None = None) -> bool:
    """Whether purge has not run for PURGE_INTERVAL_HOURS."""
    last = get_setting(retention.LAST_PURGE)
    if not last:
        return True
    hours = float(app.config["PURGE_INTERVAL_HOURS"])
    return (now or utcnow()) - dt.datetime.fromisoformat(last) >= dt.timedelta(hours=hours)


@contextmanager
def _one_runner(app: Flask) -> Iterator[bool]:
    """True for the one process that may run the job now, False for the others."""
    with open(Path(app.instance_path) / "purge.lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            if db.engine.dialect.name != "postgresql":
                yield True
                return
            with db.engine.connect() as conn:
                got = conn.execute(text("SELECT pg_try_advisory_lock(:id)"), {"id": PURGE_LOCK_ID}).scalar()
                try:
                    yield bool(got)
                finally:
                    if got:
                        conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": PURGE_LOCK_ID})
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_if_due(app: Flask) -> bool:
    """Run purge if it is due and no other process is running it; True if this call ran it."""
    with app.app_context():
        with _one_runner(app) as mine:
            if not mine or not due(app):
                db.session.rollback()
                return False
            retention.purge(app)
            return True


def start(app: Flask) -> threading.Thread | None:
    """Start the scheduler thread of this process (hub only; off with PURGE_INTERVAL_HOURS = 0)."""
    hours = float(app.config["PURGE_INTERVAL_HOURS"])
    if hours <= 0 or app.config["ROLE"] != "hub":
        return None
    period = min(hours * 3600 / 4, 600.0)  # look often enough to run within a quarter interval

    def loop() -> None:
        stop = threading.Event()
        while not stop.wait(period * random.uniform(0.8, 1.2)):  # noqa: S311 - jitter, not security
            try:
                if run_if_due(app):
                    log.info("scheduled purge ran")
            except Exception:  # a failed run is retried at the next look; the server keeps serving
                log.exception("scheduled purge failed")

    thread = threading.Thread(target=loop, name="voxbox-schedule", daemon=True)
    thread.start()
    return thread


def count_all(app: Flask) -> int:
    """Count settled responses and scans of every consultation into the kept tallies (any worker
    may: two counting at once never count a row twice); how many consultations were looked at."""
    from kiosk.consultations import store as consultations
    from kiosk.reports import kept

    with app.app_context():
        slugs = [c.slug for c in consultations.all_consultations()]
        for slug in slugs:
            kept.catch_up(slug)
        return len(slugs)


def start_counting(app: Flask) -> threading.Thread | None:
    """Start this process's tally-counting thread (hub only; off with TALLY_INTERVAL_SECONDS = 0)."""
    seconds = float(app.config["TALLY_INTERVAL_SECONDS"])
    if seconds <= 0 or app.config["ROLE"] != "hub":
        return None

    def loop() -> None:
        stop = threading.Event()
        while not stop.wait(seconds * random.uniform(0.8, 1.2)):  # noqa: S311 - jitter, not security
            try:
                count_all(app)
            except Exception:  # retried at the next look; the server keeps serving
                log.exception("counting tallies failed")

    thread = threading.Thread(target=loop, name="voxbox-tallies", daemon=True)
    thread.start()
    return thread
