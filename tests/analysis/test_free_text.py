"""Free-text workspace: every text answer (and "Other, please say") searchable in English and
Welsh, tagged with themes by hand and in bulk, counted, suggested, redacted for good, hidden from quotes."""

from __future__ import annotations

import csv
import glob
import io
import random

import pytest
from sqlalchemy import insert, select

from kiosk.analysis import redaction, search, suggest, texts, themes
from kiosk.analysis.models import TextAnswer
from kiosk.consultations import store as consultations
from kiosk.core.db import db
from kiosk.core.models import AuditEntry
from kiosk.core.problems import ProblemError
from kiosk.responses import store as responses
from kiosk.responses.models import Response
from tests.conftest import csrf_token

SLUG = "street-voices"
DEFINITION = f"""
slug: {SLUG}
status: open
title: {{en: Street voices, cy: Lleisiau'r stryd}}
questions:
  - id: topic
    type: single
    prompt: {{en: Topic, cy: Pwnc}}
    other: true
    options:
      - {{value: roads, label: {{en: Roads, cy: Ffyrdd}}}}
      - {{value: parks, label: {{en: Parks, cy: Parciau}}}}
  - id: comments
    type: text
    prompt: {{en: "Anything else?", cy: "Unrhyw beth arall?"}}
"""
SECRET = "Zebulon Quackenbush of 12 Marigold Terrace"


@pytest.fixture
def said(app, import_yaml):  # type: ignore[no-untyped-def]
    """A consultation with a text question and an Other option, and a factory of responses."""
    import_yaml(DEFINITION)

    def say(comments: str | None = None, other: str | None = None, channel: str = "web",
            code: str | None = None) -> Response:
        answers: dict = {}
        if comments:
            answers["comments"] = comments
        if other:
            answers.update({"topic": "other", "topic.other": other})
        with app.app_context():
            r = responses.submit(consultations.definition(SLUG), 1, answers, language="en",
                                 channel=channel, tracking_code=code)
            db.session.expunge(r)
            return r

    return say


