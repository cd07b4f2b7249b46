"""Budget results computed in the database match an independent count over the same rows, on
SQLite and PostgreSQL, across two versions of the consultation."""

from __future__ import annotations

import copy
import random
import statistics
from collections import Counter
from fractions import Fraction

import pytest
from sqlalchemy import select

from kiosk.budget import question as budget
from kiosk.budget.rules import areas
from kiosk.consultations import definitions
from kiosk.consultations import store as consultations
from kiosk.core.db import db
from kiosk.reports import tallies
from kiosk.responses import store as responses
from kiosk.responses.models import Response
from tests.budget.test_budget import RAW, SLUG
from tests.budget.test_budget_results import half_up
from tests.conftest import load_demo


def second_version() -> dict:
    """The demo budget with reworded help: a compatible change, so a version 2."""
    raw = copy.deepcopy(RAW)
    raw["questions"][0]["prompt"]["en"] = "How would you share out the police budget?"
    return definitions.validate(raw)


def answer_both_versions(seed: int, per_version: int = 15) -> None:
    """Random valid budgets to version 1, then to version 2, and a few today's budgets (kept)."""
    rng = random.Random(seed)
    v1 = consultations.definition(SLUG)
    for _ in range(per_version):
        responses.submit(v1, 1, {"budget": budget.sample(v1["questions"][0], rng)},
                         language="en", channel="web")
    consultations.import_definition(second_version())
    assert consultations.get(SLUG).version == 2
    v2 = consultations.definition(SLUG)
    q = v2["questions"][0]
    for i in range(per_version):
        value = budget.sample(q, rng) if i % 4 else {
            "areas": {a["id"]: a["current"] for a in areas(q)},
            "levers": {lv["id"]: lv["current"] for lv in q["levers"]}}
        responses.submit(v2, 2, {"budget": value}, language="cy", channel="kiosk")


def independent(q: dict, rows: list[Response]) -> dict:
    """The figures counted in Python from the rows, with Fractions (not the module's code)."""
    values = [r.answers["budget"] for r in rows if "budget" in r.answers]
    out: dict = {"responses": len(values)}
    for a in areas(q):
        chosen = [Fraction(v["areas"][a["id"]]) for v in values]
        moves = Counter((c > a["current"]) - (c < a["current"]) for c in chosen)
        out[a["id"]] = (half_up(sum(chosen) / len(chosen)), half_up(statistics.median(chosen)),
                        moves[1], moves[0], moves[-1])
    for lv in q["levers"]:
        chosen = [Fraction(v["levers"][lv["id"]]) for v in values]
        out[lv["id"]] = (dict(Counter(chosen)), half_up(sum(chosen) / len(chosen) * 100))
    return out


def check_figures() -> None:
    merged = consultations.merged_definition(SLUG)
    [q] = [q for q in merged["questions"] if q["type"] == "budget"]
    assert q["asked_in"] == [1, 2]
    rows = list(db.session.execute(select(Response).filter_by(consultation_slug=SLUG)).scalars())
    assert {r.version for r in rows} == {1, 2}
    expected = independent(q, rows)
    got = tallies.summary(SLUG, q)
    assert (got["responses"], got["skipped"]) == (expected["responses"], 0)
    for a in areas(q):
        r = got["areas"][a["id"]]
        assert (r["mean"], r["median"], r["raised"], r["kept"], r["cut"]) == expected[a["id"]], a["id"]
        n = expected["responses"]
        assert r["shares"]["kept"] == half_up(Fraction(1000 * r["kept"], n)) / 10
    for lv in q["levers"]:
        r = got["levers"][lv["id"]]
        counts, mean = expected[lv["id"]]
        assert {Fraction(k): c for k, c in r["counts"].items() if c} == counts
        assert half_up(Fraction(r["mean"]) * 100) == mean
        assert r["raised"] + r["kept"] + r["cut"] == expected["responses"]


