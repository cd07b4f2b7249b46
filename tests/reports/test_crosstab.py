"""Cross-tabs counted by the database match a count made here from the raw records, on SQLite and
PostgreSQL, across two versions; equality cells under the threshold are suppressed for staff."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import Counter

import pytest
import yaml
from sqlalchemy import insert

from kiosk.consultations import definitions
from kiosk.consultations import store as consultations
from kiosk.core.db import db
from kiosk.core.problems import ProblemError
from kiosk.outreach import tracking
from kiosk.reports import crosstab
from kiosk.reports.filters import Filters
from kiosk.responses.models import Response
from tests.conftest import load_demo

SLUG = "crosstab-survey"
V1 = """
slug: crosstab-survey
status: open
title: {en: Cross-tab survey, cy: Arolwg}
questions:
  - id: focus
    type: single
    required: true
    prompt: {en: "Focus?", cy: "Ffocws?"}
    options:
      - {value: speeding, label: {en: Speeding, cy: Goryrru}}
      - {value: burglary, label: {en: Burglary, cy: Byrgleriaeth}}
  - id: worries
    type: multiple
    required: false
    prompt: {en: "Worries?", cy: "Pryderon?"}
    options:
      - {value: drugs, label: {en: Drugs, cy: Cyffuriau}}
      - {value: litter, label: {en: Litter, cy: Sbwriel}}
      - {value: noise, label: {en: Noise, cy: Sŵn}}
  - id: safe
    type: scale
    required: false
    min: 1
    max: 5
    prompt: {en: "How safe?", cy: "Pa mor ddiogel?"}
  - use: age_band
