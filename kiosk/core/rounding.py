"""The one rounding rule for every figure voxbox shows or exports: to the nearest multiple of the
unit, halves away from zero (0.5 → 1, -0.005 → -0.01), as people round by hand and as
``decimal.ROUND_HALF_UP`` does. The arithmetic is exact (fractions), so no float error decides a half."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

Number = int | Decimal | Fraction


def round_half_away(value: Number, places: int = 0) -> Decimal:
    """value rounded to `places` decimal places, halves away from zero, as an exact Decimal."""
    exact = Fraction(value) * 10**places
    whole = math.floor(abs(exact) + Fraction(1, 2))
    signed = -whole if exact < 0 else whole
    return Decimal(signed).scaleb(-places)


def divide(numerator: Number, denominator: Number, places: int = 0) -> Decimal:
    """numerator / denominator under the rounding rule (exact division first)."""
    return round_half_away(Fraction(numerator) / Fraction(denominator), places)


def whole(value: Number) -> int:
    """value rounded to a whole number under the rule."""
    return int(round_half_away(value))
