"""Staff sign-in: accounts with hashed passwords on the hub, a PIN on a kiosk."""

from __future__ import annotations

import functools
import hmac
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, abort, current_app
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf import CSRFProtect
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from .db import db
from .models import User

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
    if key.startswith("u:") and key[2:].isdigit():
        user = db.session.get(User, int(key[2:]))
        if user and user.active:
            return Account(key, user.name, user.role)
    return None


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
    """The account for these credentials, or None."""
    user = db.session.execute(
        select(User).filter_by(email=email.strip().lower(), active=True)
    ).scalar_one_or_none()
    if user is None or not check_password_hash(user.password_hash, password):
        return None
    return Account(f"u:{user.id}", user.name, user.role)


def staff_pin(app: Flask) -> str:
    """The kiosk staff PIN: from config, or generated once into the instance folder."""
    if app.config.get("STAFF_PIN"):
        return str(app.config["STAFF_PIN"])
    path = Path(app.instance_path) / "staff_pin"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(f"{secrets.randbelow(10**6):06d}")
    return path.read_text().strip()


def check_pin(app: Flask, pin: str) -> bool:
    """Constant-time comparison of a typed PIN."""
    return hmac.compare_digest(pin.strip().encode(), staff_pin(app).encode())
