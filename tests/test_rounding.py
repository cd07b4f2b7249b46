"""One rounding rule (halves away from zero, exact), used by every figure; no module rounds its own way."""

from __future__ import annotations

import ast
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from kiosk.budget import results as budget_results
from kiosk.consultations.questions import registry as questions
from kiosk.core.rounding import divide, round_half_away, whole

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("value", "places", "expected"), [
    (Fraction(1, 2), 0, "1"), (Fraction(-1, 2), 0, "-1"), (Fraction(5, 2), 0, "3"),
    (Decimal("-0.005"), 2, "-0.01"), (Decimal("0.005"), 2, "0.01"), (Decimal("0.0049"), 2, "0.00"),
    (Decimal("2.675"), 2, "2.68"),  # a float would say 2.67
    (7, 0, "7"), (Fraction(2, 3), 1, "0.7"),
])
def test_halves_go_away_from_zero_exactly(value, places, expected) -> None:  # type: ignore[no-untyped-def]
    assert round_half_away(value, places) == Decimal(expected)


def test_divide_and_whole_follow_the_same_rule() -> None:
    assert divide(1, 8, 2) == Decimal("0.13") and divide(-1, 8, 2) == Decimal("-0.13")
    assert whole(Fraction(249, 2)) == 125 and whole(Fraction(-249, 2)) == -125


def test_reported_figures_use_the_rule_not_pythons_round() -> None:
    # round() rounds halves to even: 0.125 -> 0.12, 2.5 -> 2; the rule says 0.13 and 3
    assert questions.tally({"type": "scale", "min": 1, "max": 5}, [2, 3])["mean"] == 2.5
    ranks = questions.tally({"type": "ranking", "options": [{"value": "a"}, {"value": "b"}]},
                            [["a", "b"]] * 7 + [["b", "a"]])
    assert ranks["mean_rank"]["a"] == 1.13  # 9/8 = 1.125
    assert budget_results._share(1, 8) == 12.5 and budget_results._share(1, 16) == 6.3  # 6.25


def test_no_module_rounds_figures_its_own_way() -> None:
    """Decimal quantize/ROUND_* modes live only in kiosk/core/rounding.py; round() only in display geometry."""
    geometry = {"kiosk/budget/results.py": "chart", "kiosk/budget/question.py": None, "kiosk/reports/charts.py": None,
                "kiosk/core/clock.py": None}
    offenders = []
    for path in sorted((ROOT / "kiosk").rglob("*.py")) + sorted((ROOT / "sync").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "kiosk/core/rounding.py" or "/migrations/" in rel:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and (node.attr == "quantize" or node.attr.startswith("ROUND_")):
                offenders.append(f"{rel}:{node.lineno} {node.attr}")
            if isinstance(node, ast.alias) and node.name.startswith("ROUND_"):
                offenders.append(f"{rel}:{node.name}")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "round"
                    and rel not in geometry):
                offenders.append(f"{rel}:{node.lineno} round()")
    assert offenders == []
