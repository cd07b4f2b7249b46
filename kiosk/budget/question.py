"""The budget simulator question type: residents balance a budget across service areas.

Registered as question type ``budget`` when this module is imported. Answers are JSON
``{"areas": {area_id: pence}, "levers": {lever_id: "2.5"}}``; money is integer pence and lever
settings are Decimal strings, so floats never decide whether a budget balances.
"""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction
from typing import Any

from flask import Flask
from flask_babel import gettext as _

from kiosk.budget import comments, rules, words
from kiosk.budget import levers as levers_extra
from kiosk.budget.definition import KEYS, define
from kiosk.budget.moves import as_answer, random_allocation
from kiosk.budget.results import atoms, chart, csv_columns, csv_values, summarise, tally
from kiosk.consultations.questions.base import QuestionType
from kiosk.consultations.types import Question
from kiosk.core.problems import AnswerError
from kiosk.core.text import tr
from kiosk.reports import charts

__all__ = ["check", "csv_columns", "csv_values", "define", "effect_for", "from_form",
           "init_app", "sample", "status", "tally", "view"]


def from_form(q: Question, form: Any) -> dict | None:
    """Parse `<qid>.<area>` (pounds as typed) and `<qid>.<lever>` fields; None if none were sent."""
    qid = q["id"]
    typed = {a["id"]: (form.get(f"{qid}.{a['id']}") or "").strip() for a in rules.areas(q)}
    settings = {lv["id"]: (form.get(f"{qid}.{lv['id']}") or "").strip() for lv in q["levers"]}
    if not any(typed.values()) and not any(settings.values()) and not comments.from_form(q, form):
        return None
    amounts: dict[str, int] = {}
    for a in rules.areas(q):
        try:
            amounts[a["id"]] = rules.parse_pounds(typed[a["id"]])
        except ValueError:
            raise AnswerError(_("%(name)s: please type an amount in pounds, like 1,250,000.",
                                name=tr(a["name"]))) from None
    levers: dict[str, str] = {}
    for lv in q["levers"]:
        try:
            levers[lv["id"]] = rules.lever_str(rules.parse_lever(settings[lv["id"]]))
        except ValueError:
            raise AnswerError(_("%(name)s: please type a percentage, like 2.5.",
                                name=tr(lv["name"]))) from None
    said = comments.from_form(q, form)
    return {"areas": amounts, "levers": levers, **({"comments": said} if said else {})}


def check(q: Question, value: Any) -> None:
    """Refuse an answer unless it has every area and lever, within bounds, on step, and balances."""
    amounts, levers = rules.parse_answer(q, value)
    if "comments" in value:
        comments.check(q, value["comments"])
    problem = rules.allocation_problem(q, amounts, levers)
    if problem:
        raise AnswerError(problem)


def sample(q: Question, rng: random.Random) -> dict:
    """A random valid answer (synthetic data, load tests)."""
    return as_answer(*random_allocation(q, rng))


def _lenient(q: Question, value: Any) -> tuple[dict[str, int], dict[str, Decimal]]:
    """An answer's amounts and settings, today's where a part is missing or malformed."""
    amounts, levers = rules.current(q)
    if isinstance(value, dict):
        got = areas if isinstance(areas := value.get("areas"), dict) else {}
        for ident in amounts:
            if isinstance(got.get(ident), int) and not isinstance(got.get(ident), bool):
                amounts[ident] = got[ident]
        settings = chosen if isinstance(chosen := value.get("levers"), dict) else {}
        for ident in levers:
            setting = settings.get(ident)
            if isinstance(setting, str) and rules.LEVER.match(setting):
                levers[ident] = Decimal(setting)
    return amounts, levers


def status(q: Question, value: Any) -> dict:
    """Spending, income, difference, whether the rule holds, the Band D bill and any reason."""
    amounts, levers = _lenient(q, value)
    t = rules.totals(q, amounts, levers)
    issue = rules.allocation_issue(q, amounts, levers)
    billed = [lv for lv in q["levers"] if lv["band_d"] is not None]
    bill = rules.band_d(billed[0], levers[billed[0]["id"]]) if billed else None
    today = rules.band_d(billed[0], Decimal(billed[0]["current"])) if billed else None
    return {
        "spend": t.spend, "income": t.income, "difference": t.difference,
        "balanced": rules.rule_holds(q, t), "ok": issue is None,
        "reason": issue.message if issue else None, "problem": issue.code if issue else None,
        "subject": issue.subject if issue else None,
        "changed": (amounts, levers) != rules.current(q),
        "band_d": bill, "band_d_change": None if bill is None or today is None else bill - today,
    }


def effect_for(area: dict, amount: int) -> dict | None:
    """The effect text written for a level: the furthest passed on the way from today's amount."""
    now = area["current"]
    if amount < now:
        passed = [e for e in area["effects"] if amount <= e["at"] < now]
        return passed[0]["text"] if passed else _at_today(area)
    if amount > now:
        passed = [e for e in area["effects"] if now < e["at"] <= amount]
        return passed[-1]["text"] if passed else _at_today(area)
    return _at_today(area)


def _at_today(area: dict) -> dict | None:
    return next((e["text"] for e in area["effects"] if e["at"] == area["current"]), None)


