"""CLI for posters: `voxbox posters make|codes|repoint|retire`, thin wrappers over kiosk.outreach.placements."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from kiosk.cli.posters_options import cli_words, print_options, print_welsh_first, spec_options
from kiosk.consultations import store as consultations
from kiosk.core import audit
from kiosk.core.problems import ProblemError
from kiosk.ops import deployment
from kiosk.outreach import destinations, placements, tracking
from print import posters
from print.formats import FORMATS, OUTPUTS
from print.labels import STOCKS


@click.group("posters", help="Print QR posters for placements; list, re-point and retire tracking codes.")
def posters_group() -> None:
    """Poster and tracking code commands."""


@posters_group.command("make")
@click.option("--consultation", "slug", required=True, metavar="SLUG",
              help="The consultation the posters' codes point at.")
@click.option("--placements", "csv_path", required=True, metavar="FILE.csv",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV of placements: columns label,kind and optionally code,location.")
@click.option("--format", "fmt", required=True, type=click.Choice(list(FORMATS)),
              help="Poster format; stickers puts each placement on its own label.")
@click.option("--out", "out_dir", required=True, metavar="DIR",
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the posters, the combined print file and manifest.csv.")
@click.option("--output-type", "output", type=click.Choice(OUTPUTS), default="pdf",
              show_default=True, help="pdf for printing; png or svg for the web and social media.")
@click.option("--bleed", is_flag=True, help="Add 3 mm bleed with crop marks (PDF only).")
@click.option("--welsh-first", is_flag=True, help="Put the Welsh text before the English.")
@click.option("--logo", type=click.Path(exists=True, dir_okay=False), default=None,
              help="A PNG, JPEG or SVG logo for the poster.")
@click.option("--logo-on-qr", is_flag=True,
              help="Put the logo in the middle of the QR code (error correction H).")
@click.option("--brand-colour", "primary", default=None, metavar="HEX",
              help="Brand colour for the title band, e.g. '#1d3557'.")
@click.option("--qr-size", "qr_size_mm", type=click.FloatRange(min=1), default=None, metavar="MM",
              help="Width of the QR code in mm (default: the largest that fits).")
@click.option("--allow-small", is_flag=True,
              help="Print a QR code smaller than its format's scan distance needs.")
@click.option("--png-width", "png_px", type=click.IntRange(min=100, max=10000), default=2000,
              show_default=True, help="PNG only: pixels along the longer side.")
@click.option("--allow-insecure-url", is_flag=True,
              help="Print codes even though PUBLIC_URL is loopback or not https (a lab hub).")
@print_options
@with_appcontext
def make_cmd(slug: str, csv_path: Path, fmt: str, out_dir: Path, output: str, bleed: bool,
             welsh_first: bool, logo: str | None, logo_on_qr: bool, primary: str | None,
             qr_size_mm: float | None, allow_small: bool, png_px: int, allow_insecure_url: bool,
             **production: Any) -> None:
    """Create missing tracking codes and write a poster per placement, all or nothing."""
    workers, proof = production.pop("workers"), production.pop("proof")
    welsh_first = print_welsh_first(welsh_first, production.pop("english_first"),
                                    current_app.config["LANGUAGES"])
    if consultations.get(slug) is None:
        raise click.ClickException(f"no consultation {slug!r}")
    try:
        rows = placements.read_csv(csv_path.read_text(encoding="utf-8"), csv_path.name)
    except UnicodeDecodeError:
        raise click.ClickException(f"{csv_path.name}: not UTF-8 text") from None
    except ProblemError as exc:
        _fail(exc)
    options: dict[str, object] = {"bleed": bleed, "welsh_first": welsh_first, "logo": logo,
                                  "logo_on_qr": logo_on_qr, "qr_size_mm": qr_size_mm,
                                  "allow_small": allow_small, **spec_options(production)}
    if primary:
        options["primary"] = primary
    public_url = require_public_url(allow_insecure_url)
    try:
        probe = placements.poster_spec(public_url, slug, "X" * 6, fmt, **options)
        for note in posters.notes(probe):
            click.echo(cli_words(note), err=True)
        if proof:
            out_dir.mkdir(parents=True, exist_ok=True)
            (out_dir / f"proof-{fmt}.pdf").write_bytes(posters.render_proof(probe))
            click.echo(f"proof: {out_dir / f'proof-{fmt}.pdf'}")
    except (LookupError, ValueError) as exc:
        raise click.ClickException(f"nothing written: {cli_words(str(exc))}") from None
    try:
        with _progress(len(rows), f"posters ({fmt}, {output})") as progress:
            batch = placements.make_batch(public_url, slug, rows, fmt, out_dir,
                                          progress=progress, output=output, png_px=png_px,
                                          workers=workers, **options)
    except ProblemError as exc:
        _fail(exc, csv_path.name)
    except (LookupError, ValueError) as exc:  # PosterError is a ValueError
        raise click.ClickException(f"nothing written: {cli_words(str(exc))}") from None
    click.echo(f"{len(rows)} placements, {batch.created} new tracking codes: "
               f"{len(batch.files)} files written to {out_dir}")
    if batch.combined is not None:
        click.echo(f"print file: {batch.combined}")
    click.echo(f"manifest: {out_dir / placements.MANIFEST_NAME}")


@posters_group.command("alignment")
@click.option("--labels", "template", type=click.Choice(list(STOCKS)), default="L7160",
              show_default=True, help="The label stock to print a test page for.")
@click.option("--out", "out_file", required=True, metavar="FILE.pdf",
              type=click.Path(dir_okay=False, path_type=Path), help="Where to write the page.")
def alignment_cmd(template: str, out_file: Path) -> None:
    """Write a label stock's alignment test page: print on plain paper, hold against a sheet."""
    out_file.write_bytes(posters.render_alignment(template))
    click.echo(f"alignment test page for {template}: {out_file}")


