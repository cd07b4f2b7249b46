"""``voxbox devices add|list|revoke``: enrolment codes and kiosks on the hub."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from kiosk.cli import require_role
from kiosk.core import audit
from kiosk.devices import store as devices
from kiosk.ops import deployment


@click.group("devices", cls=AppGroup)
def devices_group() -> None:
    """Enroll, list and revoke kiosks (hub)."""


@devices_group.command("add")
@click.argument("name")
@click.option("--allow-insecure-url", is_flag=True,
              help="Make the code even though PUBLIC_URL is loopback or not https (a lab hub).")
def devices_add(name: str, allow_insecure_url: bool) -> None:
    """Create a device and print its one-time enrollment code."""
    require_role("hub")
    config = {**current_app.config,
              "ALLOW_INSECURE_URL": allow_insecure_url or current_app.config["ALLOW_INSECURE_URL"]}
    try:
        deployment.require_public_url(config)
    except deployment.InsecureURL as exc:
        raise click.ClickException(f"no code made: {exc}") from None
    try:
        device, code = devices.create(name, current_app.config["ENROLLMENT_CODE_TTL"])
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    audit.by_cli("device.add", device.name, device=device.id)
    click.echo(f"device {device.name} ({device.id})")
    click.echo(f"enrollment code: {code}  (single use, expires {device.code_expires_at}Z)")
    click.echo(f"on the kiosk: voxbox sync enroll {current_app.config['PUBLIC_URL']} {code}")


@devices_group.command("list")
def devices_list() -> None:
    """One device a line: name, id, state, last sync."""
    for d in devices.all_devices():
        last = d.last_sync_at.isoformat() + "Z" if d.last_sync_at else "never"
        click.echo(f"{d.name}\t{d.id}\t{d.state}\tlast sync {last}")


@devices_group.command("revoke")
@click.argument("name")
def devices_revoke(name: str) -> None:
    """Revoke a device (by name or id); its token is refused from its next call."""
    try:
        device = devices.revoke(name)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    audit.by_cli("device.revoke", device.name, device=device.id)
    click.echo(f"revoked {device.name} ({device.id})")
