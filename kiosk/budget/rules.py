"""Budget arithmetic: money in integer pence, levers in Decimal, the balance rules.

Floats never decide money: amounts are whole pence (int), lever settings are Decimal and every
rounding is spelled out (half up, to the penny).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from flask_babel import gettext as _

from kiosk.consultations.types import Question
from kiosk.core.problems import AnswerError
from kiosk.core.rounding import whole
from kiosk.core.text import tr

RULES = ("balance", "tolerance", "no_overspend")
MONEY = re.compile(r"^(-?)(\d{1,13})(?:\.(\d{1,2}))?$")
LEVER = re.compile(r"^[-+]?\d{1,6}(?:\.\d{1,4})?$")
MINUS = "\u2212"


def parse_pounds(raw: Any) -> int:
    """Pounds as written or typed (1234, "1,234", "£1,234.50") to integer pence; ValueError."""
    if isinstance(raw, bool | float):
        raise ValueError("money must be a whole number or a decimal string")
    if isinstance(raw, int):
        if abs(raw) >= 10**13:
            raise ValueError("amount too large")
        return raw * 100
    if isinstance(raw, Decimal):
        raw = format(raw, "f")
    if not isinstance(raw, str) or len(raw) > 30:
        raise ValueError("not an amount")
    text = raw.strip().replace(",", "").replace(" ", "").replace(MINUS, "-")
    text = text.replace("-£", "-").removeprefix("£")
    match = MONEY.match(text)
    if not match:
        raise ValueError("not an amount")
    sign, pounds, pence = match.groups()
    value = int(pounds) * 100 + int((pence or "0").ljust(2, "0"))
    return -value if sign else value


def parse_lever(raw: Any) -> Decimal:
    """A lever setting ("2.5", 2, 2.5 from YAML) as an exact Decimal; ValueError."""
    if isinstance(raw, bool):
        raise ValueError("not a number")
    text = repr(raw) if isinstance(raw, float) else str(raw).strip()
    if not LEVER.match(text):
        raise ValueError("not a number")
    return Decimal(text)


def lever_str(value: Decimal) -> str:
    """Canonical text of a lever setting: "2.5", "0", "-1", never an exponent."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def money(pence: int, sign: bool = False) -> str:
    """£1,234 or £1,234.50 (pence shown only when there are some); − for minus, + if sign."""
    pounds, rem = divmod(abs(pence), 100)
    text = f"£{pounds:,}" + (f".{rem:02d}" if rem else "")
    if pence < 0:
        return MINUS + text
    return ("+" + text) if sign and pence > 0 else text


def pounds_str(pence: int) -> str:
    """Plain pounds for CSV and number inputs: "58000000" or "1234.50"."""
    pounds, rem = divmod(abs(pence), 100)
    return ("-" if pence < 0 else "") + str(pounds) + (f".{rem:02d}" if rem else "")


def percent_of(pence: int, percent: Decimal) -> int:
    """pence × (100 + percent) / 100 to the penny, under kiosk.core.rounding's rule."""
    return whole(Fraction(pence) * (100 + Fraction(percent)) / 100)


def areas(q: Question) -> list[dict]:
    """Every service area of a budget question, in order."""
    return [a for g in q["groups"] for a in g["areas"]]


def steps(lo: Decimal, hi: Decimal, step: Decimal) -> list[Decimal]:
    """Every setting from lo to hi in steps (exact)."""
    count = int((hi - lo) / step)
    return [lo + step * i for i in range(count + 1)]


def lever_income(lever: dict, value: Decimal) -> int:
    """Income in pence the lever raises at a setting: base × (100 + value) / 100."""
    return percent_of(lever["base"], value)


def band_d(lever: dict, value: Decimal) -> int | None:
    """The Band D bill in pence a year at a lever setting, if the lever has one."""
    if lever.get("band_d") is None:
        return None
    return percent_of(parse_pounds(lever["band_d"]), value)


@dataclass(frozen=True)
class Totals:
    """Spending and income of one allocation, in pence."""

    spend: int
    income: int

    @property
    def difference(self) -> int:
        """Income minus spending: positive is unspent, negative is overspent."""
        return self.income - self.spend


def totals(q: Question, amounts: Mapping[str, int], levers: Mapping[str, Decimal]) -> Totals:
    """Sum spending and income exactly (integer pence)."""
    spend = sum(amounts[a["id"]] for a in areas(q))
    income = sum(f["amount"] for f in q["fixed_income"])
    income += sum(lever_income(lv, levers[lv["id"]]) for lv in q["levers"])
    return Totals(spend, income)


def rule_holds(q: Question, t: Totals) -> bool:
    """Whether the question's balance rule holds for these totals."""
    if q["rule"] == "balance":
        return t.difference == 0
    if q["rule"] == "tolerance":
        return abs(t.difference) <= q["tolerance"]
    return t.difference >= 0


def rule_message(q: Question, t: Totals) -> str | None:
    """A resident-facing message when the rule does not hold, else None."""
    if rule_holds(q, t):
        return None
    gap = money(abs(t.difference))
    margin = (_("It must be within %(amount)s of balancing.", amount=money(q["tolerance"]))
              if q["rule"] == "tolerance" else "")
    if t.difference < 0:
        fix = (_("Cut spending or raise income to balance it.") if q["levers"]
               else _("Cut spending to balance it."))
        return " ".join(filter(None, [_("Your budget is %(amount)s overspent.", amount=gap), margin, fix]))
    fix = (_("Spend it or lower income to balance it.") if q["levers"]
           else _("Spend it to balance it."))
    return " ".join(filter(None, [_("Your budget has %(amount)s left unspent.", amount=gap), margin, fix]))