"""
V2 = V1.replace("      - {value: burglary, label: {en: Burglary, cy: Byrgleriaeth}}\n",
                "      - {value: burglary, label: {en: Burglary, cy: Byrgleriaeth}}\n"
                "      - {value: parking, label: {en: Parking, cy: Parcio}}\n")
AGES = ["under_16", "a16_24", "a25_34", "a65_74"]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def app(request, make_app):  # type: ignore[no-untyped-def]
    """A hub on SQLite or on a fresh PostgreSQL schema."""
    config = {"DATABASE_URL": request.getfixturevalue("pg_schema")} if request.param == "postgresql" else {}
    application = make_app("hub", **config)
    with application.app_context():
        load_demo()
    return application


@pytest.fixture
def data(app):  # type: ignore[no-untyped-def]
    rng = random.Random(11)
    rows = []
    with app.app_context():
        consultations.import_definition(definitions.validate(yaml.safe_load(V1)))
        codes = [tracking.create(SLUG, "bus_stop", label).code for label in ("Stop 1", "Library")]

        def make(version: int, n: int) -> None:
            batch = []
            for _ in range(n):
                answers: dict = {"focus": rng.choice(["speeding", "burglary"] + (["parking"] if version == 2 else []))}
                if rng.random() < 0.8:
                    answers["worries"] = rng.sample(["drugs", "litter", "noise"], rng.randint(1, 3))
                if rng.random() < 0.9:
                    answers["safe"] = rng.randint(1, 5)
                if rng.random() < 0.7:  # a25_34 is rare: its cells fall under the threshold
                    answers["age_band"] = rng.choices(AGES, weights=[10, 10, 1, 10])[0]
                channel = rng.choice(["kiosk", "web", "paper"])
                at = dt.datetime(2026, 11, 1) + dt.timedelta(minutes=rng.randrange(20000))
                batch.append({
                    "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "consultation_slug": SLUG,
                    "version": version, "answers": answers, "language": "en", "channel": channel,
                    "device_id": None, "event_id": None,
                    "tracking_code": rng.choice(codes) if channel == "web" else None,
                    "started_at": at - dt.timedelta(minutes=5), "submitted_at": at,
                    "content_hash": "0" * 64, "received_at": at, "sync_state": "queued"})
            db.session.execute(insert(Response), batch)
            db.session.commit()
            rows.extend(batch)

        make(1, 150)
        consultations.import_definition(definitions.validate(yaml.safe_load(V2)))
        assert consultations.get(SLUG).version == 2
        make(2, 150)
    return {"rows": rows, "codes": codes}


def values(row: dict, qid: str) -> list[str]:
    v = row["answers"].get(qid)
    if v is None:
        return []
    return [str(x) for x in v] if isinstance(v, list) else [str(v)]


def column(row: dict, by: str) -> list[str]:
    if by.startswith("q:"):
        return values(row, by[2:]) or [""]
    key = {"channel": "channel", "placement": "tracking_code", "version": "version"}[by]
    return ["" if row[key] is None else str(row[key])]


def independent(rows: list[dict], qid: str, by: str) -> Counter:
    out: Counter = Counter()
    for r in rows:
        for v in values(r, qid):
            for c in column(r, by):
                out[(v, c)] += 1
    return out


CASES = [("focus", "channel"), ("worries", "version"), ("safe", "placement"), ("worries", "q:focus"),
         ("focus", "q:worries"), ("safe", "q:focus")]


def test_cross_tabs_match_an_independent_count_across_versions(app, data) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        defn = consultations.merged_definition(SLUG)
        for qid, by in CASES:
            t = crosstab.build(defn, SLUG, qid, by, officer=True)
            got = {k: n for k, n in t.cells.items() if n}
            assert got == dict(independent(data["rows"], qid, by)), (qid, by)
            assert {v for v, _l in t.rows} >= {"speeding", "burglary", "parking"} or qid != "focus"
            for col, _label in t.columns:
                assert t.totals[col] == sum(t.cells[(r, col)] for r, _l in t.rows)
        for qid in ("focus", "worries", "safe", "age_band"):  # kept counts agree with GROUP BY
            q = crosstab._question(defn, qid)
            for by in crosstab.DIMENSIONS:
                kept = crosstab._kept(SLUG, q, by)
                assert kept == crosstab._grouped(defn, SLUG, q, by, Filters(), None)[0], (qid, by)
                assert sum(kept.values()) > 0
        web = [r for r in data["rows"] if r["channel"] == "web"]
        t = crosstab.build(defn, SLUG, "focus", "placement", Filters(channel="web"), officer=True)
        assert {k: n for k, n in t.cells.items() if n} == dict(independent(web, "focus", "placement"))
        assert sorted(label for _c, label in t.columns) == ["Library", "Stop 1"]


def test_equality_cells_under_the_threshold_are_suppressed_for_staff_not_officers(app, data) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        defn = consultations.merged_definition(SLUG)
        full = crosstab.build(defn, SLUG, "focus", "q:age_band", officer=True)
        staff = crosstab.build(defn, SLUG, "focus", "q:age_band", officer=False, threshold=10)
    expected = independent(data["rows"], "focus", "q:age_band")
    assert {k: n for k, n in full.cells.items() if n} == dict(expected)
    small = [k for k, n in full.cells.items() if n is not None and n < 10]
    assert small, "the fixture must hold small cells"
    assert all(staff.cells[k] is None for k in small)
    assert all(n is None or n >= 10 for n in staff.cells.values())
    assert staff.totals["a25_34"] is None  # the rare band's total is small too
    assert staff.suppressed_under == 10 and full.suppressed_under is None


def test_a_bad_question_or_split_is_refused_with_a_reason(app, data) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        defn = consultations.merged_definition(SLUG)
        for qid, by in (("nope", "channel"), ("focus", "weather"), ("focus", "q:focus")):
            with pytest.raises(ProblemError):
                crosstab.build(defn, SLUG, qid, by)


def test_the_cross_tab_page_and_csv(app, data, signed_in) -> None:  # type: ignore[no-untyped-def]
    staff = signed_in("staff")
    page = staff.get(f"/staff/c/{SLUG}/crosstab?q=focus&by=channel")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<table" in html and "Speeding" in html and "Parking" in html
    csv_text = staff.get(f"/staff/c/{SLUG}/crosstab.csv?q=focus&by=channel").get_data(as_text=True)
    header, *body = [line.split(",") for line in csv_text.strip().splitlines()]
    assert header[0] == "answer" and "kiosk (n)" in header
    rows = [r for r in data["rows"] if r["channel"] == "kiosk"]
    speeding = next(r for r in body if r[0] == "Speeding")
    assert int(speeding[header.index("kiosk (n)")]) == sum(r["answers"]["focus"] == "speeding" for r in rows)
    bad = staff.get(f"/staff/c/{SLUG}/crosstab?q=focus&by=weather")
    assert bad.status_code == 400 and "weather" in bad.get_data(as_text=True)
