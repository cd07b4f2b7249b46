"""Staff accounts managed in the browser: invitations and password-reset links (one use, expiring),
and optional TOTP two-factor sign-in. Links are shown to the admin to pass on (voxbox sends no mail);
only a SHA-256 of each link's token is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import pyotp
from sqlalchemy import select

from kiosk.core import auth
from kiosk.core.db import db
from kiosk.core.models import AccountToken, User
from kiosk.core.timeutil import utcnow

INVITE, RESET = "invite", "reset"
#: How long a link works.
LIFETIME = {INVITE: dt.timedelta(days=7), RESET: dt.timedelta(hours=24)}


class LinkError(ValueError):
    """A link that is unknown, used or expired; the message says which."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _link(user: User, purpose: str) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(AccountToken(user_id=user.id, purpose=purpose, token_hash=_digest(token),
                                expires_at=utcnow() + LIFETIME[purpose]))
    db.session.commit()
    return token


def invite(email: str, name: str, role: str) -> tuple[User, str]:
    """Create an account that cannot sign in until its invitation's password is set; the token."""
    user = auth.create_user(email, name or email, secrets.token_urlsafe(32), role)
    return user, _link(user, INVITE)


def reset_link(user_id: int) -> str:
    """A one-time password-reset token for an account (earlier unused ones stop working)."""
    user = db.session.get(User, user_id)
    if user is None:
        raise ValueError(f"no user with id {user_id}")
    for old in db.session.execute(select(AccountToken).filter_by(user_id=user_id, used_at=None)).scalars():
        old.used_at = utcnow()
    return _link(user, RESET)


def check_link(token: str) -> tuple[AccountToken, User]:
    """The live token and its account, or LinkError."""
    row = db.session.execute(select(AccountToken).filter_by(token_hash=_digest(token or ""))).scalar_one_or_none()
    if row is None:
        raise LinkError("This link is not recognised.")
    if row.used_at is not None:
        raise LinkError("This link has already been used.")
    if utcnow() >= row.expires_at:
        raise LinkError("This link has expired: ask an admin for a new one.")
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        raise LinkError("This account is disabled.")
    return row, user


def use_link(token: str, password: str) -> User:
    """Set the password through a link, once; every session of the account ends."""
    row, user = check_link(token)
    auth.change_password(user.id, password)  # validates length, bumps the session version
    row.used_at = utcnow()
    db.session.commit()
    return user


def new_totp_secret() -> str:
    """A fresh base32 secret for an authenticator app."""
    return pyotp.random_base32()


def totp_uri(secret: str, email: str, issuer: str) -> str:
    """The otpauth:// URI an authenticator app scans."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer or "voxbox")


def totp_ok(secret: str | None, code: str) -> bool:
    """Whether a 6-digit code is right now (one step of clock drift either way)."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if not secret:
        return False
    return len(code) == 6 and pyotp.TOTP(secret).verify(code, valid_window=1)


def set_totp(user_id: int, secret: str | None) -> None:
    """Turn two-factor sign-in on (a confirmed secret) or off (None) for an account."""
    auth.change_user(user_id, totp_secret=secret)

