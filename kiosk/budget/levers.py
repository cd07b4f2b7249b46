"""An income lever's council-tax extras: the bands residents choose from and a referendum cap."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from kiosk.budget import rules
from kiosk.budget.words import STANDARD_BANDS, band_ratio
from kiosk.core.problems import Problem

BAND = re.compile(r"^[A-I]$")
RATIO = re.compile(r"^\d{1,3}(?:/\d{1,3}|\.\d{1,4})?$")


def define_extras(item: dict, lever: dict, path: str, problems: list[Problem]) -> None:
    """Check a lever's optional `bands` (letter: ratio to Band D) and `referendum_cap` (a %)."""
    lever["bands"] = None
    lever["referendum_cap"] = None
    bands = item.get("bands")
    if bands is not None:
        if lever["band_d"] is None:
            problems.append(Problem(f"{path}.bands", "only used with band_d"))
        elif not isinstance(bands, dict) or not bands:
            problems.append(Problem(f"{path}.bands", "must map band letters to ratios, like A: 6/9"))
        else:
            lever["bands"] = _bands(bands, f"{path}.bands", problems)
    cap = item.get("referendum_cap")
    if cap is not None:
        try:
            value = rules.parse_lever(cap)
        except ValueError:
            problems.append(Problem(f"{path}.referendum_cap", "must be a number like 4.99"))
            return
        if "current" in lever and value < Decimal(lever["current"]):
            problems.append(Problem(f"{path}.referendum_cap", "must be at least today's setting"))
            return
        lever["referendum_cap"] = rules.lever_str(value)


def _bands(raw: dict, path: str, problems: list[Problem]) -> dict[str, str] | None:
    out: dict[str, str] = {}
    for letter, ratio in raw.items():
        text = str(ratio).strip()
        if not isinstance(letter, str) or not BAND.match(letter):
            problems.append(Problem(f"{path}.{letter}", "a band is one letter from A to I"))
        elif isinstance(ratio, bool) or not RATIO.match(text) or band_ratio_or_none(text) is None:
            problems.append(Problem(f"{path}.{letter}", "a ratio to Band D, like 6/9 or 1.5"))
        else:
            out[letter] = text
    if out and "D" not in out:
        problems.append(Problem(f"{path}.D", "Band D is needed (its ratio is 9/9)"))
    return dict(sorted(out.items())) if out else None


def band_ratio_or_none(text: str) -> Fraction | None:
    """The ratio, or None if it is zero or malformed."""
    try:
        return band_ratio(text)
    except (ValueError, ZeroDivisionError):
        return None


def bands(lever: dict) -> dict[str, Fraction]:
    """The lever's bands and their ratios to Band D (the standard A–H if none are given)."""
    return {k: Fraction(v) for k, v in (lever.get("bands") or STANDARD_BANDS).items()}


def cap(lever: dict) -> Decimal | None:
    """The highest setting allowed without a referendum, if the lever has a cap."""
    value = lever.get("referendum_cap")
    return None if value is None else Decimal(value)