def view(q: Question, value: Any) -> dict:
    """What the partial and budget.js need: positions, today's marks, words and lever tables."""
    amounts, levers = _lenient(q, value)
    said = value.get("comments") if isinstance(value, dict) else None
    said = said if isinstance(said, dict) else {}
    shown: dict[str, dict] = {}
    for a in rules.areas(q):
        amount, positions = amounts[a["id"]], (a["max"] - a["min"]) // a["step"]
        index = min(max((amount - a["min"]) // a["step"], 0), positions)
        today = (a["current"] - a["min"]) // a["step"]
        shown[a["id"]] = {"amount": amount, "pounds": words.typed_pounds(amount), "index": index,
                          "positions": positions, "today": today,
                          "today_pct": round(100 * today / positions, 2) if positions else 0,
                          "change": amount - a["current"],
                          "valuetext": words.value_text(amount, amount - a["current"]),
                          "consequence": words.consequence(a, amount),
                          "comment": said.get(a["id"]) if isinstance(said.get(a["id"]), str) else ""}
    for lv in q["levers"]:
        table = rules.steps(Decimal(lv["min"]), Decimal(lv["max"]), Decimal(lv["step"]))
        setting = levers[lv["id"]]
        index = min(range(len(table)), key=lambda i: abs(table[i] - setting))
        today = table.index(Decimal(lv["current"]))
        bill = rules.band_d(lv, setting)
        shown[lv["id"]] = {
            "setting": rules.lever_str(setting), "index": index, "bill": bill,
            "positions": len(table) - 1, "today": today, "table": table,
            "today_pct": round(100 * today / (len(table) - 1), 2) if len(table) > 1 else 0,
            "bands": list(levers_extra.bands(lv)) if bill is not None else [],
            "consequence": _bill_words(lv, setting)}
    return shown


def _bill_words(lever: dict, setting: Decimal, band: str = "D") -> str:
    bill = rules.band_d(lever, setting)
    if bill is None:
        return ""
    today = rules.band_d(lever, Decimal(lever["current"]))
    ratio = levers_extra.bands(lever).get(band, Fraction(1))
    return words.bill_consequence(band, ratio, bill, today or 0)


def script_config(q: Question, messages: dict[str, str]) -> dict:
    """The JSON budget.js reads: the rule, areas and lever tables in pence, translated texts."""
    config: dict[str, Any] = {
        "qid": q["id"], "rule": q["rule"], "tolerance": q["tolerance"],
        "requireChange": q["require_change"], "fixed": sum(f["amount"] for f in q["fixed_income"]),
        "msgs": {**messages, **words.messages()}, "areas": [], "levers": [],
    }
    for a in rules.areas(q):
        config["areas"].append({
            "id": a["id"], "name": tr(a["name"]), "min": a["min"], "max": a["max"],
            "step": a["step"], "current": a["current"],
            "effects": [{"at": e["at"], "text": tr(e["text"])} for e in a["effects"]]})
    for lv in q["levers"]:
        table = rules.steps(Decimal(lv["min"]), Decimal(lv["max"]), Decimal(lv["step"]))
        config["levers"].append({
            "id": lv["id"], "name": tr(lv["name"]), "current": lv["current"], "min": lv["min"],
            "max": lv["max"], "step": lv["step"], "cap": lv.get("referendum_cap"),
            "bands": {k: [r.numerator, r.denominator] for k, r in levers_extra.bands(lv).items()},
            "values": [{"v": rules.lever_str(v), "income": rules.lever_income(lv, v),
                        "bandD": rules.band_d(lv, v)}
                       for v in table]})
    return config


def lever_label(setting: Decimal | str) -> str:
    """A lever setting as residents read it: +2.5%, 0%, −1%."""
    value = Decimal(setting)
    text = rules.lever_str(abs(value)) + "%"
    return ("+" + text) if value > 0 else (rules.MINUS + text if value < 0 else text)


def _money(pence: int | None, sign: bool = False, pence_shown: bool = False) -> str:
    if pence is None:
        return ""
    if pence_shown and pence % 100 == 0:
        return rules.money(pence, sign) + ".00"
    return rules.money(pence, sign)


def init_app(app: Flask) -> None:
    """Template helpers the budget partial and staff tally need."""
    app.jinja_env.globals.update(budget_status=status, budget_view=view, budget_chart=chart,
                                 budget_config=script_config, budget_areas=rules.areas,
                                 budget_comment_prompt=comments.prompt,
                                 budget_comment_max=comments.MAX_COMMENT, bar_chart=charts.hbars)
    app.jinja_env.filters["money"] = _money
    app.jinja_env.filters["pounds"] = rules.pounds_str
    app.jinja_env.filters["lever_label"] = lever_label


def document(q: Question) -> dict:
    """A stored budget question in the YAML authoring form (pence back to pounds), so that an
    export imports back to exactly the same definition."""
    def pounds(pence: int) -> int | str:
        return pence // 100 if pence % 100 == 0 else rules.pounds_str(pence)

    def area(a: dict) -> dict:
        out = {**a, **{k: pounds(a[k]) for k in ("current", "min", "max", "step")}}
        if a.get("effects"):
            out["effects"] = [{**e, "at": pounds(e["at"])} for e in a["effects"]]
        return out

    out = dict(q)
    out["fixed_income"] = [{**f, "amount": pounds(f["amount"])} for f in q["fixed_income"]]
    out["levers"] = [{**lv, "base": pounds(lv["base"])} for lv in q["levers"]]
    out["groups"] = [{**g, "areas": [area(a) for a in g["areas"]]} for g in q["groups"]]
    if q["rule"] == "tolerance":
        out["tolerance"] = pounds(q["tolerance"])
    else:
        out.pop("tolerance", None)
    return out


BUDGET = QuestionType(name="budget", keys=frozenset(KEYS), define=define, from_form=from_form, check=check,
                      tally=tally, sample=sample, document=document, atoms=atoms, summarise=summarise)
