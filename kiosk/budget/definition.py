"""Validating a budget question's definition: areas, levers, income, the rule."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from kiosk.budget import comments, rules
from kiosk.budget.levers import define_extras
from kiosk.budget.moves import first_change
from kiosk.consultations.types import Question
from kiosk.core.problems import Problem
from kiosk.core.text import text

KEYS = {"currency", "total", "fixed_income", "groups", "levers", "rule", "tolerance",
        "require_change"}
ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_AREAS = 60
MAX_POSITIONS = 10_000
MAX_LEVER_POSITIONS = 2_000


def define(raw: dict, out: Question, path: str, problems: list[Problem]) -> None:
    """Check a raw budget question and fill `out` with its normalised form (amounts in pence)."""
    before = len(problems)
    if raw.get("currency", "GBP") != "GBP":
        problems.append(Problem(f"{path}.currency", "only GBP is supported"))
    out["currency"] = "GBP"
    out["fixed_income"] = _income(raw, path, problems)
    out["groups"] = _groups(raw.get("groups"), f"{path}.groups", problems)
    out["levers"] = _levers(raw.get("levers", []), f"{path}.levers", problems)
    _rule(raw, out, path, problems)
    _unique_ids(out, path, problems)
    if len(problems) == before:
        _feasible(out, path, problems)


def _unknown(raw: dict, known: set[str], path: str, problems: list[Problem]) -> None:
    for key in sorted(set(raw) - known):
        problems.append(Problem(f"{path}.{key}", "unknown field"))


def _amount(raw: Any, path: str, problems: list[Problem], minimum: int = 0) -> int | None:
    """Pounds in the YAML (a whole number or a quoted decimal) to pence."""
    if raw is None:
        problems.append(Problem(path, "an amount in pounds is required"))
        return None
    if isinstance(raw, float):
        problems.append(Problem(path, "write money as whole pounds or a quoted decimal like '12.50'"))
        return None
    try:
        pence = rules.parse_pounds(raw)
    except ValueError:
        problems.append(Problem(path, f"{raw!r} is not an amount in pounds"))
        return None
    if pence < minimum:
        problems.append(Problem(path, f"must be at least {rules.money(minimum)}"))
        return None
    return pence


def _id(raw: Any, path: str, problems: list[Problem]) -> str | None:
    if not isinstance(raw, str) or not ID.match(raw):
        problems.append(Problem(path, "must start with a letter: a-z, 0-9, _ (≤ 40)"))
        return None
    return raw


def _mapping_list(raw: Any, path: str, problems: list[Problem], what: str) -> list[Any]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append(Problem(path, f"must be a list of {what}"))
        return []
    return raw


def _income(raw: dict, path: str, problems: list[Problem]) -> list[dict]:
    """Fixed income: a list of named amounts, or a single `total`."""
    items = _mapping_list(raw.get("fixed_income"), f"{path}.fixed_income", problems, "incomes")
    if "total" in raw:
        if items:
            problems.append(Problem(f"{path}.total", "give either total or fixed_income, not both"))
        amount = _amount(raw["total"], f"{path}.total", problems)
        return [{"id": "total", "name": {"en": "Budget", "cy": "Cyllideb"},
                 "amount": amount or 0}]
    if not items and not raw.get("levers"):
        problems.append(Problem(f"{path}.fixed_income", "give fixed_income, total or levers"))
    out = []
    for i, item in enumerate(items):
        ipath = f"{path}.fixed_income[{i}]"
        if not isinstance(item, dict):
            problems.append(Problem(ipath, "must be a mapping with id, name and amount"))
            continue
        _unknown(item, {"id", "name", "amount"}, ipath, problems)
        out.append({"id": _id(item.get("id"), f"{ipath}.id", problems),
                    "name": text(item.get("name"), f"{ipath}.name", problems),
                    "amount": _amount(item.get("amount"), f"{ipath}.amount", problems) or 0})
    return out


def _groups(raw: Any, path: str, problems: list[Problem]) -> list[dict]:
    groups = _mapping_list(raw, path, problems, "groups")
    if not groups:
        problems.append(Problem(path, "at least one group of areas needed"))
    out: list[dict] = []
    for i, group in enumerate(groups):
        gpath = f"{path}[{i}]"
        if not isinstance(group, dict):
            problems.append(Problem(gpath, "must be a mapping with name and areas"))
            continue
        _unknown(group, {"name", "areas"}, gpath, problems)
        items = _mapping_list(group.get("areas"), f"{gpath}.areas", problems, "areas")
        if not items:
            problems.append(Problem(f"{gpath}.areas", "at least one area needed"))
        out.append({"name": text(group.get("name"), f"{gpath}.name", problems),
                    "areas": [a for j, item in enumerate(items)
                              if (a := _area(item, f"{gpath}.areas[{j}]", problems))]})
    if sum(len(g["areas"]) for g in out) > MAX_AREAS:
        problems.append(Problem(path, f"at most {MAX_AREAS} areas"))
    return out


def _area(raw: Any, path: str, problems: list[Problem]) -> dict | None:
    if not isinstance(raw, dict):
        problems.append(Problem(path, "must be a mapping with id, name, current, min, max, step"))
        return None
    _unknown(raw, {"id", "name", "description", "current", "min", "max", "step", "effects",
                   "comment"}, path, problems)
    area: dict[str, Any] = {
        "id": _id(raw.get("id"), f"{path}.id", problems),
        "name": text(raw.get("name"), f"{path}.name", problems),
        "description": text(raw.get("description"), f"{path}.description", problems,
                            required=False),
    }
    for key in ("current", "min", "max", "step"):
        area[key] = _amount(raw.get(key), f"{path}.{key}", problems, 1 if key == "step" else 0)
    lo, now, hi, step = area["min"], area["current"], area["max"], area["step"]
    if None not in (lo, now, hi, step):
        if not lo <= now <= hi:
            problems.append(Problem(f"{path}.current", "must be between min and max"))
        elif (hi - lo) % step:
            problems.append(Problem(f"{path}.max", f"max − min ({rules.money(hi - lo)}) is not a "
                                                   f"whole number of steps of {rules.money(step)}"))
        elif (now - lo) % step:
            problems.append(Problem(f"{path}.current", "must be min plus a whole number of steps"))
        elif (hi - lo) // step > MAX_POSITIONS:
            problems.append(Problem(f"{path}.step", f"too small: more than {MAX_POSITIONS} positions"))
    area["effects"] = _effects(raw.get("effects"), now, f"{path}.effects", problems)
    area["comment"] = comments.define(raw.get("comment"), f"{path}.comment", problems)
    return area


def _effects(raw: Any, now: int | None, path: str, problems: list[Problem]) -> list[dict]:
    """What a level means: `at` is a percent change ("-5%") or an amount; stored as pence levels."""
    out: dict[int, dict] = {}
    for i, item in enumerate(_mapping_list(raw, path, problems, "effects")):
        epath = f"{path}[{i}]"
        if not isinstance(item, dict):
            problems.append(Problem(epath, "must be a mapping with at and text"))
            continue
        _unknown(item, {"at", "text"}, epath, problems)
        at, level = item.get("at"), None
        if isinstance(at, str) and at.strip().endswith("%"):
            try:
                percent = rules.parse_lever(at.strip()[:-1])
            except ValueError:
                problems.append(Problem(f"{epath}.at", f"{at!r} is not a percent change like -5%"))
            else:
                level = rules.percent_of(now, percent) if now is not None else None
        else:
            level = _amount(at, f"{epath}.at", problems)
        words = text(item.get("text"), f"{epath}.text", problems)
        if level is not None and level in out:
            problems.append(Problem(f"{epath}.at", "two effects at the same level"))
        elif level is not None and words:
            out[level] = {"at": level, "text": words}
    return [out[k] for k in sorted(out)]


def _levers(raw: Any, path: str, problems: list[Problem]) -> list[dict]:
    out = []
    for i, item in enumerate(_mapping_list(raw, path, problems, "levers")):
        lpath = f"{path}[{i}]"
        if not isinstance(item, dict):
            problems.append(Problem(lpath, "must be a mapping with id, name, base, current, min, max, step"))
            continue
        _unknown(item, {"id", "name", "description", "unit", "current", "min", "max", "step",
                        "base", "band_d", "bands", "referendum_cap"}, lpath, problems)
        if item.get("unit", "percent") != "percent":
            problems.append(Problem(f"{lpath}.unit", "only percent levers are supported"))
        lever: dict[str, Any] = {
            "id": _id(item.get("id"), f"{lpath}.id", problems),
            "name": text(item.get("name"), f"{lpath}.name", problems),
            "description": text(item.get("description"), f"{lpath}.description", problems,
                                required=False),
            "unit": "percent",
            "base": _amount(item.get("base"), f"{lpath}.base", problems) or 0,
            "band_d": None,
        }
        if item.get("band_d") is not None:
            pence = _amount(item["band_d"], f"{lpath}.band_d", problems, 1)
            lever["band_d"] = rules.pounds_str(pence) if pence else None
        _lever_range(item, lever, lpath, problems)
        define_extras(item, lever, lpath, problems)
        out.append(lever)
    return out


def _lever_range(item: dict, lever: dict, path: str, problems: list[Problem]) -> None:
    values: dict[str, Decimal] = {}
    for key in ("current", "min", "max", "step"):
        try:
            values[key] = rules.parse_lever(item.get(key, "0" if key == "current" else None))
        except ValueError:
            problems.append(Problem(f"{path}.{key}", "must be a number like 2.5"))
        else:
            lever[key] = rules.lever_str(values[key])
    if len(values) < 4:
        return
    lo, now, hi, step = values["min"], values["current"], values["max"], values["step"]
    if step <= 0:
        problems.append(Problem(f"{path}.step", "must be more than 0"))
    elif lo <= -100:
        problems.append(Problem(f"{path}.min", "must be more than -100"))
    elif not lo <= now <= hi:
        problems.append(Problem(f"{path}.current", "must be between min and max"))
    elif (hi - lo) % step:
        problems.append(Problem(f"{path}.max", "max − min is not a whole number of steps"))
    elif (now - lo) % step:
        problems.append(Problem(f"{path}.current", "must be min plus a whole number of steps"))
    elif (hi - lo) / step > MAX_LEVER_POSITIONS:
        problems.append(Problem(f"{path}.step", f"too small: more than {MAX_LEVER_POSITIONS} positions"))


def _rule(raw: dict, out: Question, path: str, problems: list[Problem]) -> None:
    rule = raw.get("rule", "balance")
    if rule not in rules.RULES:
        problems.append(Problem(f"{path}.rule", f"must be one of {', '.join(rules.RULES)}"))
    out["rule"] = rule
    out["tolerance"] = 0
    if rule == "tolerance":
        out["tolerance"] = _amount(raw.get("tolerance"), f"{path}.tolerance", problems) or 0
    elif raw.get("tolerance") not in (None, 0):  # 0 is what an export writes for other rules
        problems.append(Problem(f"{path}.tolerance", "only used with rule: tolerance"))
    change = raw.get("require_change", False)
    if not isinstance(change, bool):
        problems.append(Problem(f"{path}.require_change", "must be true or false"))
    out["require_change"] = change is True


def _unique_ids(out: Question, path: str, problems: list[Problem]) -> None:
    """Areas and levers share the form's field names, so their ids must all differ."""
    seen: set[str] = set()
    named = [(f"groups[{i}].areas[{j}]", a["id"]) for i, g in enumerate(out["groups"])
             for j, a in enumerate(g["areas"])]
    named += [(f"levers[{i}]", lv["id"]) for i, lv in enumerate(out["levers"])]
    named += [(f"fixed_income[{i}]", f["id"]) for i, f in enumerate(out["fixed_income"])
              if f["id"] != "total"]
    for where, ident in named:
        if ident is None:
            continue
        if ident in seen:
            problems.append(Problem(f"{path}.{where}.id", f"duplicate id {ident!r}"))
        seen.add(ident)


def _feasible(out: Question, path: str, problems: list[Problem]) -> None:
    """Today's amounts must satisfy the rule; with require_change, some change must too."""
    amounts, levers = rules.current(out)
    t = rules.totals(out, amounts, levers)
    if not rules.rule_holds(out, t):
        problems.append(Problem(f"{path}.rule", (
            f"today's spending ({rules.money(t.spend)}) and income ({rules.money(t.income)}) "
            f"do not satisfy rule {out['rule']!r}: {rules.rule_message(out, t)}")))
    elif out["require_change"]:
        if first_change(out) is None:
            problems.append(Problem(f"{path}.require_change",
                                    "no change from today's amounts can satisfy the rule"))
