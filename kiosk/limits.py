"""Rate limits (Flask-Limiter) on the forms a stranger on the internet can hammer.

Only the hub's public forms are limited, by client address: staff sign-in, device enrollment,
answers and prize-draw entries from phones. Kiosk pages are never limited by address (every
resident at a stall shares the tablet's); the kiosk's staff PIN has its own growing lock-outs.
"""

from __future__ import annotations

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


def init_app(app: Flask) -> None:
    """Bind the limiter (a 429 gets the error page, or the API's JSON error)."""
    limiter.init_app(app)
