"""A placement's print cost: typed in pounds ("12.50"), kept in whole pence on its tracking code,
and set against the responses completed through that code in the report."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import select

from kiosk.core.db import db
from kiosk.core.rounding import divide, round_half_away
from kiosk.outreach.models import TrackingCode

#: The most a placement's print run may cost: £100,000 (anything more is a typing slip).
MAX_PENCE = 10_000_000
PENNY = Decimal("0.01")
#: Pounds as typed: digits, then perhaps a point and more digits (no exponent, no sign).
AMOUNT = re.compile(r"[0-9]{1,12}(\.[0-9]{1,12})?")


class CostError(ValueError):
    """A print cost that cannot be taken: ``format``, ``negative``, ``pennies`` or ``too_big``."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__({"format": "give the print cost in pounds, e.g. 12.50",
                          "negative": "a print cost cannot be negative",
                          "pennies": "a print cost has at most two decimal places",
                          "too_big": f"a print cost is at most £{MAX_PENCE // 100:,}"}[code])


def parse_pounds(text: str | None) -> int | None:
    """Pence for an amount typed in pounds ("12.50", "£1,200", "7"); None when left blank."""
    cleaned = (text or "").strip().removeprefix("£").replace(",", "").strip()
    if not cleaned:
        return None
    if cleaned.startswith("-") and AMOUNT.fullmatch(cleaned[1:].strip().removeprefix("£")):
        raise CostError("negative")
    if not AMOUNT.fullmatch(cleaned):
        raise CostError("format")
    pounds = Decimal(cleaned)
    pence = pounds * 100
    if pence != pence.to_integral_value():
        raise CostError("pennies")
    if pence > MAX_PENCE:
        raise CostError("too_big")
    return int(pence)


def set_cost(code: str, pence: int | None) -> TrackingCode:
    """Give (or clear, with None) a placement's print cost; LookupError for an unknown code."""
    row = db.session.get(TrackingCode, code)
    if row is None:
        raise LookupError(f"no tracking code {code!r}")
    if pence is not None and not 0 <= pence <= MAX_PENCE:
        raise CostError("negative" if pence < 0 else "too_big")
    row.print_cost_pence = pence
    db.session.commit()
    return row


def for_codes(codes: Iterable[str | None]) -> dict[str, int]:
    """{code: print cost in pence} for the codes that have one."""
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    q = select(TrackingCode.code, TrackingCode.print_cost_pence).where(
        TrackingCode.code.in_(wanted), TrackingCode.print_cost_pence.is_not(None))
    return {code: pence for code, pence in db.session.execute(q) if pence is not None}


def per_response(pence: int | None, completed: int) -> Decimal | None:
    """Pounds per completed response, to the nearest penny; None without a cost or a completion."""
    if pence is None or not completed:
        return None
    return divide(pence, 100 * completed, 2)


def pounds(pence: int | None) -> str:
    """An amount in pence as £1,234.50 ("—" for none)."""
    return money(None if pence is None else Decimal(pence) / 100)


def money(amount: Decimal | None) -> str:
    """An amount in pounds as £1,234.50 ("—" for none)."""
    return "—" if amount is None else f"£{round_half_away(amount, 2):,.2f}"