def bodies(app, f: search.Filters, **kw) -> list[str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return [a.body for a in search.page(SLUG, f, **kw).answers]


def test_search_finds_english_and_welsh_words_either_way_and_other_texts(app, said) -> None:  # type: ignore[no-untyped-def]
    said("We need more police on the streets at night")
    said("Mae angen mwy o heddlu yn y dref")
    said("Dim digon o drosedd yn cael ei datrys")  # soft-mutated "trosedd" (crime)
    said(other="Potholes on the bypass")
    said("The park is lovely")
    for q in ("heddlu", "police"):
        assert sorted(bodies(app, search.Filters(q=q))) == [
            "Mae angen mwy o heddlu yn y dref", "We need more police on the streets at night"]
    assert bodies(app, search.Filters(q="crime")) == ["Dim digon o drosedd yn cael ei datrys"]
    assert bodies(app, search.Filters(q="potholes")) == ["Potholes on the bypass"]  # "Other" text
    assert bodies(app, search.Filters(q="police night")) == ["We need more police on the streets at night"]
    assert bodies(app, search.Filters(q="pot*")) == ["Potholes on the bypass"]
    assert bodies(app, search.Filters(q="zebra")) == []


def test_filters_by_channel_code_question_and_theme(app, said) -> None:  # type: ignore[no-untyped-def]
    said("Kiosk words", channel="kiosk")
    said("Bus stop words", code="BUS1")
    said(other="Another topic")
    assert bodies(app, search.Filters(channel="kiosk")) == ["Kiosk words"]
    assert bodies(app, search.Filters(code="BUS1")) == ["Bus stop words"]
    assert bodies(app, search.Filters(question="topic.other")) == ["Another topic"]
    assert bodies(app, search.Filters(version=2)) == []
    with app.app_context():
        t = themes.create(SLUG, "Buses", "Bysiau", "me@example.org")
        [bus] = search.page(SLUG, search.Filters(code="BUS1")).answers
        themes.tag(SLUG, t.id, [bus.id], "me@example.org")
        assert [a.body for a in search.page(SLUG, search.Filters(theme=t.id)).answers] == ["Bus stop words"]
        assert len(search.page(SLUG, search.Filters(theme=search.UNTAGGED)).answers) == 2


def test_keyset_pages_walk_every_answer_once(app, said) -> None:  # type: ignore[no-untyped-def]
    for i in range(7):
        said(f"answer number {i}")
    seen, after = [], None
    with app.app_context():
        while True:
            p = search.page(SLUG, search.Filters(), after=after, size=3)
            seen += [a.body for a in p.answers]
            if p.next_after is None:
                break
            after = p.next_after
        assert search.count(SLUG, search.Filters(q="answer")) == 7
        # a page counts at most cap + 1 ("more than cap"), whatever the number of answers
        assert search.count(SLUG, search.Filters(q="answer"), cap=3) == 4
        assert search.count(SLUG, search.Filters(q="answer"), cap=7) == 7
    assert seen == [f"answer number {i}" for i in reversed(range(7))]


def test_tagging_by_hand_and_in_bulk_and_theme_counts(app, said) -> None:  # type: ignore[no-untyped-def]
    said("Speeding cars on the high street")
    said("Goryrru ar y ffordd fawr")
    said("Speeding again", other="Parking on pavements")
    said("Litter everywhere")
    with app.app_context():
        speed = themes.create(SLUG, "Speeding", "Goryrru", "me@example.org")
        litter = themes.create(SLUG, "Litter", "Sbwriel", "me@example.org")
        assert themes.tag_matching(SLUG, speed.id, search.Filters(q="speeding"), "me@example.org") == 3
        assert themes.tag_matching(SLUG, speed.id, search.Filters(q="speeding"), "me@example.org") == 0
        [lit] = search.page(SLUG, search.Filters(q="litter")).answers
        themes.tag(SLUG, litter.id, [lit.id], "me@example.org")
        themes.tag(SLUG, speed.id, [lit.id], "me@example.org")  # many themes on one answer
        counts = {c.theme.name_en: (c.answers, c.responses) for c in themes.theme_counts(SLUG)}
        assert counts == {"Speeding": (4, 4), "Litter": (1, 1)}
        assert {c.theme.name_en: c.answers for c in themes.theme_counts(SLUG, search.Filters(q="sbwriel"))} == {
            "Speeding": 1, "Litter": 1}
        themes.untag(SLUG, speed.id, lit.id)
        assert themes.theme_counts(SLUG)[0].answers == 3
        assert "Speeding" in themes.by_response(SLUG).values()
        with pytest.raises(ProblemError):
            themes.create(SLUG, "speeding", "Goryrru eto", "me@example.org")  # a name once
        with pytest.raises(ProblemError):
            themes.create(SLUG, "Noise", "", "me@example.org")  # bilingual or nothing
        actions = db.session.execute(select(AuditEntry.action)).scalars().all()
        assert actions.count("theme.tag") == 4 and actions.count("theme.create") == 2


def test_redaction_destroys_the_original_bytes_and_logs_who_and_why(app, said) -> None:  # type: ignore[no-untyped-def]
    said(f"Please ask {SECRET} about the burglaries")
    said("Unrelated answer about parks")
    with app.app_context():
        [a] = search.page(SLUG, search.Filters(q="quackenbush")).answers
        with pytest.raises(ProblemError):  # rewording is not redacting
            redaction.redact(SLUG, a.id, "Please ask [redacted] about crime", "a name", "o@example.org")
        with pytest.raises(ProblemError):  # a reason is required
            redaction.redact(SLUG, a.id, "Please ask [redacted] about the burglaries", " ", "o@example.org")
        redaction.redact(SLUG, a.id, "Please ask [redacted] about the burglaries",
                         "a name and an address", "o@example.org")
        assert search.page(SLUG, search.Filters(q="quackenbush")).answers == []
        assert bodies(app, search.Filters(q="burglaries")) == ["Please ask [redacted] about the burglaries"]
        stored = db.session.execute(select(Response.answers).where(Response.id == a.response_id)).scalar_one()
        assert stored["comments"] == "Please ask [redacted] about the burglaries"
        entry = db.session.execute(select(AuditEntry).filter_by(action="answer.redact")).scalar_one()
        assert entry.actor == "o@example.org" and entry.detail == {"reason": "a name and an address"}
        assert "Quackenbush" not in str(entry.detail) + entry.target
        db.session.remove()
        db.engine.dispose()
    files = glob.glob(f"{app.instance_path}/*.db*")
    assert files
    for path in files:
        data = open(path, "rb").read().lower()
        for word in (b"zebulon", b"quackenbush", b"marigold"):
            assert word not in data, (path, word)
    assert b"unrelated answer about parks" in open(glob.glob(f"{app.instance_path}/*.db")[0], "rb").read().lower()


def test_hidden_answers_are_not_quotable(app, said) -> None:  # type: ignore[no-untyped-def]
    said("Quote me")
    said("Do not quote me")
    with app.app_context():
        hide = search.page(SLUG, search.Filters(q="not")).answers[0]
        redaction.set_hidden(SLUG, hide.id, True, "s@example.org")
        assert [a.body for a in redaction.quotable(SLUG)] == ["Quote me"]
        redaction.set_hidden(SLUG, hide.id, False, "s@example.org")
        assert len(redaction.quotable(SLUG)) == 2


TOPICS = {
    "parking": ["parking", "cars", "pavement", "spaces", "permits"],
    "litter": ["litter", "bins", "rubbish", "fly tipping", "collections"],
    "police": ["police", "patrols", "officers", "beat", "visible"],
}


def test_suggested_themes_recover_three_known_topics_and_wait_for_a_person(app, said) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(4)
    for words in TOPICS.values():
        for _ in range(12):
            said(" ".join(rng.sample(words, 3)) + " is the problem round here")
    with app.app_context():
        made = suggest.compute(SLUG, clusters=3)
        assert sorted(len(s.answer_ids) for s in made) == [12, 12, 12]
        named = {next(t for t, words in TOPICS.items() if s.terms[0] in " ".join(words)) for s in made}
        assert named == set(TOPICS)
        assert themes.codebook(SLUG) == []  # nothing applied until confirmed
        first = suggest.pending(SLUG)[0]
        theme, added = suggest.confirm(SLUG, first.suggestion.id, "Found", "Wedi'i ganfod", "me@example.org")
        assert added == 12 and themes.theme_counts(SLUG)[0].answers == 12
        assert len(suggest.pending(SLUG)) == 2


def test_bulk_inserted_responses_are_indexed_and_old_ones_filled_once(app, said) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        row = {"uuid": "00000000-0000-4000-8000-000000000001", "consultation_slug": SLUG, "version": 1,
               "answers": {"comments": "bulk heddlu"}, "language": "cy", "channel": "kiosk",
               "submitted_at": responses.utcnow(), "content_hash": "0" * 64}
        db.session.execute(insert(Response), [row])
        texts.index_uuids([row["uuid"]])
        db.session.commit()
        assert [a.body for a in search.page(SLUG, search.Filters(q="police")).answers] == ["bulk heddlu"]
        db.session.execute(TextAnswer.__table__.delete())
        db.session.commit()
        texts.fill(SLUG)
        assert search.count(SLUG, search.Filters()) == 1


def test_bad_filters_are_named() -> None:
    f, problems = search.parse_filters({"channel": "fax", "version": "two", "theme": "x", "q": "!!"})
    assert {p.path for p in problems} == {"channel", "version", "theme", "q"}
    assert f.channel is None and f.version is None


def test_staff_page_renders_searches_tags_and_refuses_bad_input_with_reasons(app, said, signed_in) -> None:  # type: ignore[no-untyped-def]
    said("More police patrols please")
    said(other="Heddlu ar y stryd")
    staff = signed_in("staff")
    page = staff.get(f"/staff/c/{SLUG}/answers?q=heddlu")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "More police patrols please" in html and "Heddlu ar y stryd" in html
    assert staff.get("/staff/c/no-such-thing/answers").status_code == 404
    bad = staff.get(f"/staff/c/{SLUG}/answers?channel=fax&version=x&after=zz")
    assert bad.status_code == 400 and "must be one of" in bad.get_data(as_text=True)
    token = csrf_token(staff, f"/staff/c/{SLUG}/themes")
    made = staff.post(f"/staff/c/{SLUG}/themes", data={"csrf_token": token, "name_en": "Police",
                                                        "name_cy": "Heddlu"})
    assert made.status_code == 303
    no_welsh = staff.post(f"/staff/c/{SLUG}/themes", data={"csrf_token": token, "name_en": "Noise"})
    assert no_welsh.status_code == 400 and "bilingual" in no_welsh.get_data(as_text=True)
    with app.app_context():
        [theme] = themes.codebook(SLUG)
        theme_id = theme.id
    tagged = staff.post(f"/staff/c/{SLUG}/answers/tag", data={
        "csrf_token": token, "tag_theme": theme_id, "scope": "matching", "q": "police"})
    assert tagged.status_code == 303
    nothing = staff.post(f"/staff/c/{SLUG}/answers/tag", data={"csrf_token": token, "tag_theme": theme_id})
    assert nothing.status_code == 400 and "choose at least one answer" in nothing.get_data(as_text=True)
    counted = staff.get(f"/staff/c/{SLUG}/themes").get_data(as_text=True)
    assert "<td>2</td>" in counted
    exported = list(csv.DictReader(io.StringIO(staff.get(f"/staff/c/{SLUG}/report.csv").get_data(as_text=True))))
    assert sorted(row["themes"] for row in exported) == ["Police", "Police"]
    assert staff.get(f"/staff/c/{SLUG}/answers/1/redact").status_code == 403  # officers redact
    officer = signed_in("officer")
    with app.app_context():
        answer_id = search.page(SLUG, search.Filters(q="patrols")).answers[0].id
    url = f"/staff/c/{SLUG}/answers/{answer_id}/redact"
    unconfirmed = officer.post(url, data={"csrf_token": csrf_token(officer, url), "reason": "name",
                                          "redacted": "More [redacted] please"})
    assert unconfirmed.status_code == 400 and "Tick the box" in unconfirmed.get_data(as_text=True)
    done = officer.post(url, data={"csrf_token": csrf_token(officer, url), "reason": "name",
                                   "redacted": "More [redacted] please", "confirm": "yes"})
    assert done.status_code == 303
    assert "More [redacted] please" in officer.get(f"/staff/c/{SLUG}/answers").get_data(as_text=True)


@pytest.mark.postgres
def test_search_and_redaction_on_postgresql(make_app, pg_schema) -> None:  # type: ignore[no-untyped-def]
    import yaml

    from kiosk.consultations import definitions

    hub = make_app("hub", DATABASE_URL=pg_schema)
    with hub.app_context():
        consultations.import_definition(definitions.validate(yaml.safe_load(DEFINITION)))
        defn = consultations.definition(SLUG)
        for words in ("More police at night", "Mae angen heddlu", "Tân yn y parc"):
            responses.submit(defn, 1, {"comments": words}, language="en", channel="web")
        for q in ("heddlu", "police"):
            assert sorted(a.body for a in search.page(SLUG, search.Filters(q=q)).answers) == [
                "Mae angen heddlu", "More police at night"]
        assert [a.body for a in search.page(SLUG, search.Filters(q="tan")).answers] == ["Tân yn y parc"]
        t = themes.create(SLUG, "Police", "Heddlu", "me@example.org")
        assert themes.tag_matching(SLUG, t.id, search.Filters(q="heddlu"), "me@example.org") == 2
        [a] = search.page(SLUG, search.Filters(q="night")).answers
        redaction.redact(SLUG, a.id, "More police at [redacted]", "a time", "o@example.org")
        assert search.page(SLUG, search.Filters(q="night")).answers == []
        assert themes.theme_counts(SLUG)[0].answers == 2
