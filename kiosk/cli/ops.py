"""``voxbox doctor`` and ``voxbox backup``: check and back up a hub or kiosk."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import with_appcontext

if TYPE_CHECKING:
    pass


@click.command("doctor")
@click.option("--workers", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes this instance is served with (default: $WEB_CONCURRENCY or 1).")
@with_appcontext
def doctor_cmd(workers: int | None) -> None:
    """Check this hub or kiosk as an operator would; exit 1 if anything fails."""
    import os

    from kiosk.ops import doctor

    app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is typed as Flask, not its proxy
    count = workers or int(os.environ.get("WEB_CONCURRENCY", "1") or 1)
    checks = doctor.run(app, count)
    width = max(len(c.name) for c in checks)
    for c in checks:
        click.echo(f"{c.status.upper():4}  {c.name:{width}}  {c.detail}")
    failed = [c for c in checks if c.status == "fail"]
    if failed:
        raise click.ClickException(f"{len(failed)} problem(s) to fix ({app.config['ROLE']} at "
                                   f"{app.instance_path})")
    click.echo(f"no problems ({app.config['ROLE']} at {app.instance_path})")


@click.command("backup")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@with_appcontext
def backup_cmd(directory: str | None) -> None:
    """Back up the database and the key files into a new dated folder under DIRECTORY
    (default: BACKUP_DIR)."""
    from pathlib import Path

    from kiosk.ops import backups

    target = directory or current_app.config.get("BACKUP_DIR")
    if not target:
        raise click.UsageError("name a DIRECTORY or set BACKUP_DIR")
    try:
        made = backups.make(current_app._get_current_object(), Path(target))  # type: ignore[attr-defined]  # current_app is typed as Flask, not its proxy
    except backups.BackupError as exc:
        raise click.ClickException(f"no backup made: {exc}") from None
    click.echo(f"backup: {made}")
    for name in sorted(p.name for p in made.iterdir()):
        click.echo(f"  {name}")
