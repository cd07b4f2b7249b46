"""Budget results: per-area and per-lever summaries, the staff chart's geometry, CSV cells."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from kiosk.budget import comments, rules
from kiosk.consultations.questions.base import folded
from kiosk.consultations.types import Question
from kiosk.core.problems import AnswerError
from kiosk.core.rounding import divide


def _median(histogram: Counter) -> int:
    """The median of values given as {value: how many} (halves rounded by kiosk.core.rounding)."""
    n = sum(histogram.values())
    want = [(n - 1) // 2, n // 2]  # the middle one, or the middle two
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        while len(found) < 2 and want[len(found)] < seen:
            found.append(value)
    return found[0] if n % 2 else int(divide(found[0] + found[1], 2))


def _share(count: int, total: int) -> float:
    return float(divide(100 * count, total, 1)) if total else 0.0


def atoms(q: Question, value: Any) -> list[tuple]:
    """What one answer adds to the tally: valid or skipped, each area's amount, each lever's setting."""
    try:
        amounts, levers = rules.parse_answer(q, value)
    except AnswerError:
        return [("skipped",)]
    if rules.allocation_problem(q, amounts, levers) is not None:
        return [("skipped",)]
    return [("valid",), *(("area", k, v) for k, v in amounts.items()),
            *(("lever", k, rules.lever_str(v)) for k, v in levers.items())]


def summarise(q: Question, counts: Counter) -> dict:
    """Per area: mean and median chosen (pence, rounded by kiosk.core.rounding: halves away from zero) and who raised, kept or cut it;
    per lever: how many chose each setting. Answers that fail the checks are counted as skipped."""
    n = counts[("valid",)]
    out: dict[str, Any] = {"responses": n, "skipped": counts[("skipped",)], "areas": {}, "levers": {}}
    chosen: dict[str, Counter] = defaultdict(Counter)
    settings: dict[str, Counter] = defaultdict(Counter)
    for atom, k in counts.items():
        if atom[0] == "area":
            chosen[atom[1]][atom[2]] += k
        elif atom[0] == "lever":
            settings[atom[1]][Decimal(atom[2])] += k
    for a in rules.areas(q):  # over the answers that had the area (one added later: fewer)
        got, now = chosen[a["id"]], a["current"]
        na = sum(got.values())
        moves = {"raised": sum(k for c, k in got.items() if c > now), "kept": got.get(now, 0),
                 "cut": sum(k for c, k in got.items() if c < now)}
        out["areas"][a["id"]] = {
            "current": now,
            "mean": int(divide(sum(c * k for c, k in got.items()), na)) if na else None,
            "median": _median(got) if got else None,
            **moves,
            "shares": {move: _share(count, na) for move, count in moves.items()},
        }
    for lv in q["levers"]:
        got_lv, now_lv = settings[lv["id"]], Decimal(lv["current"])
        table = rules.steps(Decimal(lv["min"]), Decimal(lv["max"]), Decimal(lv["step"]))
        nl = sum(got_lv.values())
        mean = divide(sum((s * k for s, k in got_lv.items()), Decimal(0)), nl, places=2) if nl else None
        out["levers"][lv["id"]] = {
            "current": lv["current"],
            "counts": {rules.lever_str(v): got_lv.get(v, 0) for v in table},
            "mean": None if mean is None else rules.lever_str(mean),
            "raised": sum(k for s, k in got_lv.items() if s > now_lv),
            "kept": got_lv.get(now_lv, 0),
            "cut": sum(k for s, k in got_lv.items() if s < now_lv),
        }
    return out


tally = folded(atoms, summarise)


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
