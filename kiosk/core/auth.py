"""Staff sign-in: accounts with hashed passwords on the hub, a PIN on a kiosk."""

from __future__ import annotations

import functools
import hmac
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, abort, current_app
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf import CSRFProtect
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from kiosk.core import private_files
from kiosk.core.db import db
from kiosk.core.models import User

login_manager = LoginManager()
csrf = CSRFProtect()
ROLES = ("staff", "admin", "officer")


class Account(UserMixin):
    """The signed-in person: a hub user, or whoever knows the kiosk PIN."""

    def __init__(self, key: str, name: str, role: str) -> None:
        self.key, self.name, self.role = key, name, role

    def get_id(self) -> str:
        return self.key

    def has_role(self, *roles: str) -> bool:
        """True when this account holds one of the roles (admin holds staff too)."""
        held = {self.role} | ({"staff"} if self.role in ("admin", "officer") else set())
        return bool(held & set(roles))


def init_app(app: Flask) -> None:
    """Wire Flask-Login and CSRF protection."""
    login_manager.init_app(app)
    login_manager.login_view = "staff.login"
    login_manager.login_message = None
    csrf.init_app(app)


@login_manager.user_loader
def _load(key: str) -> Account | None:
    if key == "pin" and current_app.config["ROLE"] == "kiosk":
        return Account("pin", "Kiosk staff", "staff")
    user_id, version = _parse_key(key)
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    # A cookie signed in under an older session version was ended by sign-out, a password
    # change or disabling the account, even if someone kept a copy of it.
    if user and user.active and user.session_version == version:
        return Account(key, user.name, user.role)
    return None


def _account_key(user: User) -> str:
    return f"u:{user.id}:{user.session_version}"


def _parse_key(key: str) -> tuple[int | None, int | None]:
    """(user id, session version) from a session key like ``u:12:3``; (None, None) otherwise."""
    kind, _, rest = key.partition(":")
    user_id, _, version = rest.partition(":")
    if kind != "u" or not user_id.isdigit() or not version.isdigit():
        return None, None
    return int(user_id), int(version)


def user_id_of(account: Any) -> int | None:
    """The hub user id behind a signed-in account (None for the kiosk PIN or anonymous)."""
    return _parse_key(getattr(account, "key", ""))[0]


def role_required(*roles: str) -> Callable:
    """Refuse anyone not signed in (redirect to sign-in) or without one of the roles (403)."""

    def wrap(view: Callable) -> Callable:
        @functools.wraps(view)
        def inner(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return inner

    return wrap


staff_required = role_required("staff")


def create_user(email: str, name: str, password: str, role: str = "staff") -> User:
    """Create a hub account; raise ValueError on a bad role, short password or taken email."""
    email = email.strip().lower()
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if "@" not in email:
        raise ValueError(f"{email!r} is not an email address")
    if len(password) < 10:
        raise ValueError("password must be at least 10 characters")
    if db.session.execute(select(User).filter_by(email=email)).scalar_one_or_none():
        raise ValueError(f"a user with email {email} already exists")
    user = User(email=email, name=name, password_hash=generate_password_hash(password), role=role)
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> Account | None:
    """The account for these credentials, or None; as slow for an unknown email as a wrong password."""
    user = db.session.execute(
        select(User).filter_by(email=email.strip().lower(), active=True)
    ).scalar_one_or_none()
    if user is None:
        # Hash the typed password anyway, so the answer's timing does not say who has an account.
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    return Account(_account_key(user), user.name, user.role)


@functools.cache
def _dummy_hash() -> str:
    """A hash of a random password, made with the same method and cost as real ones."""
    return generate_password_hash(secrets.token_urlsafe(16))


def end_sessions(user_id: int) -> None:
    """End every session of a user, on every browser (a copied cookie included)."""
    user = db.session.get(User, user_id)
    if user is not None:
        user.session_version += 1
        db.session.commit()


def change_password(user_id: int, password: str) -> None:
    """Set a new password and end every session of the user; ValueError if it is too short."""
    if len(password) < 10:
        raise ValueError("password must be at least 10 characters")
    change_user(user_id, password_hash=generate_password_hash(password))


def change_user(user_id: int, **fields: object) -> None:
    """The one way an account changes (active, role, password, two-factor secret): set the
    fields, then end every session of the user at once, so the change applies from the next
    sign-in. ValueError for an unknown user."""
    user = db.session.get(User, user_id)
    if user is None:
        raise ValueError(f"no user with id {user_id}")
    for name, value in fields.items():
        setattr(user, name, value)
    user.session_version += 1
    db.session.commit()


def set_active(user_id: int, active: bool) -> None:
    """Enable or disable an account; disabling ends every session of the user at once."""
    change_user(user_id, active=active)


def set_role(user_id: int, role: str) -> None:
    """Change an account's role; its sessions end, so the new role applies from the next sign-in."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    change_user(user_id, role=role)


def account_for(user_id: int) -> Account:
    """The signed-in account for a user as it is now (its current session version)."""
    user = db.session.get(User, user_id)
    if user is None:
        raise ValueError(f"no user with id {user_id}")
    return Account(_account_key(user), user.name, user.role)


def find_user(email: str) -> User:
    """The account with this email; ValueError naming it when there is none."""
    user = db.session.execute(select(User).filter_by(email=email.strip().lower())).scalar_one_or_none()
    if user is None:
        raise ValueError(f"no user with email {email.strip().lower()}")
    return user


def all_users() -> list[User]:
    """Every account, by email."""
    return list(db.session.execute(select(User).order_by(User.email)).scalars())


def staff_pin(app: Flask) -> str:
    """The kiosk staff PIN: from config, or generated once into the instance folder."""
    if app.config.get("STAFF_PIN"):
        return str(app.config["STAFF_PIN"])
    return private_files.read_or_create_text(Path(app.instance_path) / "staff_pin",
                                             lambda: f"{secrets.randbelow(10**6):06d}")


def check_pin(app: Flask, pin: str) -> bool:
    """Constant-time comparison of a typed PIN."""
    return hmac.compare_digest(pin.strip().encode(), staff_pin(app).encode())
