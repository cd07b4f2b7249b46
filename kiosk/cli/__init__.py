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

if TYPE_CHECKING:
    from flask import Flask

#: Command name -> "module:attribute", with the one-line help shown by ``voxbox --help``.
COMMANDS: dict[str, tuple[str, str]] = {
    "consultations": ("kiosk.cli.commands:consultations_group",
                      "Import, export and list consultation definitions."),
    "users": ("kiosk.cli.commands:users_group", "Manage staff accounts on the hub."),
    "demo": ("kiosk.cli.commands:demo_cmd", "Load the demo consultations and staff login."),
    "serve": ("kiosk.cli.commands:serve_cmd", "Serve the app: waitress, or gunicorn workers on a hub."),
    "kiosk": ("kiosk.cli.commands:kiosk_cmd", "Serve the kiosk, optionally with Chromium."),
    "doctor": ("kiosk.cli.commands:doctor_cmd", "Check this hub or kiosk as an operator would."),
    "draw": ("kiosk.cli.draws:draw_group", "Prize draws: run, verify and export winners."),
    "backup": ("kiosk.cli.commands:backup_cmd",
               "Back up the database and key files into a dated folder."),
    "purge": ("kiosk.cli.draws:purge_cmd", "Delete what has passed its retention deadline."),
    "posters": ("kiosk.cli.posters:posters_group", "Make posters and sticker sheets."),
    "areas": ("kiosk.cli.areas:areas_group", "The postcode-to-area table: import and list."),
    "sync": ("sync.cli:sync_group", "Kiosk to hub: enroll, pull, push, export, import."),
    "devices": ("sync.cli:devices_group", "Enrolment codes and kiosks on the hub."),
    "db": ("flask_migrate.cli:db", "Database migrations (Alembic)."),
}


def load(name: str) -> click.Command:
    """Import the command registered under name."""
    module, attr = COMMANDS[name][0].split(":")
    command = getattr(importlib.import_module(module), attr)
    if not isinstance(command, click.Command):  # pragma: no cover - a wrong table entry
        raise TypeError(f"{COMMANDS[name][0]} is not a click command")
    return command


def init_app(app: Flask) -> None:
    """Attach every voxbox command to the app's own CLI (``flask --app kiosk``, test runners)."""
    for name in COMMANDS:
        app.cli.add_command(load(name), name)
