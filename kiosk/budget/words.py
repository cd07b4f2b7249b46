"""What the budget simulator says to residents: money in words, slider value text, consequences.

budget.js says the same things in the browser; both read the message templates that
``messages()`` returns, so a screen reader hears the same words with or without the script.
"""

from __future__ import annotations

from fractions import Fraction

from flask_babel import gettext as _

from kiosk.budget.rules import MINUS, money
from kiosk.core.rounding import divide
from kiosk.core.text import tr

MILLION = 100_000_000  # pence
THOUSAND = 100_000  # pence
#: Council-tax band ratios to Band D (Local Government Finance Act 1992, s. 5), used when a
#: lever gives a Band D bill but no bands of its own.
STANDARD_BANDS = {"A": "6/9", "B": "7/9", "C": "8/9", "D": "9/9", "E": "11/9", "F": "13/9",
                  "G": "15/9", "H": "18/9"}


def messages() -> dict[str, str]:
    """Every template budget.js fills in, translated; placeholders are {name}."""
    return {
        "million": _("£%(amount)s million", amount="{amount}"),
        "same": _("%(amount)s, the same as today", amount="{amount}"),
        "more": _("%(amount)s, %(change)s more than today", amount="{amount}", change="{change}"),
        "less": _("%(amount)s, %(change)s less than today", amount="{amount}", change="{change}"),
        "rise": _("A rise of %(percent)s (%(change)s) from today.", percent="{percent}",
                  change="{change}"),
        "cut": _("A cut of %(percent)s (%(change)s) from today.", percent="{percent}",
                 change="{change}"),
        "nextRise": _("At %(amount)s or more: %(effect)s", amount="{amount}", effect="{effect}"),
        "nextCut": _("At %(amount)s or less: %(effect)s", amount="{amount}", effect="{effect}"),
        "bandBill": _("A Band %(band)s home would pay %(year)s a year (%(month)s a month).",
                      band="{band}", year="{year}", month="{month}"),
        "billMore": _("That is %(year)s a year (%(month)s a month) more than today.",
                      year="{year}", month="{month}"),
        "billLess": _("That is %(year)s a year (%(month)s a month) less than today.",
                      year="{year}", month="{month}"),
        "billSame": _("That is the same as today."),
    }


def short_money(pence: int, like: int | None = None) -> str:
    """Money as said aloud: £57.5 million when it (or `like`) is a million or more and whole
    thousands, else £1,234 exactly; never rounded."""
    ref = abs(pence if like is None else like)
    if ref < MILLION or pence % THOUSAND:
        return money(pence)
    thousands = abs(pence) // THOUSAND
    whole, rest = divmod(thousands, 1000)
    digits = f"{whole:,}" + (("." + f"{rest:03d}".rstrip("0")) if rest else "")
    text = _("£%(amount)s million", amount=digits)
    return MINUS + text if pence < 0 else text


def typed_pounds(pence: int) -> str:
    """An amount as it stands in the typed box: "58,500,000" or "1,234.50" (no £)."""
    pounds, rem = divmod(abs(pence), 100)
    return ("-" if pence < 0 else "") + f"{pounds:,}" + (f".{rem:02d}" if rem else "")


def value_text(amount: int, change: int) -> str:
    """A slider's aria-valuetext: "£57.5 million, £0.5 million less than today"."""
    said = short_money(amount)
    if change > 0:
        return _("%(amount)s, %(change)s more than today", amount=said,
                 change=short_money(change, like=amount))
    if change < 0:
        return _("%(amount)s, %(change)s less than today", amount=said,
                 change=short_money(-change, like=amount))
    return _("%(amount)s, the same as today", amount=said)


def percent(change: int, today: int) -> str:
    """|change| as a percentage of today's amount, to one decimal place, halves away from zero: "0.9%"."""
    shown = divide(abs(change) * 100, today, places=1)
    return format(shown.normalize(), "f") + "%"


def consequence(area: dict, amount: int) -> str:
    """What a chosen amount means, for every change: the furthest effect passed on the way from
    today's, or else how big the change is and what the next level in that direction brings.
    At today's amount, the effect written for today (if any)."""
    now = area["current"]
    if amount == now:
        return next((tr(e["text"]) for e in area["effects"] if e["at"] == now), "")
    change = amount - now
    size = short_money(abs(change), like=now)
    if now:
        key = _("A rise of %(percent)s (%(change)s) from today.", percent=percent(change, now),
                change=size) if change > 0 else \
            _("A cut of %(percent)s (%(change)s) from today.", percent=percent(change, now),
              change=size)
    else:
        key = _("%(change)s more than today", change=size)
    if change > 0:
        passed = [e for e in area["effects"] if now < e["at"] <= amount]
        ahead = [e for e in area["effects"] if e["at"] > amount]
        if passed:
            return f"{key} {tr(passed[-1]['text'])}"
        if ahead:
            return f"{key} " + _("At %(amount)s or more: %(effect)s",
                                 amount=short_money(ahead[0]["at"]), effect=tr(ahead[0]["text"]))
        return key
    passed = [e for e in area["effects"] if amount <= e["at"] < now]
    ahead = [e for e in area["effects"] if e["at"] < amount]
    if passed:
        return f"{key} {tr(passed[0]['text'])}"
    if ahead:
        return f"{key} " + _("At %(amount)s or less: %(effect)s",
                             amount=short_money(ahead[-1]["at"]), effect=tr(ahead[-1]["text"]))
    return key


def band_ratio(ratio: str) -> Fraction:
    """A band's ratio to Band D, written "6/9" or "1.5"; ValueError if it is not positive."""
    value = Fraction(ratio)
    if value <= 0:
        raise ValueError("a band ratio must be more than 0")
    return value


def band_bill(band_d_bill: int, ratio: Fraction) -> int:
    """A band's yearly bill in pence: the Band D bill × ratio, halves up to the penny."""
    exact = band_d_bill * ratio
    return int((exact * 2 + 1) // 2) if exact >= 0 else -int((-exact * 2 + 1) // 2)


def per_month(pence: int) -> int:
    """A yearly amount spread over twelve months, halves away from zero, to the penny."""
    whole = (abs(pence) * 2 + 12) // 24
    return -whole if pence < 0 else whole


def bill_consequence(band: str, ratio: Fraction, bill_d: int, today_d: int) -> str:
    """The precept's consequence for one band: its bill a year and a month, and the change."""
    bill, today = band_bill(bill_d, ratio), band_bill(today_d, ratio)
    said = _("A Band %(band)s home would pay %(year)s a year (%(month)s a month).", band=band,
             year=_pennies(bill), month=_pennies(per_month(bill)))
    change = bill - today
    if change > 0:
        more = _("That is %(year)s a year (%(month)s a month) more than today.",
                 year=_pennies(change), month=_pennies(per_month(change)))
    elif change < 0:
        more = _("That is %(year)s a year (%(month)s a month) less than today.",
                 year=_pennies(-change), month=_pennies(per_month(-change)))
    else:
        more = _("That is the same as today.")
    return f"{said} {more}"


def _pennies(pence: int) -> str:
    text = money(pence)
    return text if pence % 100 else text + ".00"
