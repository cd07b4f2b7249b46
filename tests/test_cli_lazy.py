"""The CLI starts fast: ``voxbox --help`` and ``voxbox <group> --help`` list commands without
building the app, touching the database or importing the heavy libraries behind the commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from kiosk.cli import COMMANDS

PROBE = """
import json, sys
from kiosk.cli.group import main
try:
    main(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
heavy = ("kiosk.web", "kiosk.models", "reportlab", "cryptography", "alembic", "sqlalchemy",
         "print.posters", "waitress")
print("\\n" + json.dumps(sorted({m.split(".")[0] if not m.startswith("kiosk") else m
                                for m in sys.modules if m.startswith(heavy)})))
"""


def run(tmp_path: Path, *args: str) -> tuple[str, list[str]]:
    env = {**os.environ, "VOXBOX_INSTANCE": str(tmp_path / "instance")}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                          env=env, timeout=120, check=True)
    out, _, last = done.stdout.rstrip().rpartition("\n")
    return out, json.loads(last)


def test_help_lists_every_command_without_building_the_app(tmp_path) -> None:  # type: ignore[no-untyped-def]
    out, imported = run(tmp_path, "--help")
    for name, (_, summary) in COMMANDS.items():
        assert f"{name}" in out and summary in out, name
    assert imported == []  # no views, models, SQLAlchemy, reportlab, cryptography, alembic
    assert not (tmp_path / "instance").exists()  # create_app makes the instance folder: not run


def test_a_groups_help_lists_its_commands_without_the_app_or_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    out, imported = run(tmp_path, "draw", "--help")
    assert "run" in out and "verify" in out
    assert "kiosk.web" not in imported
    assert not (tmp_path / "instance").exists()


def test_every_listed_command_loads_and_runs_with_the_app(app) -> None:  # type: ignore[no-untyped-def]
    """The table names real commands, and each is on app.cli for runners (``flask --app kiosk``)."""
    assert set(COMMANDS) <= set(app.cli.commands)
    result = app.test_cli_runner().invoke(args=["consultations", "list"])
    assert result.exit_code == 0 and "policing-priorities" in result.output
