"""``voxbox consultations import|export|list``: consultation definitions in and out."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click
import yaml
from flask import current_app
from flask.cli import with_appcontext

from kiosk.consultations import definitions
from kiosk.consultations import store as consultations
from kiosk.core import audit
from kiosk.core.problems import ProblemError

if TYPE_CHECKING:
    from kiosk.consultations.types import Definition
    pass


@click.group("consultations", help="Import, export and list consultation definitions.")
def consultations_group() -> None:
    """Consultation definition commands."""


@consultations_group.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--status", type=click.Choice(["draft", "open", "closed", "file"]), default=None,
              help="Set this status (or 'file': the status written in each file). Without it, "
                   "a new consultation takes its file's status and an existing one keeps its own.")
@click.option("--confirm-breaking", is_flag=True,
              help="Make a new version even though it removes or retypes a question or removes an "
                   "option of a consultation that already has answers.")
@with_appcontext
def import_cmd(files: tuple[str, ...], status: str | None, confirm_breaking: bool) -> None:
    """Validate and import YAML/JSON definitions; nothing is stored if any file is invalid or
    makes an unconfirmed breaking change."""
    loaded, failed = [], False
    for name in files:
        try:
            loaded.append(definitions.load_file(name))
            consultations.check_publishable(loaded[-1], current_app.config["LANGUAGES"], status)
        except (ProblemError, consultations.EnglishOnlyError) as exc:
            click.echo(str(exc), err=True)
            failed = True
    if failed:
        raise click.ClickException("nothing imported: fix the problems above")
    for defn in loaded:
        todo = consultations.plan(defn, _status_for(defn, status))
        if todo.needs_confirmation and not confirm_breaking:
            click.echo(f"{todo.slug}: breaking changes to a consultation with answers:", err=True)
            for change in todo.changes:
                click.echo(f"  {'!' if change.breaking else ' '} {change.text}", err=True)
            failed = True
    if failed:
        raise click.ClickException("nothing imported: check the changes above, then run again "
                                   "with --confirm-breaking to make the new version")
    for defn in loaded:
        result = consultations.import_definition(defn, status=_status_for(defn, status),
                                                 confirm_breaking=confirm_breaking)
        audit.by_cli("consultation.import", result.slug, result=result.action, version=result.version,
                     status=status or "")
        click.echo(f"{result.slug}: {result.action} (version {result.version})")
        for line in result.changes:
            click.echo(f"  {line}")


def _status_for(defn: Definition, option: str | None) -> str | None:
    return defn["status"] if option == "file" else option


@consultations_group.command("export")
@click.argument("slug")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml",
              help="Output format.")
@click.option("--version", "version", type=int, default=None, help="Version (default: current).")
@with_appcontext
def export_cmd(slug: str, fmt: str, version: int | None) -> None:
    """Print a consultation's definition as YAML or JSON."""
    defn = consultations.definition(slug, version)
    if defn is None:
        raise click.ClickException(f"no consultation {slug!r} (version {version or 'current'})")
    document = definitions.document(defn)
    if fmt == "json":
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        click.echo(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), nl=False)


@consultations_group.command("list")
@with_appcontext
def list_cmd() -> None:
    """One consultation a line: slug, status, version, title."""
    for c in consultations.all_consultations():
        click.echo(f"{c.slug}\t{c.status}\tv{c.version}\t{c.title.get('en', '')}")