def test_budget_figures_match_an_independent_count_on_sqlite(app) -> None:
    with app.app_context():
        assert db.engine.dialect.name == "sqlite"
        answer_both_versions(seed=3)
        check_figures()
        # an even and an odd number of answers: both medians
        v2 = consultations.definition(SLUG)
        responses.submit(v2, 2, {"budget": budget.sample(v2["questions"][0], random.Random(9))},
                         language="en", channel="paper")
        check_figures()


def test_budget_figures_with_no_answers_are_empty(app) -> None:
    with app.app_context():
        q = consultations.merged_definition(SLUG)["questions"][0]
        got = tallies.summary(SLUG, q)
        assert got["responses"] == 0
        assert got["areas"]["local_policing"]["mean"] is None
        assert got["areas"]["local_policing"]["median"] is None
        assert sum(got["levers"]["precept"]["counts"].values()) == 0


@pytest.mark.postgres
def test_budget_figures_match_an_independent_count_on_postgresql(make_app, pg_schema) -> None:
    hub = make_app("hub", DATABASE_URL=pg_schema)
    with hub.app_context():
        assert db.engine.dialect.name == "postgresql"
        load_demo()
        answer_both_versions(seed=5)
        check_figures()
        v2 = consultations.definition(SLUG)
        responses.submit(v2, 2, {"budget": budget.sample(v2["questions"][0], random.Random(11))},
                         language="en", channel="paper")
        check_figures()
        db.session.remove()
        db.engine.dispose()


def test_the_staff_page_shows_the_database_figures_across_versions(app, staff_client) -> None:
    from kiosk.budget.rules import money

    with app.app_context():
        answer_both_versions(seed=8, per_version=4)
        q = consultations.merged_definition(SLUG)["questions"][0]
        got = tallies.summary(SLUG, q)
    body = staff_client.get(f"/staff/c/{SLUG}").get_data(as_text=True)
    assert "8 valid budgets counted." in body and "8 answered" in body
    for a in areas(q):
        r = got["areas"][a["id"]]
        assert f"<td>{money(r['mean'])}</td><td>{money(r['median'])}</td>" in body
    assert body.count("<caption>") >= 3 and "How many residents chose each change to" in body


def test_an_area_added_in_a_later_version_counts_the_answers_that_had_it(app) -> None:
    """A breaking change (a new area, balanced by new income): version 1's answers still count for
    the areas they set, and the new area's figures come from version 2's answers only."""
    with app.app_context():
        rng = random.Random(13)
        v1 = consultations.definition(SLUG)
        for _ in range(5):
            responses.submit(v1, 1, {"budget": budget.sample(v1["questions"][0], rng)},
                             language="en", channel="web")
        raw = copy.deepcopy(RAW)
        q_raw = raw["questions"][0]
        q_raw["groups"][0]["areas"].append({
            "id": "drones", "name": {"en": "Drones", "cy": "Dronau"}, "current": 1_000_000,
            "min": 0, "max": 2_000_000, "step": 500_000})
        q_raw["fixed_income"].append({"id": "drone_grant", "name": {"en": "Drone grant", "cy": "Grant"},
                                      "amount": 1_000_000})
        consultations.import_definition(definitions.validate(raw), confirm_breaking=True)
        v2 = consultations.definition(SLUG)
        for _ in range(3):
            responses.submit(v2, 2, {"budget": budget.sample(v2["questions"][0], rng)},
                             language="en", channel="web")
        q = consultations.merged_definition(SLUG)["questions"][0]
        got = tallies.summary(SLUG, q)
        rows = list(db.session.execute(select(Response).filter_by(consultation_slug=SLUG)).scalars())
        assert got["responses"] == 8
        drones = [Fraction(r.answers["budget"]["areas"]["drones"]) for r in rows if r.version == 2]
        d = got["areas"]["drones"]
        assert d["raised"] + d["kept"] + d["cut"] == 3
        assert (d["mean"], d["median"]) == (half_up(sum(drones) / 3), half_up(statistics.median(drones)))
        local = [Fraction(r.answers["budget"]["areas"]["local_policing"]) for r in rows]
        assert got["areas"]["local_policing"]["mean"] == half_up(sum(local) / 8)
