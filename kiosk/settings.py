"""Default configuration; override in instance/config.py or with VOXBOX_* variables."""

from __future__ import annotations

import os
import re

from flask import Flask

#: ``kiosk`` (a tablet at events, often offline) or ``hub`` (central, online).
ROLE = "hub"
#: Any SQLAlchemy URL; empty means SQLite ``voxbox.db`` in the instance folder.
DATABASE_URL = ""
#: The hub's public base URL, used in links, QR codes and feeds.
PUBLIC_URL = "http://127.0.0.1:5000"
#: Hub: run retention (purge) from inside the serving process this often, once across all
#: workers; 0 turns the schedule off (then run `voxbox purge` from cron).
PURGE_INTERVAL_HOURS = 24.0
#: Hub: count newly settled responses and scans into each consultation's kept tallies this often,
#: so a staff page after a big sync has little left to count; 0 turns it off (pages still count).
TALLY_INTERVAL_SECONDS = 60.0
#: Roles that must sign in with a TOTP code as well as a password (e.g. ["admin", "officer"]).
TOTP_REQUIRED_ROLES: list[str] = []
#: Folder where backups land (voxbox doctor reports the newest file's age); empty: not checked.
BACKUP_DIR = ""
#: Let a lab hub print posters, feeds and enrollment codes while PUBLIC_URL is loopback or http.
ALLOW_INSECURE_URL = False
#: Kiosk staff PIN (kiosk role); empty means one is generated into the instance folder.
STAFF_PIN = ""
#: Seconds without a touch before the kiosk asks "Still there?".
IDLE_SECONDS = 60
#: Seconds the "Still there?" countdown runs before the kiosk resets (WCAG 2.2.1: at least 20).
IDLE_COUNTDOWN_SECONDS = 20
#: On a bilingual kiosk, show Welsh first in the headings that carry both languages.
WELSH_FIRST = False
#: The public body's name, shown to residents in the header, titles, error pages, kiosk and feeds.
ORG_NAME = ""
#: The public body's name in Welsh (empty: ORG_NAME in both languages).
ORG_NAME_CY = ""
#: A logo image file (PNG, SVG or JPEG) in the instance folder, shown beside the name.
ORG_LOGO = ""
#: The header colour as #rrggbb (white text on it must pass 4.5:1 contrast; empty: the default navy).
ORG_COLOUR = ""
#: How residents contact the public body (an email address, phone number or postal address).
ORG_CONTACT = ""
#: How to reach the data protection officer (empty: ORG_CONTACT).
ORG_DPO_CONTACT = ""
#: How long responses are kept, in words, for the privacy notice.
RESPONSE_RETENTION = "two years after the consultation closes"
#: The accessibility statement's compliance status: "full", "partial" or "not".
ACCESSIBILITY_STATUS = "partial"
#: Date the accessibility statement was last reviewed (YYYY-MM-DD).
ACCESSIBILITY_REVIEWED = "2026-12-01"
#: Days a phone's "save and come back later" link keeps its answers.
RESUME_DAYS = 7
#: A phone consultation with at least this many questions offers "save and come back later".
RESUME_MIN_QUESTIONS = 5
#: Languages offered; the first is the default.
LANGUAGES = ["en", "cy"]
#: Apply database migrations when the app starts.
AUTO_MIGRATE = True
#: Responses per push batch when syncing a kiosk to the hub.
SYNC_BATCH_SIZE = 500
#: Seconds before a sync HTTP request times out.
SYNC_TIMEOUT = 30
#: Retries of a sync request after a timeout, connection error or 5xx (exponential backoff, jitter).
SYNC_RETRIES = 8
#: Longest wait in seconds between two sync retries.
SYNC_BACKOFF_MAX = 30
#: Seconds a device enrollment code stays valid (it is also single use).
ENROLLMENT_CODE_TTL = 86400
#: Kiosk partial answers older than this many seconds are discarded.
DRAFT_MAX_AGE = 1800
#: Hub: prize-draw entries made on its own pages wait until this many can move to the draw together,
#: in a random order (each is then one of this many to anyone reading the database).
DRAW_ENTRY_BATCH = 20
#: Days after a prize draw closes before its entries are deleted if it was never made.
UNDRAWN_DRAW_DAYS = 90
#: Milliseconds SQLite waits on a locked database before failing.
SQLITE_BUSY_TIMEOUT_MS = 5000
#: Seconds between batched writes of QR scan counts (0: write each scan at once).
SCAN_FLUSH_SECONDS = 0.2
#: Reverse proxies in front of the hub whose X-Forwarded-For/-Proto/-Host headers to trust.
PROXY_HOPS = 0
#: Staff sign-in and device enrollment attempts allowed per client address (Flask-Limiter syntax).
LIMIT_SIGN_IN = "10 per minute; 100 per day"
#: Answers and prize-draw entries allowed per client address from phones.
LIMIT_SUBMIT = "30 per minute"
#: Seconds a hub process remembers where a QR code points (0: look it up on every scan).
SCAN_CACHE_SECONDS = 5.0
#: PostgreSQL: seconds to wait for a connection to open (libpq ``connect_timeout``).
DB_CONNECT_TIMEOUT = 3
#: PostgreSQL: milliseconds unacknowledged data may wait before the connection is dropped
#: (``tcp_user_timeout``; keepalives probe idle connections on the same scale).
DB_TCP_USER_TIMEOUT_MS = 5000
#: PostgreSQL: longest a statement may run, in milliseconds (``statement_timeout``).
DB_STATEMENT_TIMEOUT_MS = 15000
#: PostgreSQL: longest a statement waits for a lock, in milliseconds (``lock_timeout``).
DB_LOCK_TIMEOUT_MS = 5000
#: Seconds a request waits for a free pooled database connection before a 503.
DB_POOL_TIMEOUT = 5
#: Seconds ``voxbox serve`` keeps an idle or stuck client connection open (waitress ``channel_timeout``).
SERVER_CHANNEL_TIMEOUT = 30
#: Kiosk: below this many MB free on its disk it takes no new residents (room is kept for sync).
KIOSK_MIN_FREE_MB = 5.0
#: Hub: the devices page flags a kiosk with responses queued that has not synced for this many hours.
KIOSK_STALE_HOURS = 24.0
#: Equality answers: any count under this is shown as "fewer than N" except to officers.
SMALL_CELL_THRESHOLD = 10
#: Flask-Limiter storage; memory is fine for a kiosk and a single-process hub.
RATELIMIT_STORAGE_URI = "memory://"

