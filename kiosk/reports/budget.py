"""Budget results computed where the data is: per area the mean, median and who raised, kept or
cut it, per lever how many chose each setting, over every version that asked the question.

The database does the counting (one aggregate pass for every area, one ORDER BY + OFFSET per area
for its median, one GROUP BY per lever) with the same SQL on SQLite and PostgreSQL; Python only
rounds the sums it gets back, under kiosk.core.rounding's rule. The result has the shape of
``kiosk.budget.results.tally``, so the same charts and tables show either.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, case, cast, func, select

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
    """Which responses count: this consultation's, to a version that asked the question, with
    every area and lever answered (stored answers were checked on the way in)."""
    versions = q.get("asked_in")
    where = [Response.consultation_slug == slug]
    if versions:
        where.append(Response.version.in_(versions))
    where += [_value(q, "areas", a["id"]).is_not(None) for a in rules.areas(q)]
    where += [_value(q, "levers", lv["id"]).is_not(None) for lv in q["levers"]]
    return where


def _share(count: int, total: int) -> float:
    return float(divide(100 * count, total, 1)) if total else 0.0


def median(slug: str, q: Question, area: str, n: int) -> int | None:
    """The median amount chosen for one area over n counted answers: the middle value, or the
    mean of the middle two (rounded), read with ORDER BY + LIMIT/OFFSET in the database."""
    if not n:
        return None
    amount = _amount(q, area)
    middle = db.session.execute(select(amount).where(*_counted(slug, q)).order_by(amount)
                                .limit(1 if n % 2 else 2).offset((n - 1) // 2)).scalars().all()
    return int(divide(sum(middle), len(middle)))


def _area_totals(slug: str, q: Question) -> tuple[int, dict[str, tuple[int, int, int]]]:
    """(counted answers, {area: (sum, raised, cut)}) in one aggregate pass."""
    columns: list[ColumnElement[Any]] = [func.count()]
    for a in rules.areas(q):
        amount = _amount(q, a["id"])
        columns += [func.sum(amount),
                    func.sum(case((amount > a["current"], 1), else_=0)),
                    func.sum(case((amount < a["current"], 1), else_=0))]
    row = db.session.execute(select(*columns).where(*_counted(slug, q))).one()
    n = int(row[0])
    out = {}
    for i, a in enumerate(rules.areas(q)):
        total, raised, cut = row[1 + 3 * i: 4 + 3 * i]
        out[a["id"]] = (int(total or 0), int(raised or 0), int(cut or 0))
    return n, out


def lever_counts(slug: str, q: Question, lever: str) -> Counter[Decimal]:
    """How many counted answers chose each setting of one lever (GROUP BY in the database)."""
    setting = _value(q, "levers", lever)
    rows = db.session.execute(select(setting, func.count()).where(*_counted(slug, q))
                              .group_by(setting))
    out: Counter[Decimal] = Counter()
    for value, n in rows:  # "2.5" and "2.50" are one setting
        out[Decimal(str(value))] += int(n)
    return out


def summary(slug: str, q: Question) -> dict:
    """A budget question's results over every version that asked it (see the module docstring)."""
    n, totals = _area_totals(slug, q)
    answered = db.session.execute(select(func.count()).where(
        Response.consultation_slug == slug, _value(q).is_not(None),
        *([Response.version.in_(q["asked_in"])] if q.get("asked_in") else []))).scalar_one()
    out: dict[str, Any] = {"responses": n, "skipped": int(answered) - n, "areas": {}, "levers": {}}
    for a in rules.areas(q):
        total, raised, cut = totals[a["id"]]
        kept = n - raised - cut
        out["areas"][a["id"]] = {
            "current": a["current"],
            "mean": int(divide(total, n)) if n else None,
            "median": median(slug, q, a["id"], n),
            "raised": raised, "kept": kept, "cut": cut,
            "shares": {"raised": _share(raised, n), "kept": _share(kept, n), "cut": _share(cut, n)},
        }
    for lv in q["levers"]:
        out["levers"][lv["id"]] = _lever(lv, lever_counts(slug, q, lv["id"]), n)
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
