"""``voxbox db …``: Flask-Migrate's commands (Alembic), with the migrations attached on first use."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate.cli import db as alembic_commands  # type: ignore[import-not-found]  # not in the stubs

from kiosk.core.db import with_migrations


@click.group("db", help=alembic_commands.help)
@click.option("-d", "--directory", default=None, help="Migration script directory (default: voxbox's).")
@click.option("-x", "--x-arg", multiple=True, help="Additional arguments for custom env.py scripts.")
@click.pass_context
@with_appcontext
def db_group(ctx: click.Context, directory: str | None, x_arg: tuple[str, ...]) -> None:
    """Database migrations (Alembic)."""
    with_migrations(current_app._get_current_object())  # type: ignore[attr-defined]  # the real app, not the proxy
    ctx.invoke(alembic_commands.callback, directory=directory, x_arg=x_arg)  # Flask-Migrate's own set-up


for _name, _command in alembic_commands.commands.items():
    db_group.add_command(_command, _name)