#: Largest request body the app reads at all, in bytes (sync bodies have smaller caps of their own).
MAX_CONTENT_LENGTH = 16 * 1024 * 1024
#: Set by ``voxbox serve --demo``: the hub then serves the kiosk pages to anyone, as a
#: demonstration. Otherwise a hub serves them only to signed-in staff (assisted entry).
DEMO = False
#: Seconds a sign-in (and any session cookie) lasts; sign-out ends it at once.
PERMANENT_SESSION_LIFETIME = 12 * 3600

SQLALCHEMY_ENGINE_OPTIONS: dict = {}
WTF_CSRF_TIME_LIMIT = None
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
BABEL_DEFAULT_LOCALE = "en"
BABEL_DEFAULT_TIMEZONE = "Europe/London"


def finalise(app: Flask) -> None:
    """Derive settings that depend on others (database URI, role checks)."""
    cfg = app.config
    if cfg["ROLE"] not in ("kiosk", "hub"):
        raise ValueError(f"ROLE must be 'kiosk' or 'hub', not {cfg['ROLE']!r}")
    url = cfg.get("DATABASE_URL") or "sqlite:///" + os.path.join(app.instance_path, "voxbox.db")
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    cfg["SQLALCHEMY_DATABASE_URI"] = url
    for key in ("DB_CONNECT_TIMEOUT", "DB_TCP_USER_TIMEOUT_MS", "DB_STATEMENT_TIMEOUT_MS",
                "DB_LOCK_TIMEOUT_MS"):
        cfg[key] = int(cfg[key])
    for key in ("DB_POOL_TIMEOUT", "SERVER_CHANNEL_TIMEOUT", "KIOSK_MIN_FREE_MB",
                "KIOSK_STALE_HOURS"):
        cfg[key] = float(cfg[key])
    cfg["SQLALCHEMY_ENGINE_OPTIONS"] = {**engine_options(cfg), **cfg["SQLALCHEMY_ENGINE_OPTIONS"]}
    cfg["PUBLIC_URL"] = cfg["PUBLIC_URL"].rstrip("/")
    if cfg["PUBLIC_URL"].startswith("https://"):  # cookies never travel over plain HTTP
        cfg["SESSION_COOKIE_SECURE"] = cfg["REMEMBER_COOKIE_SECURE"] = True
    cfg["REMEMBER_COOKIE_HTTPONLY"] = True
    for key in ("SYNC_RETRIES", "ENROLLMENT_CODE_TTL"):
        cfg[key] = int(cfg[key])
    for key in ("SYNC_TIMEOUT", "SYNC_BACKOFF_MAX"):
        cfg[key] = float(cfg[key])
    colour = cfg["ORG_COLOUR"]
    if colour and not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        raise ValueError(f"ORG_COLOUR must be #rrggbb, not {colour!r}")
    if cfg["ACCESSIBILITY_STATUS"] not in ("full", "partial", "not"):
        raise ValueError("ACCESSIBILITY_STATUS must be 'full', 'partial' or 'not'")
    for key in ("RESUME_DAYS", "RESUME_MIN_QUESTIONS", "PROXY_HOPS", "IDLE_SECONDS", "IDLE_COUNTDOWN_SECONDS", "SYNC_BATCH_SIZE",
                "DRAFT_MAX_AGE", "UNDRAWN_DRAW_DAYS", "DRAW_ENTRY_BATCH", "MAX_CONTENT_LENGTH"):
        cfg[key] = int(cfg[key])
    if int(cfg["SMALL_CELL_THRESHOLD"]) < 1:
        raise ValueError("SMALL_CELL_THRESHOLD must be a whole number of at least 1")
    cfg["SMALL_CELL_THRESHOLD"] = int(cfg["SMALL_CELL_THRESHOLD"])


