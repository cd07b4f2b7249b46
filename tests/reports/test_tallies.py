"""Stored tallies (counted answer tokens plus a live tail) give exactly the figures of a count over
every row, for every question type, across versions and routing, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import yaml
from sqlalchemy import func, insert, select

from kiosk.consultations import definitions
from kiosk.consultations import store as consultations
from kiosk.core.db import db
from kiosk.core.timeutil import utcnow
from kiosk.demo.responses import row
from kiosk.reports import atoms, kept, tallies
from kiosk.reports.models import TallyAtom, TallyMark
from kiosk.responses import store as responses
from kiosk.responses.models import Response

SLUGS = ("policing-priorities", "police-budget-2027", "your-neighbourhood")
ROUTED = """
slug: routed-survey
status: open
title: {en: Routed, cy: Llwybr}
questions:
  - id: seen
    type: single
    required: true
    prompt: {en: "Seen a crime?", cy: "Gweld trosedd?"}
    options:
      - {value: "yes", label: {en: "Yes", cy: "Do"}}
      - {value: "no", label: {en: "No", cy: "Naddo"}}
  - id: what
    type: multiple
    required: false
    other: true
    show_if: {question: seen, in: ["yes"]}
    prompt: {en: "What?", cy: "Beth?"}
    options:
      - {value: theft, label: {en: Theft, cy: Lladrad}}
      - {value: damage, label: {en: Damage, cy: Difrod}}
  - id: rate
    type: scale
    required: false
    min: 1
    max: 5
    prompt: {en: "Rate us", cy: "Sgoriwch ni"}
"""


@pytest.fixture
def app(hub_on):  # type: ignore[no-untyped-def]
    with hub_on.app_context():
        consultations.import_definition(definitions.validate(yaml.safe_load(ROUTED)))
    return hub_on


def add(slug: str, n: int, rng: random.Random, *, settled: bool) -> None:
    c = consultations.get(slug)
    defn = consultations.definition(slug, c.version)
    rows = []
    for _ in range(n):
        r = row(rng, defn, slug=slug, version=c.version, channel=rng.choice(["kiosk", "web", "paper"]),
                submitted=utcnow() - dt.timedelta(minutes=rng.randint(1, 5000)), took=120)
        if rng.random() < 0.1:  # some left blank or routed past, as residents do
            r["answers"] = {k: v for k, v in r["answers"].items() if rng.random() < 0.5}
        if settled:
            r["received_at"] = utcnow() - atoms.SETTLE - dt.timedelta(minutes=1)
        rows.append(r)
    db.session.execute(insert(Response), rows)
    db.session.commit()


def expected(slug: str) -> dict:
    return responses.tallies(consultations.merged_definition(slug), responses.for_consultation(slug))


def test_stored_tallies_match_a_count_over_every_row_across_versions_and_the_live_tail(app) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(5)
    with app.app_context():
        for slug in (*SLUGS, "routed-survey"):
            add(slug, 120, rng, settled=True)
            assert tallies.tallies(slug, consultations.merged_definition(slug)) == expected(slug), slug
            stored = db.session.execute(select(TallyMark.last_id).filter_by(consultation_slug=slug)).scalar()
            assert stored == db.session.execute(select(func.max(Response.id)).filter_by(
                consultation_slug=slug)).scalar()
            add(slug, 30, rng, settled=False)  # just arrived: counted live, not stored yet
            assert tallies.tallies(slug, consultations.merged_definition(slug)) == expected(slug), slug
            assert db.session.execute(select(TallyMark.last_id).filter_by(consultation_slug=slug)).scalar() == stored
        slug = "policing-priorities"
        before = consultations.get(slug).version
        new_version_from_yaml(slug)
        assert consultations.get(slug).version == before + 1
        add(slug, 80, rng, settled=True)
        merged = consultations.merged_definition(slug)
        assert tallies.tallies(slug, merged) == expected(slug)
        assert any("not_asked" in t and t["not_asked"] for t in tallies.tallies(slug, merged).values())


def new_version_from_yaml(slug: str) -> None:
    """Version 2 of a demo consultation: one more option on its first choice question."""
    from pathlib import Path

    import kiosk.demo as demo_pkg
    raw = yaml.safe_load((Path(demo_pkg.__file__).parent / f"{slug}.yaml").read_text(encoding="utf-8"))
    for q in raw["questions"]:
        if q["type"] in ("single", "multiple"):
            q["options"].append({"value": "added", "label": {"en": "Added", "cy": "Ychwanegwyd"}})
            break
    raw["questions"] = raw["questions"][:-1]  # and the last question dropped
    consultations.import_definition(definitions.validate(raw), confirm_breaking=True)


def test_counting_twice_or_by_two_processes_counts_each_response_once(app) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(9)
    slug = "routed-survey"
    with app.app_context():
        add(slug, 50, rng, settled=True)
        first = tallies.tallies(slug, consultations.merged_definition(slug))
        stored = sorted(db.session.execute(select(TallyAtom.atom, TallyAtom.n)).all())
        kept.catch_up(slug)
        assert sorted(db.session.execute(select(TallyAtom.atom, TallyAtom.n)).all()) == stored
        # another process moved the mark between this one's read and its write: nothing is added
        add(slug, 20, rng, settled=True)
        mark = db.session.get(TallyMark, slug)
        last = mark.last_id
        assert not kept._move_mark(slug, last - 1, last + 20)
        db.session.rollback()
        assert tallies.tallies(slug, consultations.merged_definition(slug)) == expected(slug)
        assert tallies.tallies(slug, consultations.merged_definition(slug)) != first
        kept.forget(slug)
        db.session.commit()
        assert db.session.get(TallyMark, slug) is None
        assert tallies.tallies(slug, consultations.merged_definition(slug)) == expected(slug)


def test_the_staff_page_shows_the_stored_tallies(app, signed_in) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(3)
    with app.app_context():
        add("routed-survey", 40, rng, settled=True)
        want = expected("routed-survey")
    html = signed_in("staff").get("/staff/c/routed-survey").get_data(as_text=True)
    assert "40 responses in all" in html
    assert f"{want['seen']['answered']}" in html
