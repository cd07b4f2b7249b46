"""``voxbox users create|list|disable|enable|role|password``: staff accounts on the hub."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import click
from flask.cli import with_appcontext

from kiosk.core import audit, auth

if TYPE_CHECKING:
    pass


@click.group("users", help="Manage staff accounts on the hub.")
def users_group() -> None:
    """Staff account commands."""


@users_group.command("create")
@click.argument("email")
@click.option("--name", default="", help="Display name (default: the email).")
@click.option("--role", type=click.Choice(auth.ROLES), default="staff", help="Role.")
@click.password_option(help="Password (prompted if not given; at least 10 characters).")
@with_appcontext
def users_create(email: str, name: str, role: str, password: str) -> None:
    """Create a staff account."""
    try:
        user = auth.create_user(email, name or email, password, role)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    audit.by_cli("user.create", user.email, role=user.role)
    click.echo(f"created {user.role} {user.email}")


@users_group.command("list")
@with_appcontext
def users_list() -> None:
    """One account a line: email, role, active or disabled, name."""
    for user in auth.all_users():
        click.echo(f"{user.email}\t{user.role}\t{'active' if user.active else 'disabled'}\t{user.name}")


def _user_change(change: Callable[[int], None], email: str, done: str, action: str,
                 **detail: str) -> None:
    try:
        user = auth.find_user(email)
        change(user.id)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    audit.by_cli(action, user.email, **detail)
    click.echo(f"{user.email}: {done}")


@users_group.command("disable")
@click.argument("email")
@with_appcontext
def users_disable(email: str) -> None:
    """Disable an account (a leaver): no sign-in, and every session of it ends now."""
    _user_change(lambda uid: auth.set_active(uid, False), email, "disabled, sessions ended", "user.disable")


@users_group.command("enable")
@click.argument("email")
@with_appcontext
def users_enable(email: str) -> None:
    """Re-enable a disabled account."""
    _user_change(lambda uid: auth.set_active(uid, True), email, "enabled", "user.enable")


@users_group.command("role")
@click.argument("email")
@click.argument("role", type=click.Choice(auth.ROLES))
@with_appcontext
def users_role(email: str, role: str) -> None:
    """Change an account's role; its sessions end so the new role applies at the next sign-in."""
    _user_change(lambda uid: auth.set_role(uid, role), email, f"now {role}, sessions ended", "user.role",
                 role=role)


@users_group.command("password")
@click.argument("email")
@click.password_option(help="New password (prompted if not given; at least 10 characters).")
@with_appcontext
def users_password(email: str, password: str) -> None:
    """Set a new password for an account; every session of it ends."""
    _user_change(lambda uid: auth.change_password(uid, password), email, "password changed, sessions ended",
                 "user.password")
