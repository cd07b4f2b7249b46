"""Budget results: per-area and per-lever summaries, the staff chart's geometry, CSV cells."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from kiosk.budget import comments, rules
from kiosk.consultations.types import Question
from kiosk.core.problems import AnswerError
from kiosk.core.rounding import divide


def _median(values: list[int]) -> int:
    ordered, mid = sorted(values), len(values) // 2
    return ordered[mid] if len(ordered) % 2 else int(divide(ordered[mid - 1] + ordered[mid], 2))


def _share(count: int, total: int) -> float:
    return float(divide(100 * count, total, 1)) if total else 0.0


def tally(q: Question, values: list[Any]) -> dict:
    """Per area: mean and median chosen (pence, rounded by kiosk.core.rounding: halves away from zero) and who raised, kept or cut it;
    per lever: how many chose each setting. Answers that fail the checks are counted as skipped."""
    valid: list[tuple[dict[str, int], dict[str, Decimal]]] = []
    for value in values:
        try:
            amounts, levers = rules.parse_answer(q, value)
        except AnswerError:
            continue
        if rules.allocation_problem(q, amounts, levers) is None:
            valid.append((amounts, levers))
    n = len(valid)
    out: dict[str, Any] = {"responses": n, "skipped": len(values) - n, "areas": {}, "levers": {}}
    for a in rules.areas(q):
        chosen = [amounts[a["id"]] for amounts, _ in valid]
        moves = Counter((c > a["current"]) - (c < a["current"]) for c in chosen)
        out["areas"][a["id"]] = {
            "current": a["current"],
            "mean": int(divide(sum(chosen), n)) if n else None,
            "median": _median(chosen) if n else None,
            "raised": moves[1], "kept": moves[0], "cut": moves[-1],
            "shares": {"raised": _share(moves[1], n), "kept": _share(moves[0], n),
                       "cut": _share(moves[-1], n)},
        }
    for lv in q["levers"]:
        settings = [levers[lv["id"]] for _, levers in valid]
        counts = Counter(settings)
        table = rules.steps(Decimal(lv["min"]), Decimal(lv["max"]), Decimal(lv["step"]))
        mean = divide(sum(settings, Decimal(0)), n, places=2) if n else None
        out["levers"][lv["id"]] = {
            "current": lv["current"],
            "counts": {rules.lever_str(v): counts.get(v, 0) for v in table},
            "mean": None if mean is None else rules.lever_str(mean),
            "raised": sum(1 for s in settings if s > Decimal(lv["current"])),
            "kept": counts.get(Decimal(lv["current"]), 0),
            "cut": sum(1 for s in settings if s < Decimal(lv["current"])),
        }
    return out


def chart(q: Question, t: dict, width: int = 640, row: int = 48) -> dict:
    """Geometry for the staff SVGs (display only): the mean chosen spend's change from today's as
    bars either side of a centre line, and the split of residents who raised, kept or cut it."""
    exact = {a["id"]: (divide(100 * (t["areas"][a["id"]]["mean"] - a["current"]), a["current"], 2)
                       if t["areas"][a["id"]]["mean"] is not None and a["current"] else Decimal(0))
             for a in rules.areas(q)}
    changes = {k: float(v) for k, v in exact.items()}  # figures (shown) under the rounding rule
    scale = max([abs(c) for c in changes.values()] + [1.0])
    half = width / 2
    rows = []
    for i, a in enumerate(rules.areas(q)):
        r = t["areas"][a["id"]]
        raised, kept, cut = (width * r["shares"][k] / 100 for k in ("raised", "kept", "cut"))
        bar = half * abs(changes[a["id"]]) / scale
        rows.append({
            "id": a["id"], "name": a["name"], "y": i * row, "current": a["current"],
            "mean": r["mean"], "shares": r["shares"], "change_pct": changes[a["id"]],
            "change_x": round(half if changes[a["id"]] >= 0 else half - bar, 1),
            "change_w": round(bar, 1),
            "raised_w": round(raised, 1), "kept_x": round(raised, 1), "kept_w": round(kept, 1),
            "cut_x": round(raised + kept, 1), "cut_w": round(cut, 1),
        })
    return {"width": width, "half": half, "scale": round(scale, 2), "row": row,
            "height": max(len(rows), 1) * row, "rows": rows}


def csv_columns(q: Question) -> list[str]:
    """One column per area (`<qid>.<area>`, in pounds) and one per lever (`<qid>.<lever>`)."""
    return ([f"{q['id']}.{a['id']}" for a in rules.areas(q)]
            + [f"{q['id']}.{lv['id']}" for lv in q["levers"]] + comments.columns(q))


def csv_values(q: Question, value: Any) -> list[str]:
    """The CSV cells of one answer: pounds such as 58000000 or 1234.50, lever settings as typed."""
    got = value.get("areas") if isinstance(value, dict) else None
    settings = value.get("levers") if isinstance(value, dict) else None
    cells = []
    for a in rules.areas(q):
        amount = got.get(a["id"]) if isinstance(got, dict) else None
        whole = isinstance(amount, int) and not isinstance(amount, bool)
        cells.append(rules.pounds_str(amount) if isinstance(amount, int) and whole else "")
    for lv in q["levers"]:
        setting = settings.get(lv["id"]) if isinstance(settings, dict) else None
        cells.append(setting if isinstance(setting, str) else "")
    return cells + comments.cells(q, value)
