"""``voxbox sync …`` (kiosk: enroll, pull, push, export, confirm, status; hub: import).

The HTTP client, the bundle code and the database layer are imported inside the commands that use
them, on purpose: ``voxbox sync status`` and ``voxbox sync --help`` start without them.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup, ScriptInfo

from kiosk.cli import require_role


def _app() -> Flask:
    return current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is typed as Flask, not its proxy


def _warn(message: str) -> None:
    click.echo(f"sync: {message}", err=True)


@contextmanager
def _refusals() -> Iterator[None]:
    """Turn sync and bundle refusals into a one-line error and exit status 1."""
    from sqlalchemy.exc import OperationalError

    from kiosk.core.db import db
    from sync import bundle
    from sync.transport import SyncError

    try:
        yield
    except (SyncError, bundle.BundleError) as exc:
        raise click.ClickException(str(exc)) from None
    except OperationalError as exc:  # e.g. "database or disk is full" while marking a receipt
        db.session.rollback()
        raise click.ClickException(
            f"this machine's database refused a write ({exc.orig}). Nothing is lost: rows stay "
            "queued until the hub's receipt is stored, and the hub answers a resend as "
            "duplicates. Free some space and run it again.") from None


def _quick_status() -> dict[str, Any] | None:
    """A kiosk's status read straight from its SQLite file, without building the app (None when
    that does not apply): ``voxbox sync status`` answers in about the time Flask takes to import."""
    from kiosk.app import configured
    from sync.status import read_sqlite

    config = configured().config
    url = str(config["SQLALCHEMY_DATABASE_URI"])
    if config["ROLE"] != "kiosk" or not url.startswith("sqlite:///"):
        return None
    return read_sqlite(Path(url[len("sqlite:///"):]))


def _echo_counts(label: str, counts: dict[str, Any]) -> None:
    click.echo(label + ": " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@click.group("sync", cls=AppGroup, invoke_without_command=True,
             help="Hand this kiosk's queued responses to the hub (pull, then push).")
@click.pass_context
def sync_group(ctx: click.Context) -> None:
    """Pull definitions then push every queued response (kiosk)."""
    if ctx.invoked_subcommand is not None:
        return
    with _refusals():
        ctx.invoke(pull_cmd)
        ctx.invoke(push_cmd)


@sync_group.command("enroll")
@click.argument("hub_url")
@click.argument("code")
@click.option("--allow-http", is_flag=True,
              help="Allow a plain http:// hub that is not this machine (a lab hub only).")
def enroll_cmd(hub_url: str, code: str, allow_http: bool) -> None:
    """Enroll this kiosk with the hub using a one-time code from the hub's Devices page."""
    from sync import client

    with _refusals():
        device = client.enroll(_app(), hub_url, code, allow_http=allow_http)
    click.echo(f"enrolled as {device['name']} ({device['id']}) with {hub_url}")


@sync_group.command("pull")
def pull_cmd() -> None:
    """Fetch open consultations, events and the hub's public key."""
    from sync import client

    with _refusals():
        hub = client.connect(_app(), on_retry=_warn)
        try:
            result = client.pull(_app(), hub)
        finally:
            hub.close()
    if not result["changed"]:
        click.echo("pull: nothing changed on the hub")
    else:
        _echo_counts("pull", {k: v for k, v in result.items() if k != "changed"})


@sync_group.command("push")
def push_cmd() -> None:
    """Send queued draw entries, then responses, in gzip'd batches; rows change only from receipts."""
    from kiosk.draws import scrub
    from kiosk.responses import queue
    from sync import client

    queued = queue.queued()
    with _refusals():
        hub = client.connect(_app(), on_retry=_warn)
        try:
            entry_counts = client.push_entries(_app(), hub)
            with click.progressbar(length=queued, label="pushing", file=sys.stderr) as bar:
                counts = client.push(_app(), hub, progress=bar.update)
        finally:
            hub.close()
    if any(entry_counts.values()):
        _echo_counts("entries", entry_counts)
    _echo_counts("push", counts)
    deferred = scrub.wipe_if_room(_app())  # the queue is handed over: now clean up, if room
    if deferred:
        _warn(deferred)


@sync_group.command("status", with_appcontext=False)
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.pass_context
def status_cmd(ctx: click.Context, as_json: bool) -> None:
    """Show queued / synced / set-aside counts, the last sync and the enrollment."""
    info = _quick_status()
    if info is None:  # a hub, PostgreSQL, or a file not yet migrated: through the app, once
        from sync.status import status

        app = ctx.ensure_object(ScriptInfo).load_app()
        with app.app_context():
            info = status(app)
    if as_json:
        click.echo(json.dumps(info, indent=2))
        return
    hub = info["hub_url"] or "not enrolled"
    click.echo(f"hub: {hub}" + (f" as {info['device_name']}" if info["enrolled"] else ""))
    click.echo(f"queued: {info['queued']}  synced: {info['synced']}  set aside: "
               f"{info['set_aside']} (conflict {info['conflict']}, rejected {info['rejected']})")
    last = info["last_sync"]
    held = info["entries"]
    if held:
        click.echo(f"draw entries: queued {held.get('queued', 0)}  synced {held.get('synced', 0)}"
                   f"  set aside {held.get('conflict', 0) + held.get('rejected', 0)}")
    click.echo(f"last sync: {last['at'] if last else 'never'}")
    if info["last_error"]:
        click.echo(f"last error: {info['last_error']['at']}: {info['last_error']['message']}")


@sync_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
def export_cmd(file: str) -> None:
    """Write every queued response and prize-draw entry to one signed bundle file (USB stick)."""
    from sync import bundle

    require_role("kiosk")
    with _refusals():
        manifest = bundle.export(_app(), file)
    click.echo(f"wrote {manifest['count']} responses and {manifest['entries']} sealed prize-draw "
               f"entries to {file} (bundle {manifest['bundle_id']})")
    click.echo("rows stay queued until you run: voxbox sync confirm RECEIPT (or sync online)")


@sync_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--receipt", "receipt_path", type=click.Path(dir_okay=False, writable=True),
              default=None, help="Write the receipt JSON to this file instead of stdout.")
def import_cmd(file: str, receipt_path: str | None) -> None:
    """Verify and ingest a kiosk's bundle on the hub, and print the signed receipt as JSON."""
    from sync import bundle, bundle_seal

    require_role("hub")

    if Path(file).stat().st_size > bundle_seal.MAX_FILE_BYTES:  # not even read
        raise click.ClickException(f"{file} is larger than {bundle_seal.MAX_FILE_BYTES} bytes:"
                                   " not a voxbox bundle")
    with _refusals():
        receipt = bundle.import_bundle(Path(file).read_bytes())
    text = json.dumps(receipt, indent=1)
    if receipt_path:
        Path(receipt_path).write_text(text + "\n")
    else:
        click.echo(text)
    note = " (a replay: already imported before)" if receipt["replayed"] else ""
    _warn(", ".join(f"{k} {v}" for k, v in receipt["counts"].items()) + note)
    if receipt["entries"]:
        entry_counts = Counter(line["status"] for line in receipt["entries"])
        _warn("entries: " + ", ".join(f"{k} {v}" for k, v in sorted(entry_counts.items())))


@sync_group.command("confirm")
@click.argument("receipt", type=click.Path(exists=True, dir_okay=False))
def confirm_cmd(receipt: str) -> None:
    """Mark exported rows synced (or set aside) from the hub's receipt for the bundle."""
    from sync import bundle

    require_role("kiosk")
    with _refusals():
        counts = bundle.confirm(_app(), Path(receipt).read_bytes())
    _echo_counts("confirm", counts)








