"""The print-production options of `voxbox posters make` (PDF/X, marks, contractor sizes, label
stock, checks, workers, proof), kept apart from the command so each stays short."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import click

from print.batch import default_workers
from print.labels import STOCKS

PRESETS = {"adshel": ((1185.0, 1750.0), (1160.0, 1720.0))}  # Clear Channel Adshel six-sheet
WAIVERS = {"allow_small=True": "--allow-small", "allow_low_contrast=True": "--allow-low-contrast",
           "allow_low_ppi=True": "--allow-low-ppi", "allow_small": "--allow-small"}


def _size(ctx: click.Context, param: click.Parameter, value: str | None
          ) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        w, h = (float(v) for v in value.lower().replace("×", "x").split("x"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not WIDTHxHEIGHT in mm, e.g. 1185x1750") from None
    if w <= 0 or h <= 0:
        raise click.BadParameter("width and height must be positive")
    return (w, h)


OPTIONS: Sequence[Callable[[Any], Any]] = (
    click.option("--marks/--no-marks", default=True, show_default=True,
                 help="With --bleed, crop marks outside the bleed (the page grows to hold them)."),
    click.option("--registration-marks", is_flag=True,
                 help="Crop marks on every plate (registration), for a printer that asks."),
    click.option("--pdfx", type=click.Choice(["x4", "x1a"]), default="x4", show_default=True,
                 help="PDF/X-4, or PDF/X-1a:2003 where a printer asks for it."),
    click.option("--trim", "trim_size_mm", callback=_size, metavar="WxH", default=None,
                 help="A contractor's trim size in mm for an outdoor poster, e.g. 1185x1750."),
    click.option("--visible", "visible_size_mm", callback=_size, metavar="WxH", default=None,
                 help="The area the case leaves visible, in mm, e.g. 1160x1720."),
    click.option("--preset", type=click.Choice(list(PRESETS)), default=None,
                 help="A contractor's trim and visible sizes by name (adshel: 1185x1750, "
                      "1160x1720)."),
    click.option("--english-first", is_flag=True,
                 help="English before Welsh even when the hub's default language is Welsh."),
    click.option("--labels", "sticker_template", type=click.Choice(list(STOCKS)),
                 default="L7160", show_default=True, help="Stickers: the label stock."),
    click.option("--start-label", type=click.IntRange(min=1), default=1, show_default=True,
                 help="Stickers: the first free label on a part-used sheet (1 = top left)."),
    click.option("--allow-low-contrast", is_flag=True,
                 help="Print a brand colour with less than 4.5:1 contrast against white."),
    click.option("--allow-low-ppi", is_flag=True,
                 help="Print a raster logo below 100 ppi at its printed size."),
    click.option("--workers", type=click.IntRange(min=1), default=default_workers(),
                 show_default="one per core", help="Processes rendering the batch."),
    click.option("--proof", is_flag=True,
                 help="Also write proof-FORMAT.pdf: the poster at scale with its QR size, "
                      "module size, logo ppi, contrast and preflight result."),
)


def print_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the print-production options to a click command."""
    for option in reversed(OPTIONS):
        command = option(command)
    return command


def spec_options(values: dict[str, Any]) -> dict[str, object]:
    """The PosterSpec fields the options set (a preset fills trim and visible sizes)."""
    preset = values.pop("preset", None)
    if preset is not None:
        trim, visible = PRESETS[preset]
        values["trim_size_mm"] = values.get("trim_size_mm") or trim
        values["visible_size_mm"] = values.get("visible_size_mm") or visible
    return {k: v for k, v in values.items() if v is not None}


def print_welsh_first(welsh_first: bool, english_first: bool, languages: Sequence[str]) -> bool:
    """Welsh first when asked, or by default when the hub's default language is Welsh."""
    if welsh_first and english_first:
        raise click.UsageError("--welsh-first and --english-first contradict each other")
    return welsh_first or (not english_first and bool(languages) and languages[0] == "cy")


def cli_words(message: str) -> str:
    """A library message with its keyword overrides named as this command's options."""
    for name, option in WAIVERS.items():
        message = message.replace(name, option)
    return message
