"""Budget results computed where the data is: per area the mean, median and who raised, kept or
cut it, per lever how many chose each setting, over every version that asked the question.

The database does the counting, with the same SQL on SQLite and PostgreSQL: the amounts are read
from the answers' JSON once per row into a materialised CTE, then one statement sums them (and
counts who raised or cut each area), one reads every area's median with ORDER BY + LIMIT/OFFSET,
and one GROUP BY per lever counts its settings. Python only rounds the sums it gets back, under
kiosk.core.rounding's rule. The result has the shape of ``kiosk.budget.results.tally``, so the
same charts and tables show either.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, case, cast, func, literal, select, union_all

from kiosk.budget import rules
from kiosk.consultations.types import Definition, Question
from kiosk.core.db import db
from kiosk.core.rounding import divide
from kiosk.responses.models import Response


def _value(q: Question, *path: str) -> ColumnElement[Any]:
    """The JSON value at answers.<question id>.<path...> as text (SQLite returns it natively)."""
    return Response.answers[(q["id"], *path)].as_string()


def _amount(q: Question, area: str) -> ColumnElement[Any]:
    """One area's chosen amount in pence, as a 64-bit integer (budgets pass 2**31 pence)."""
    return cast(_value(q, "areas", area), BigInteger)


def _counted(slug: str, q: Question) -> list[ColumnElement[bool]]:
    """Which responses count: this consultation's, to a version that asked the question (stored
    answers were checked on the way in, so each holds every area and lever of its version)."""
    versions = q.get("asked_in")
    where = [Response.consultation_slug == slug]
    if versions:
        where.append(Response.version.in_(versions))
    return where


def _share(count: int, total: int) -> float:
    return float(divide(100 * count, total, 1)) if total else 0.0


def _amounts(slug: str, q: Question) -> Any:
    """A materialised CTE of every counted response's amounts (columns a0, a1, … in area order),
    so each amount is read from the JSON once per row, however often a statement uses it."""
    return select(case((_value(q).is_not(None), 1), else_=0).label("answered"),
                  *[_amount(q, a["id"]).label(f"a{i}") for i, a in enumerate(rules.areas(q))]
                  ).where(*_counted(slug, q)).cte("budget_amounts").prefix_with("MATERIALIZED")


def medians(slug: str, q: Question, counts: dict[str, int]) -> dict[str, int | None]:
    """Each area's median amount over its n answers (counts): the middle value, or the mean of
    the middle two (rounded), read with ORDER BY + LIMIT/OFFSET per area in one statement."""
    amounts = _amounts(slug, q)
    arms = []
    for i, a in enumerate(rules.areas(q)):
        n, column = counts[a["id"]], amounts.c[f"a{i}"]
        if n:
            middle = (select(column.label("amount")).where(column.is_not(None)).order_by(column)
                      .limit(1 if n % 2 else 2).offset((n - 1) // 2).subquery())
            arms.append(select(literal(a["id"]).label("area"), middle.c.amount))
    found: dict[str, list[int]] = {a["id"]: [] for a in rules.areas(q)}
    if arms:
        for area, amount in db.session.execute(union_all(*arms)):
            found[area].append(int(amount))
    return {k: int(divide(sum(v), len(v))) if v else None for k, v in found.items()}


def _area_totals(slug: str, q: Question) -> tuple[int, dict[str, tuple[int, int, int, int]]]:
    """(answers, {area: (answers, sum, raised, cut)}) in one aggregate statement."""
    chosen = rules.areas(q)
    amounts = _amounts(slug, q)
    columns: list[ColumnElement[Any]] = [func.coalesce(func.sum(amounts.c.answered), 0)]
    for i, a in enumerate(chosen):
        amount = amounts.c[f"a{i}"]
        columns += [func.count(amount), func.sum(amount),
                    func.sum(case((amount > a["current"], 1), else_=0)),
                    func.sum(case((amount < a["current"], 1), else_=0))]
    row = db.session.execute(select(*columns).select_from(amounts)).one()
    out = {}
    for i, a in enumerate(chosen):
        n, total, raised, cut = row[1 + 4 * i: 5 + 4 * i]
        out[a["id"]] = (int(n), int(total or 0), int(raised or 0), int(cut or 0))
    return int(row[0]), out


def lever_counts(slug: str, q: Question, lever: str) -> Counter[Decimal]:
    """How many answers chose each setting of one lever (GROUP BY in the database)."""
    setting = _value(q, "levers", lever)
    rows = db.session.execute(select(setting, func.count()).where(*_counted(slug, q), setting.is_not(None))
                              .group_by(setting))
    out: Counter[Decimal] = Counter()
    for value, n in rows:  # "2.5" and "2.50" are one setting
        out[Decimal(str(value))] += int(n)
    return out


def summary(slug: str, q: Question) -> dict:
    """A budget question's results over every version that asked it (see the module docstring)."""
    answered, totals = _area_totals(slug, q)
    middle = medians(slug, q, {k: v[0] for k, v in totals.items()})
    out: dict[str, Any] = {"responses": answered, "skipped": 0, "areas": {}, "levers": {}}
    for a in rules.areas(q):
        n, total, raised, cut = totals[a["id"]]
        kept = n - raised - cut
        out["areas"][a["id"]] = {
            "current": a["current"],
            "mean": int(divide(total, n)) if n else None,
            "median": middle[a["id"]],
            "raised": raised, "kept": kept, "cut": cut,
            "shares": {"raised": _share(raised, n), "kept": _share(kept, n), "cut": _share(cut, n)},
        }
    for lv in q["levers"]:
        counts = lever_counts(slug, q, lv["id"])
        out["levers"][lv["id"]] = _lever(lv, counts, sum(counts.values()))
    return out


def _lever(lv: dict, counts: Counter[Decimal], n: int) -> dict:
    """One lever's distribution (every setting it offers, and any other setting chosen) and mean."""
    today = Decimal(lv["current"])
    table = rules.steps(Decimal(lv["min"]), Decimal(lv["max"]), Decimal(lv["step"]))
    settings = sorted(set(table) | {v for v, c in counts.items() if c})
    total = sum((v * c for v, c in counts.items()), Decimal(0))
    raised = sum(c for v, c in counts.items() if v > today)
    cut = sum(c for v, c in counts.items() if v < today)
    kept = counts.get(today, 0)
    return {
        "current": lv["current"],
        "counts": {rules.lever_str(v): counts.get(v, 0) for v in settings},
        "mean": rules.lever_str(divide(total, n, places=2)) if n else None,
        "raised": raised, "kept": kept, "cut": cut,
        "shares": {"raised": _share(raised, n), "kept": _share(kept, n), "cut": _share(cut, n)},
    }


def summaries(slug: str, defn: Definition) -> dict[str, dict]:
    """Every budget question's results, keyed by question key."""
    return {q.get("key", q["id"]): summary(slug, q) for q in defn["questions"] if q["type"] == "budget"}
