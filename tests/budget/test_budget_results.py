"""Budget results: tallies match an independent computation; the staff page charts them; CSV."""

from __future__ import annotations

import csv
import io
import math
import os
import random
import statistics
from collections import Counter
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.budget import question as budget
from kiosk.budget.rules import areas, money
from kiosk.core.problems import AnswerError
from kiosk.responses import store as responses
from tests.budget.test_budget import DEMO_Q, SLUG, answer, raw_budgets, valid_question
from tests.conftest import rows

#: VOXBOX_EXAMPLES_SCALE=20 runs the property tests with 20x their examples (a thorough run).
EXAMPLES_SCALE = int(os.environ.get("VOXBOX_EXAMPLES_SCALE", "1"))


def half_up(x: Fraction) -> int:
    """The documented rule (README "Rounding"), computed independently: halves away from zero."""
    whole = math.floor(abs(x) + Fraction(1, 2))
    return -whole if x < 0 else whole


def independent_tally(q: dict, values: list) -> dict:
    """What the results should be, computed with Fractions from the accepted answers only."""
    accepted = []
    for v in values:
        try:
            budget.check(q, v)
        except AnswerError:
            continue
        accepted.append(v)
    out: dict = {"responses": len(accepted), "skipped": len(values) - len(accepted)}
    for a in areas(q):
        chosen = [Fraction(v["areas"][a["id"]]) for v in accepted]
        moves = Counter((c > a["current"]) - (c < a["current"]) for c in chosen)
        out[a["id"]] = (
            half_up(sum(chosen) / len(chosen)) if chosen else None,
            half_up(statistics.median(chosen)) if chosen else None,
            moves[1], moves[0], moves[-1],
        )
    for lv in q["levers"]:
        chosen = [Fraction(v["levers"][lv["id"]]) for v in accepted]
        counts = Counter(chosen)
        mean = half_up(sum(chosen) / len(chosen) * 100) if chosen else None
        out[lv["id"]] = (dict(counts), mean)
    return out


def assert_matches(q: dict, values: list) -> None:
    t = budget.tally(q, values)
    expected = independent_tally(q, values)
    assert (t["responses"], t["skipped"]) == (expected["responses"], expected["skipped"])
    for a in areas(q):
        r = t["areas"][a["id"]]
        assert (r["mean"], r["median"], r["raised"], r["kept"], r["cut"]) == expected[a["id"]]
        n = expected["responses"]
        for k in ("raised", "kept", "cut"):
            assert r["shares"][k] == (half_up(Fraction(1000 * r[k], n)) / 10 if n else 0.0)
    for lv in q["levers"]:
        r = t["levers"][lv["id"]]
        counts, mean = expected[lv["id"]]
        assert {Fraction(k): c for k, c in r["counts"].items() if c} == counts
        assert sum(r["counts"].values()) == expected["responses"]
        assert (None if r["mean"] is None else half_up(Fraction(r["mean"]) * 100)) == mean


@settings(max_examples=80 * EXAMPLES_SCALE, deadline=None, derandomize=False,
          suppress_health_check=[HealthCheck.filter_too_much])
@given(raw=raw_budgets(), seeds=st.lists(st.integers(0, 2**32), max_size=25),
       junk=st.lists(st.sampled_from([None, "x", {"areas": {}, "levers": {}}]), max_size=3))
def test_tally_of_generated_responses_matches_an_independent_computation(
    raw: dict, seeds: list[int], junk: list
) -> None:
    q = valid_question(raw)
    values = [budget.sample(q, random.Random(s)) for s in seeds] + junk
    assert_matches(q, values)


def test_demo_tally_by_hand() -> None:
    values = [
        answer(DEMO_Q, local_policing=5_850_000_000, roads=1_400_000_000),
        answer(DEMO_Q, local_policing=5_900_000_000, support=3_600_000_000),
        {**answer(DEMO_Q, local_policing=5_850_000_000), "levers": {"precept": "0.5"}},
        {**answer(DEMO_Q, local_policing=5_750_000_000), "levers": {"precept": "-0.5"}},
        answer(DEMO_Q, local_policing=1),  # refused, so skipped
    ]
    t = budget.tally(DEMO_Q, values)
    assert (t["responses"], t["skipped"]) == (4, 1)
    lp = t["areas"]["local_policing"]
    assert (lp["mean"], lp["median"]) == (5_837_500_000, 5_850_000_000)
    assert (lp["raised"], lp["kept"], lp["cut"]) == (3, 0, 1)
    assert lp["shares"] == {"raised": 75.0, "kept": 0.0, "cut": 25.0}
    precept = t["levers"]["precept"]
    assert (precept["counts"]["0"], precept["counts"]["0.5"], precept["counts"]["-0.5"]) == (2, 1, 1)
    assert (precept["mean"], precept["raised"], precept["kept"], precept["cut"]) == ("0", 1, 2, 1)
    assert_matches(DEMO_Q, values)


def test_csv_has_one_column_per_area_and_lever_in_pounds() -> None:
    value = {**answer(DEMO_Q, roads=1_400_000_050), "levers": {"precept": "-0.5"},
             "comments": {"local_policing": "More patrols, please"}}
    columns = budget.csv_columns(DEMO_Q)
    assert columns[0] == "budget.local_policing" and columns[-2] == "budget.precept"
    assert columns[-1] == "budget.local_policing.comment"  # the one area that asks for a comment
    assert len(columns) == len(areas(DEMO_Q)) + 2
    cells = dict(zip(columns, budget.csv_values(DEMO_Q, value), strict=True))
    assert cells["budget.local_policing.comment"] == "More patrols, please"
    assert cells["budget.local_policing"] == "58000000"
    assert cells["budget.roads"] == "14000000.50"
    assert cells["budget.precept"] == "-0.5"
    assert budget.csv_values(DEMO_Q, {"areas": {"roads": "x"}}) == [""] * len(columns)


def submit_some(app, count: int = 12) -> list[dict]:  # type: ignore[no-untyped-def]
    from kiosk.consultations import store as consultations

    rng = random.Random(7)
    values = [budget.sample(DEMO_Q, rng) for _ in range(count)]
    with app.app_context():
        defn = consultations.definition(SLUG)
        for v in values:
            responses.submit(defn, 1, {"budget": v}, language="en", channel="web")
    return values


def test_staff_page_shows_budget_results_with_svg_charts(app, staff_client) -> None:
    values = submit_some(app)
    body = staff_client.get(f"/staff/c/{SLUG}").get_data(as_text=True)
    assert body.count("<svg") >= 3 and 'role="img"' in body
    t = budget.tally(DEMO_Q, values)
    lp = t["areas"]["local_policing"]
    assert f"{len(values)} valid budgets counted." in body
    assert f"<td>{money(lp['mean'])}</td><td>{money(lp['median'])}</td>" in body
    assert "Mean chosen spend: change from today" in body and "Police precept on council tax" in body
    assert "cdn" not in body.lower()


def test_csv_export_has_exact_pounds_for_each_area(app, staff_client) -> None:
    values = submit_some(app, 5)
    text = staff_client.get(f"/staff/c/{SLUG}/responses.csv?values=1").get_data(as_text=True)
    table = list(csv.DictReader(io.StringIO(text)))
    assert len(table) == len(values) == len(rows(app, consultation_slug=SLUG))
    for row, value in zip(table, values, strict=True):
        for a in areas(DEMO_Q):
            assert int(row[f"budget.{a['id']}"]) * 100 == value["areas"][a["id"]]
        assert row["budget.precept"].lstrip("'") == value["levers"]["precept"]
