"""The core voxbox commands: consultations, users, demo, serve and kiosk (loaded lazily by
kiosk.cli's root group, so ``voxbox --help`` never imports them)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import click
import yaml
from flask import current_app
from flask.cli import with_appcontext

from kiosk.consultations import definitions
from kiosk.consultations import store as consultations
from kiosk.core import audit, auth
from kiosk.core.problems import ProblemError

if TYPE_CHECKING:
    from flask import Flask


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


def _status_for(defn: dict, option: str | None) -> str | None:
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
    defn = definitions.document(defn)
    if fmt == "json":
        click.echo(json.dumps(defn, indent=2, ensure_ascii=False))
    else:
        click.echo(yaml.safe_dump(defn, allow_unicode=True, sort_keys=False), nl=False)


@consultations_group.command("list")
@with_appcontext
def list_cmd() -> None:
    """One consultation a line: slug, status, version, title."""
    for c in consultations.all_consultations():
        click.echo(f"{c.slug}\t{c.status}\tv{c.version}\t{c.title.get('en', '')}")


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


@click.command("demo")
@click.option("--responses", "count", type=int, default=0,
              help="Also add this many synthetic responses across open consultations.")
@click.option("--seed", type=int, default=None, help="Random seed for synthetic responses.")
@with_appcontext
def demo_cmd(count: int, seed: int | None) -> None:
    """Load the demo consultations and staff login (idempotent)."""
    from kiosk.demo import content as demo

    for line in demo.load(current_app, history=True):
        click.echo(line)
    if count:
        with click.progressbar(length=count, label="synthetic responses", file=sys.stderr) as bar:
            demo.synthetic_responses(current_app, count, seed, progress=bar.update)
        click.echo(f"added {count} synthetic responses")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--threads", default=8, show_default=True, type=int,
              help="Threads (per worker process with --workers).")
@click.option("--workers", type=click.IntRange(min=1), default=None, metavar="N",
              help="Hub only: serve with gunicorn and N worker processes (default: one waitress "
                   "process). A kiosk refuses more than one.")
@click.option("--demo/--no-demo", default=False, help="Load the demo content first.")
@with_appcontext
def serve_cmd(host: str, port: int, threads: int, workers: int | None, demo: bool) -> None:
    """Serve the app: waitress, or gunicorn with --workers on a hub."""
    from kiosk.demo import content as demo_mod

    app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is typed as Flask, not its proxy
    role = app.config["ROLE"]
    if workers is not None and workers > 1 and role != "hub":
        # One process owns a kiosk's SQLite queue and its PIN lock-outs; more would gain nothing.
        raise click.ClickException(f"--workers {workers} is for a hub; this instance has ROLE="
                                   f"{role}, which is served by one waitress process (drop --workers).")
    if demo:
        app.config["DEMO"] = True  # the demo shows the kiosk pages from the hub to anyone
        for line in demo_mod.load(app, history=True):
            click.echo(line)
    base = f"http://{host}:{port}"
    click.echo(f"voxbox ({role}) on {base}")
    click.echo(f"  kiosk:  {base}/kiosk/")
    if role == "hub":
        click.echo(f"  phone:  {base}/")
    click.echo(f"  staff:  {base}/staff/")
    if role == "hub" and workers is not None:
        _serve_gunicorn(app, host, port, threads, workers)
        return
    from waitress import serve

    serve(app, host=host, port=port, threads=threads, ident="voxbox",
          channel_timeout=app.config["SERVER_CHANNEL_TIMEOUT"])


def _serve_gunicorn(app: Flask, host: str, port: int, threads: int, workers: int) -> None:
    """Run the hub under gunicorn, warning first if its rate limits would count per process."""
    from kiosk.core import limits
    from kiosk.core.db import db
    from kiosk.ops import hub_server

    warning = limits.per_process_warning(
        app.config["ROLE"], str(app.config.get("RATELIMIT_STORAGE_URI", "memory://")), workers,
        bool(app.config.get("RATELIMIT_ENABLED", True)))
    if warning:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"  gunicorn: {workers} worker(s) x {threads} threads")
    db.engine.dispose()  # the workers build their own apps and pools; none inherit a connection
    hub_server.run(hub_server.options(host, port, workers, threads,
                                      int(app.config["SERVER_CHANNEL_TIMEOUT"])))


@click.command("kiosk")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 serves tablets on the local Wi-Fi.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--threads", default=4, show_default=True, type=int, help="Worker threads.")
@click.option("--browser/--no-browser", default=False,
              help="Also open Chromium in full-screen kiosk mode at the attract screen.")
@click.option("--chromium", default="/usr/bin/chromium", show_default=True,
              type=click.Path(dir_okay=False), help="The Chromium to launch with --browser.")
@click.option("--force", is_flag=True, help="Serve the kiosk pages even if ROLE is hub.")
@with_appcontext
def kiosk_cmd(host: str, port: int, threads: int, browser: bool, chromium: str,
              force: bool) -> None:
    """Serve the kiosk with waitress, optionally with Chromium in kiosk mode."""
    from pathlib import Path

    from waitress.server import create_server

    from kiosk.core import auth
    from kiosk.tablet import launcher as tablet

    app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is typed as Flask, not its proxy
    try:
        tablet.check_role(app, force)
    except tablet.RoleError as exc:
        raise click.ClickException(str(exc)) from None
    server = create_server(app, host=host, port=port, threads=threads, ident="voxbox",
                           channel_timeout=app.config["SERVER_CHANNEL_TIMEOUT"])
    url = tablet.start_url(host, port)
    click.echo(f"voxbox kiosk ({app.config['ROLE']}) on http://{host}:{port}/kiosk/")
    click.echo(f"  staff panel: press and hold the top-left corner for 3 s; PIN in "
               f"{'STAFF_PIN' if app.config.get('STAFF_PIN') else 'instance/staff_pin'}")
    auth.staff_pin(app)  # make sure a PIN exists before anyone needs it
    if browser:
        tablet.launch_browser(chromium, url, Path(app.instance_path))
        click.echo(f"  browser: {chromium} --kiosk {url}")
    try:
        server.run()
    finally:
        server.close()


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
