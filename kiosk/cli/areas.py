"""``voxbox areas …``: load and show the postcode-to-area lookup table."""

from __future__ import annotations

from typing import TextIO

import click
from flask.cli import with_appcontext

from kiosk.areas import store as areas
from kiosk.core import audit
from kiosk.core.problems import ProblemError
from kiosk.core.text import tr


@click.group("areas", help="The postcode-to-area lookup table behind postcode questions.")
def areas_group() -> None:
    """Postcode-to-area table commands."""


@areas_group.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8-sig"))
@with_appcontext
def import_cmd(file: TextIO) -> None:
    """Replace the lookup table with a CSV (postcode,area_code,name_en,name_cy); nothing is
    stored if any line has a problem."""
    try:
        found = areas.import_csv(file.read(), source=getattr(file, "name", "areas"))
    except ProblemError as exc:
        click.echo(str(exc), err=True)
        raise click.ClickException("nothing imported: fix the lines above") from None
    audit.by_cli("areas.import", getattr(file, "name", "areas"), areas=areas.describe(found))
    click.echo(f"imported {areas.describe(found)}")


@areas_group.command("list")
@with_appcontext
def list_cmd() -> None:
    """List the areas and how many postcodes, sectors and districts map to them."""
    click.echo(areas.describe(areas.counts()))
    for area in areas.all_areas():
        click.echo(f"{area.code}\t{tr(area.name, 'en')}\t{area.name.get('cy', '')}")
