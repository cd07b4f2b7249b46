"""``voxbox demo``, ``voxbox serve`` and ``voxbox kiosk``: load the demo and run the app.

Imports of the servers and the demo sit inside the commands on purpose: ``voxbox --help`` and
the other commands never load waitress, gunicorn or the demo content."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import with_appcontext

from kiosk.core import auth

if TYPE_CHECKING:
    from flask import Flask


@click.command("demo")
@click.option("--responses", "count", type=click.IntRange(min=0), default=0,
              help="Also add this many synthetic responses (bulk inserts, marked synthetic).")
@click.option("--scans", type=click.IntRange(min=0), default=0,
              help="Also add this many synthetic scans and starts (hub reports' funnel).")
@click.option("--consultation", "slug", default=None, metavar="SLUG",
              help="Add them to this consultation (default: across the open ones without real rows).")
@click.option("--force", is_flag=True,
              help="Add synthetic rows even to a consultation that has real responses or scans.")
@click.option("--seed", type=int, default=None, help="Random seed for synthetic responses.")
@with_appcontext
def demo_cmd(count: int, scans: int, slug: str | None, force: bool, seed: int | None) -> None:
    """Load the demo consultations and staff login (idempotent); add synthetic rows in bulk."""
    from kiosk.demo import content as demo
    from kiosk.demo import scale

    for line in demo.load(current_app, history=True):
        click.echo(line)
    try:
        if count:
            started = time.perf_counter()
            with click.progressbar(length=count, label="synthetic responses", file=sys.stderr) as bar:
                demo.synthetic_responses(current_app, count, seed, progress=bar.update, slug=slug,
                                         force=force)
            click.echo(f"added {count} synthetic responses ({_rate(count, started)})")
        if scans:
            started = time.perf_counter()
            with click.progressbar(length=scans, label="synthetic scans", file=sys.stderr) as bar:
                scale.add_scans(scale.targets(slug, force), scans, seed, progress=bar.update)
            click.echo(f"added {scans} synthetic scans ({_rate(scans, started)})")
    except scale.Refused as exc:
        raise click.ClickException(str(exc)) from None


def _rate(n: int, started: float) -> str:
    took = time.perf_counter() - started
    return f"{took:.1f} s, {n / took:,.0f} rows/s" if took > 0 else "instant"


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
