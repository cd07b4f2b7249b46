"""The voxbox command line: a Flask group whose commands load lazily.

``voxbox --help`` and ``voxbox <group> --help`` list commands from the table below without building
the app or importing the modules behind them (reportlab, cryptography, alembic, the views); a command
that runs gets the app once, through FlaskGroup's ``with_appcontext``. Adding a command: write it in
its own module and name it in COMMANDS; ``init_app`` puts every one on ``app.cli`` too (for
``flask --app kiosk`` and the tests' CLI runner).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

import click
from flask import current_app

if TYPE_CHECKING:
    from flask import Flask

#: Command name -> "module:attribute", with the one-line help shown by ``voxbox --help``.
COMMANDS: dict[str, tuple[str, str]] = {
    "consultations": ("kiosk.cli.consultations:consultations_group",
                      "Import, export and list consultation definitions."),
    "users": ("kiosk.cli.users:users_group", "Manage staff accounts on the hub."),
    "demo": ("kiosk.cli.serve:demo_cmd", "Load the demo; add synthetic rows in bulk."),
    "serve": ("kiosk.cli.serve:serve_cmd", "Serve the app: waitress, or gunicorn workers on a hub."),
    "kiosk": ("kiosk.cli.serve:kiosk_cmd", "Serve the kiosk, optionally with Chromium."),
    "doctor": ("kiosk.cli.ops:doctor_cmd", "Check this hub or kiosk as an operator would."),
    "draw": ("kiosk.cli.draws:draw_group", "Prize draws: run, verify and export winners."),
    "backup": ("kiosk.cli.ops:backup_cmd",
               "Back up the database and key files into a dated folder."),
    "purge": ("kiosk.cli.draws:purge_cmd", "Delete what has passed its retention deadline."),
    "posters": ("kiosk.cli.posters:posters_group", "Make posters and sticker sheets."),
    "areas": ("kiosk.cli.areas:areas_group", "The postcode-to-area table: import and list."),
    "sync": ("sync.cli:sync_group", "Kiosk to hub: enroll, pull, push, export, import."),
    "devices": ("kiosk.cli.devices:devices_group", "Enrolment codes and kiosks on the hub."),
    "db": ("kiosk.cli.migrations:db_group", "Database migrations (Alembic)."),
}


def load(name: str) -> click.Command:
    """Import the command registered under name."""
    module, attr = COMMANDS[name][0].split(":")
    command = getattr(importlib.import_module(module), attr)
    if not isinstance(command, click.Command):  # pragma: no cover - a wrong table entry
        raise TypeError(f"{COMMANDS[name][0]} is not a click command")
    return command


class _LazyCommands(dict[str, click.Command]):
    """A group's commands where voxbox's own are imported the first time they are looked up."""

    def __getitem__(self, name: str) -> click.Command:
        command = dict.__getitem__(self, name)
        if command is None:
            command = load(name)
            dict.__setitem__(self, name, command)
        return command

    def get(self, name: str, default: click.Command | None = None) -> click.Command | None:  # type: ignore[override]
        return self[name] if name in self else default

    def items(self) -> list[tuple[str, click.Command]]:  # type: ignore[override]  # loaded, a list
        return [(name, self[name]) for name in list(self.keys())]

    def values(self) -> list[click.Command]:  # type: ignore[override]  # loaded, a list
        return [self[name] for name in list(self.keys())]


def init_app(app: Flask) -> None:
    """Put every voxbox command on the app's own CLI (``flask --app kiosk``, test runners),
    imported only when looked up: building the app for one command loads no other."""
    commands = _LazyCommands(app.cli.commands)
    for name in COMMANDS:
        dict.__setitem__(commands, name, None)  # type: ignore[misc]  # None: not loaded yet
    app.cli.commands = commands


def require_role(role: str) -> None:
    """Stop a command run on the wrong machine (a hub command on a kiosk, or the reverse)."""
    if current_app.config["ROLE"] != role:
        raise click.ClickException(f"this command runs on the {role} (ROLE = {role!r})")
