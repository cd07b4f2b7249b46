"""Rate limits (Flask-Limiter) on the forms a stranger on the internet can hammer.

Only the hub's public forms are limited, by client address: staff sign-in, device enrollment,
answers and prize-draw entries from phones. Kiosk pages are never limited by address (every
resident at a stall shares the tablet's); the kiosk's staff PIN has its own growing lock-outs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)


def _configured(key: str) -> Callable[[], str]:
    return lambda: current_app.config[key]


#: Staff sign-in and device enrollment: guessing passwords or codes.
sign_in = limiter.limit(_configured("LIMIT_SIGN_IN"), methods=["POST"])
#: Answers and prize-draw entries sent from phones.
submit = limiter.limit(_configured("LIMIT_SUBMIT"), methods=["POST"])
#: The kiosk pages' prize-draw entries when a hub serves them (a tablet's own are never limited).
hub_only_submit = limiter.limit(_configured("LIMIT_SUBMIT"), methods=["POST"],
                                exempt_when=lambda: current_app.config["ROLE"] != "hub")


def worker_processes(argv: list[str] | None = None, environ: dict[str, str] | None = None) -> int:
    """How many processes serve this app, as far as the start-up tells: gunicorn's -w/--workers
    or WEB_CONCURRENCY (which gunicorn also reads); 1 when nothing says."""
    argv = sys.argv if argv is None else argv
    environ = dict(os.environ) if environ is None else environ
    found = environ.get("WEB_CONCURRENCY", "")
    if argv and "gunicorn" in os.path.basename(argv[0]):
        for i, arg in enumerate(argv):
            if arg in ("-w", "--workers") and i + 1 < len(argv):
                found = argv[i + 1]
            elif arg.startswith("--workers="):
                found = arg.partition("=")[2]
            elif arg.startswith("-w") and arg[2:].isdigit():
                found = arg[2:]
    return int(found) if found.strip().isdigit() else 1


def per_process_warning(role: str, storage: str, workers: int, enabled: bool = True) -> str | None:
    """The start-up warning when a hub's limits are kept in memory by several processes, or None."""
    if role != "hub" or not enabled or workers < 2 or not storage.startswith("memory://"):
        return None
    return (f"rate limits use memory:// with {workers} worker processes: each counts on its own, "
            f"so a client gets {workers} times the limit. Set RATELIMIT_STORAGE_URI to a shared "
            "store, e.g. redis://127.0.0.1:6379")


def init_app(app: Flask) -> None:
    """Bind the limiter (a 429 gets the error page, or the API's JSON error); warn when limits
    kept in memory would be counted separately by several worker processes."""
    limiter.init_app(app)
    warning = per_process_warning(app.config["ROLE"],
                                  str(app.config.get("RATELIMIT_STORAGE_URI", "memory://")),
                                  worker_processes(), bool(app.config.get("RATELIMIT_ENABLED", True)))
    if warning:
        app.logger.warning(warning)
