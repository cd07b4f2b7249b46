"""CLI for prize draws and retention: `voxbox draw verify|run|list` and `voxbox purge`."""

from __future__ import annotations

import json
from typing import TextIO

import click
from flask import current_app
from flask.cli import with_appcontext

from kiosk.core import audit
from kiosk.draws import algorithm as draw_algorithm
from kiosk.draws import retention
from kiosk.draws import runs as draw_runs
from kiosk.draws import store as draws


@click.group("draw", help="Prize draws: verify a published draw, make or list draws.")
def draw_group() -> None:
    """Prize draw commands."""


@draw_group.command("verify")
@click.argument("file", type=click.File("r", encoding="utf-8"))
def verify_cmd(file: TextIO) -> None:
    """Recompute a draw from its verification file; exit 1 if the result does not match."""
    try:
        doc = json.load(file)
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"{file.name}: not JSON ({exc})") from None
    problems = draw_algorithm.verify(doc) if isinstance(doc, dict) else ["not a JSON object"]
    if problems:
        for p in problems:
            click.echo(f"MISMATCH: {p}", err=True)
        raise SystemExit(1)
    run = doc.get("run") or {}
    click.echo(f"OK: {len(doc['entries'])} entries, seed {doc['seed']!r}, run {run.get('number')}"
               f"; winners and reserves reproduced with {draw_algorithm.NAME}"
               f" v{draw_algorithm.VERSION}")
    if run.get("earlier"):
        click.echo(f"note: this draw was run {len(run['earlier']) + 1} times; "
                   f"reason for this run: {run.get('reason')}")
    if doc.get("history"):
        click.echo(f"history: {len(doc['history'])} unclaimed prize(s) passed on to the next"
                   " reserve in draw order")


@draw_group.command("run")
@click.argument("draw_id")
@click.option("--seed", required=True, help="The public seed, published before the draw.")
@click.option("--reason", default=None, help="Why the draw is run again (required for a re-run).")
@click.option("--output", type=click.Path(dir_okay=False), default=None,
              help="Also write the verification file here.")
@with_appcontext
def run_cmd(draw_id: str, seed: str, reason: str | None, output: str | None) -> None:
    """Make a draw on the hub from a public seed (logged; a re-run needs --reason)."""
    draw = draws.get(draw_id)
    if draw is None:
        raise click.ClickException(f"no draw {draw_id!r}")
    try:
        made = draw_runs.run(draw, seed, "command line", reason=reason)
    except draw_runs.DrawError as exc:
        raise click.ClickException(str(exc)) from None
    audit.by_cli("draw.run", draw.id, run=made.run)
    result = made.verification["result"]
    click.echo(f"draw {draw.id} run {made.run}: {made.entries} entries, "
               f"{len(result['winners'])} winners, {len(result['reserves'])} reserves")
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            json.dump(made.verification, fh, indent=2, ensure_ascii=False)
        click.echo(f"verification file: {output}")


@draw_group.command("list")
@with_appcontext
def list_cmd() -> None:
    """One draw a line: id, closing time, entries, state, prize."""
    for d in draws.all_draws():
        state = "drawn" if d.drawn_at else "open" if d.is_open else "closed"
        click.echo(f"{d.id}\t{d.closes_at:%Y-%m-%d %H:%M}\t{draws.count_entries(d)}\t{state}"
                   f"\t{d.prize.get('en', '')}")


@click.command("purge")
@with_appcontext
def purge_cmd() -> None:
    """Run retention: contacts past their time, acknowledged kiosk entries, expired drafts."""
    counts = retention.purge(current_app._get_current_object())  # type: ignore[attr-defined]  # current_app is typed as Flask, not its proxy
    for rule, n in counts.items():
        click.echo(f"{rule}: {n}")