def current(q: Question) -> tuple[dict[str, int], dict[str, Decimal]]:
    """Today's amounts and lever settings."""
    return ({a["id"]: a["current"] for a in areas(q)},
            {lv["id"]: Decimal(lv["current"]) for lv in q["levers"]})


@dataclass(frozen=True)
class Issue:
    """Why an allocation is refused: a code, the area or lever concerned, and the message."""

    code: str  # range | cap | over | under | unchanged
    subject: dict | None
    message: str


def allocation_issue(q: Question, amounts: Mapping[str, int], levers: Mapping[str, Decimal]) -> Issue | None:
    """The first thing wrong with a well-formed allocation (bounds, steps, rule, change), or None."""
    # Names are looked up (in the reader's language) only once something is wrong: sync ingest
    # checks thousands of valid answers a second.
    for a in areas(q):
        amount = amounts[a["id"]]
        if amount < a["min"]:
            return Issue("range", a, _("%(name)s: %(amount)s is below the minimum of %(min)s.",
                                       name=tr(a["name"]), amount=money(amount), min=money(a["min"])))
        if amount > a["max"]:
            return Issue("range", a, _("%(name)s: %(amount)s is above the maximum of %(max)s.",
                                       name=tr(a["name"]), amount=money(amount), max=money(a["max"])))
        if (amount - a["min"]) % a["step"]:
            return Issue("range", a, _("%(name)s: amounts go up and down in steps of %(step)s.",
                                       name=tr(a["name"]), step=money(a["step"])))
    for lv in q["levers"]:
        value = levers[lv["id"]]
        lo, hi, step = Decimal(lv["min"]), Decimal(lv["max"]), Decimal(lv["step"])
        if value < lo:
            return Issue("range", lv, _("%(name)s: %(amount)s is below the minimum of %(min)s.",
                                        name=tr(lv["name"]), amount=f"{lever_str(value)}%",
                                        min=f"{lv['min']}%"))
        if value > hi:
            return Issue("range", lv, _("%(name)s: %(amount)s is above the maximum of %(max)s.",
                                        name=tr(lv["name"]), amount=f"{lever_str(value)}%",
                                        max=f"{lv['max']}%"))
        if (value - lo) % step:
            return Issue("range", lv, _("%(name)s: choose a change in steps of %(step)s.",
                                        name=tr(lv["name"]), step=f"{lv['step']}%"))
        cap = lv.get("referendum_cap")
        if cap is not None and value > Decimal(cap):
            return Issue("cap", lv, _("%(name)s: a rise above %(cap)s would need a local "
                                      "referendum. Choose %(cap)s or less.",
                                      name=tr(lv["name"]), cap=f"{cap}%"))
    t = totals(q, amounts, levers)
    message = rule_message(q, t)
    if message:
        return Issue("over" if t.difference < 0 else "under", None, message)
    if q["require_change"] and (dict(amounts), dict(levers)) == current(q):
        return Issue("unchanged", None,
                     _("Please change at least one amount before you submit your budget."))
    return None


def allocation_problem(q: Question, amounts: Mapping[str, int], levers: Mapping[str, Decimal]) -> str | None:
    """The message for the first thing wrong with an allocation, or None if it is valid."""
    issue = allocation_issue(q, amounts, levers)
    return issue.message if issue else None


def parse_answer(q: Question, value: Any) -> tuple[dict[str, int], dict[str, Decimal]]:
    """The amounts and lever settings of a well-formed answer; AnswerError naming what is wrong."""
    if not isinstance(value, dict) or not {"areas", "levers"} <= set(value) <= {
            "areas", "levers", "comments"}:
        raise AnswerError(_("This budget answer is not in the expected form."))
    got, settings = value["areas"], value["levers"]
    if not isinstance(got, dict) or not isinstance(settings, dict):
        raise AnswerError(_("This budget answer is not in the expected form."))
    known = {a["id"]: a["name"] for a in areas(q)}
    levers = {lv["id"]: lv["name"] for lv in q["levers"]}
    extra = [k for k in got if k not in known] + [k for k in settings if k not in levers]
    if extra:
        raise AnswerError(_("%(name)s is not part of this budget.", name=repr(str(extra[0])[:40])))
    amounts: dict[str, int] = {}
    for ident, name in known.items():
        amount = got.get(ident)
        if amount is None:
            raise AnswerError(_("Please set an amount for %(name)s.", name=tr(name)))
        if not isinstance(amount, int) or isinstance(amount, bool):
            raise AnswerError(_("%(name)s: the amount must be a whole number of pence.",
                                name=tr(name)))
        amounts[ident] = amount
    chosen: dict[str, Decimal] = {}
    for ident, name in levers.items():
        setting = settings.get(ident)
        if not isinstance(setting, str) or not LEVER.match(setting):
            raise AnswerError(_("Please choose a setting for %(name)s.", name=tr(name)))
        chosen[ident] = Decimal(setting)
    return amounts, chosen