@posters_group.command("codes")
@click.argument("slug")
@with_appcontext
def codes_cmd(slug: str) -> None:
    """One tracking code a line: code, kind, label, scans."""
    if consultations.get(slug) is None:
        raise click.ClickException(f"no consultation {slug!r}")
    for code, scans in placements.with_scans(slug):
        retired = "\tretired" if code.retired else ""
        click.echo(f"{code.code}\t{code.kind}\t{code.label}\t{scans}{retired}")


@posters_group.command("repoint")
@click.argument("code")
@click.argument("slug", required=False)
@click.option("--holding", is_flag=True,
              help="Send the code to the hub's holding page (lists open consultations) instead.")
@with_appcontext
def repoint_cmd(code: str, slug: str | None, holding: bool) -> None:
    """Send a code's future scans to an open consultation or the holding page (no reprint)."""
    if bool(slug) == holding:
        raise click.UsageError("give either a consultation SLUG or --holding")
    try:
        row = destinations.repoint(code, tracking.HOLDING if holding else str(slug),
                                   destinations.CLI)
    except (LookupError, ValueError) as exc:
        raise click.ClickException(f"{exc}; nothing changed") from None
    audit.by_cli("code.repoint", row.code, to=row.consultation_slug)
    where = "the holding page" if holding else row.consultation_slug
    click.echo(f"{row.code} now points at {where}")


@posters_group.command("retire")
@click.argument("code")
@click.option("--yes", is_flag=True, help="Retire without asking for confirmation.")
@with_appcontext
def retire_cmd(code: str, yes: bool) -> None:
    """Retire a code for good: its scans land on the holding page and are still counted."""
    if not yes:
        click.confirm(f"Retire {code}? Its scans will go to the holding page from now on",
                      abort=True)
    try:
        row = destinations.retire(code, destinations.CLI)
    except (LookupError, ValueError) as exc:
        raise click.ClickException(f"{exc}; nothing changed") from None
    audit.by_cli("code.retire", row.code)
    click.echo(f"{row.code} is retired: its scans land on the holding page")


def require_public_url(allow_insecure_url: bool) -> str:
    """PUBLIC_URL, or a ClickException naming the setting when it is not fit to print."""
    config = {**current_app.config, "ALLOW_INSECURE_URL": allow_insecure_url
              or current_app.config["ALLOW_INSECURE_URL"]}
    try:
        return deployment.require_public_url(config)
    except deployment.InsecureURL as exc:
        raise click.ClickException(f"nothing written: {exc}") from None


def _fail(exc: ProblemError, source: str = "") -> None:
    prefix = f"{source}: " if source and not exc.source else ""
    for line in str(exc).splitlines():
        click.echo(prefix + line, err=True)
    raise click.ClickException("nothing written: fix the problems above")


@contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[int, int], None]]:
    """A click progress bar on stderr; where stderr is no terminal (a log), a line per tenth."""
    stream = sys.stderr
    tty = stream.isatty()
    step = max(1, total // 10)
    with click.progressbar(length=total, label=label, file=stream, show_pos=True) as bar:
        def update(done: int, _total: int) -> None:
            bar.update(done - bar.pos)
            if not tty and (done % step == 0 or done == total):
                click.echo(f"{done}/{total}", file=stream)

        yield update
