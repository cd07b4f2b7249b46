"""The README documents every CLI command and configuration key (fails when one is missing)."""

from __future__ import annotations

from pathlib import Path

import click

from kiosk import settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
FRAMEWORK = ("SQLALCHEMY_", "WTF_", "SESSION_", "BABEL_")
FLASK_BUILTIN = {"run", "shell", "routes"}


def command_paths(group: click.Group, prefix: str = "") -> list[str]:
    paths = []
    for name, cmd in group.commands.items():
        if not prefix and name in FLASK_BUILTIN:
            continue
        path = f"{prefix}{name}"
        paths.append(path)
        if isinstance(cmd, click.Group) and name != "db":  # Flask-Migrate's own group
            paths += command_paths(cmd, path + " ")
    return paths


def test_every_cli_command_is_documented(app) -> None:
    paths = command_paths(app.cli)
    assert "consultations import" in paths
    missing = [p for p in paths if f"voxbox {p}" not in README]
    assert missing == [], f"README lacks: {missing}"


def test_every_config_key_is_documented() -> None:
    keys = [k for k in vars(settings) if k.isupper() and not k.startswith(FRAMEWORK)]
    assert "PUBLIC_URL" in keys
    missing = [k for k in keys if f"`{k}`" not in README]
    assert missing == [], f"README lacks: {missing}"