def engine_options(cfg: dict) -> dict:
    """Engine options that bound every wait on a PostgreSQL server (none for SQLite): a dead pooled
    connection is noticed before use, a black-holed one is dropped by the kernel after
    ``tcp_user_timeout``, and no statement or lock wait outlives its timeout."""
    if not str(cfg["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        return {}  # SQLite: nothing to bound, and no need to import SQLAlchemy to say so
    from sqlalchemy import make_url

    url = make_url(cfg["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "postgresql":
        return {}
    idle = max(1, cfg["DB_TCP_USER_TIMEOUT_MS"] // 2000)
    server = (f"-c statement_timeout={cfg['DB_STATEMENT_TIMEOUT_MS']} "
              f"-c lock_timeout={cfg['DB_LOCK_TIMEOUT_MS']}")
    # libpq takes one "options" string: keep the URL's own (a search_path, say) and add ours.
    own = url.query.get("options") or ""  # a tuple when the URL repeats it
    options = " ".join(filter(None, [*([own] if isinstance(own, str) else own), server]))
    return {
        "pool_pre_ping": True,
        "pool_timeout": cfg["DB_POOL_TIMEOUT"],
        "connect_args": {
            "connect_timeout": cfg["DB_CONNECT_TIMEOUT"], "options": options,
            # read by kiosk.core.db_waits: how long to wait for any answer (pre-ping, then real work)
            "voxbox_ping_timeout": cfg["DB_CONNECT_TIMEOUT"],
            "voxbox_answer_timeout": cfg["DB_STATEMENT_TIMEOUT_MS"] / 1000 + cfg["DB_CONNECT_TIMEOUT"],
            "keepalives": 1, "keepalives_idle": idle, "keepalives_interval": idle,
            "keepalives_count": 2, "tcp_user_timeout": cfg["DB_TCP_USER_TIMEOUT_MS"],
        },
    }
