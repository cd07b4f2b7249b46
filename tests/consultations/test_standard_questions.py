"""Issue 14, acceptance 3: standard questions (`- use: <name>`) render in English and Welsh, and
equality answers are shown only in aggregate with small cells suppressed except for officers."""

from __future__ import annotations

import csv
import html
import io
import json
import re

import pytest
import yaml

from kiosk.consultations import definitions, equality, standard_questions
from kiosk.consultations import store as consultations
from kiosk.core.problems import ProblemError
from kiosk.responses import store as responses
from tests.conftest import csrf_token

SLUG = "community-survey"
SURVEY = f"""
slug: {SLUG}
status: open
title: {{en: Community survey, cy: Arolwg cymunedol}}
questions:
  - use: age_band
  - use: ethnic_group
    id: ethnicity
  - id: priority
    type: single
    prompt: {{en: "What matters most?", cy: "Beth sy'n bwysig fwyaf?"}}
    options:
      - {{value: roads, label: {{en: Roads, cy: Ffyrdd}}}}
      - {{value: parks, label: {{en: Parks, cy: Parciau}}}}
  - use: welsh_language_effects
"""
#: 12 residents aged 16-24 (shown) and 3 aged 25-34 (under the threshold of 10: suppressed).
AGES = ["a16_24"] * 12 + ["a25_34"] * 3


def _import(app, text: str = SURVEY) -> dict:  # type: ignore[no-untyped-def]
    defn = definitions.validate(yaml.safe_load(text))
    with app.app_context():
        consultations.import_definition(defn)
    return defn


def _answer(app, ages: list[str] = AGES) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        defn = consultations.definition(SLUG)
        for i, age in enumerate(ages):
            responses.submit(defn, 1, {"age_band": age, "ethnicity": "white_irish",
                                       "priority": "roads" if i % 2 else "parks"},
                             language="en", channel="web")


def _welsh(client, path: str) -> None:  # type: ignore[no-untyped-def]
    token = csrf_token(client, path)
    client.post("/lang", data={"csrf_token": token, "lang": "cy", "next": path})


def _cell(page: str, label: str) -> str:
    """The count cell beside a row label in an equality table."""
    found = re.search(rf'<th scope="row">{re.escape(label)}</th><td>(.*?)</td>', page)
    assert found, f"no row {label!r}"
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


# --- definitions --------------------------------------------------------------------------------


def test_use_includes_the_maintained_question_optional_with_prefer_not_to_say() -> None:
    defn = definitions.validate(yaml.safe_load(SURVEY))
    age, ethnicity, _priority, effects = defn["questions"]
    assert age["id"] == "age_band" and age["standard"] == "age_band" and age["equality"] is True
    assert age["required"] is False and age["options"][-1]["value"] == "prefer_not_to_say"
    assert age["prompt"] == {"en": "What is your age?", "cy": "Beth yw eich oedran?"}
    assert ethnicity["id"] == "ethnicity" and ethnicity["standard"] == "ethnic_group"
    assert len(ethnicity["options"]) == 19 + 1  # the 2021 Census's 19 groups, and prefer not to say
    assert effects["type"] == "text" and "equality" not in effects


def test_every_standard_question_is_bilingual_optional_and_offers_prefer_not_to_say() -> None:
    raw = {"slug": "all-standard", "title": {"en": "All", "cy": "Y cyfan"},
           "questions": [{"use": name} for name in standard_questions.names()]}
    defn = definitions.validate(raw)
    assert definitions.missing_welsh(defn) == []
    assert [q["standard"] for q in defn["questions"]] == [
        "age_band", "sex", "gender_identity", "sexual_orientation", "ethnic_group", "religion",
        "disability", "caring", "welsh_ability", "welsh_language_effects"]
    for q in defn["questions"]:
        assert q["required"] is False
        if q["type"] != "text":
            assert q["options"][-1]["label"]["en"] == "Prefer not to say"
            assert q.get("equality") is True


def test_an_unknown_standard_question_is_refused_naming_its_path() -> None:
    text = SURVEY.replace("  - use: welsh_language_effects", "  - use: shoe_size")
    with pytest.raises(ProblemError) as refused:
        definitions.load_text(text, "survey.yaml")
    assert str(refused.value).startswith("survey.yaml: questions[3].use: unknown standard question 'shoe_size'")


def test_a_standard_question_refuses_fields_it_does_not_take() -> None:
    text = SURVEY.replace("  - use: age_band", "  - {use: age_band, required: true}")
    with pytest.raises(ProblemError) as refused:
        definitions.load_text(text, "survey.yaml")
    assert [p.path for p in refused.value.problems] == ["questions[0].required"]


def test_a_standard_question_exports_as_use_and_imports_back_the_same() -> None:
    defn = definitions.validate(yaml.safe_load(SURVEY))
    doc = definitions.document(defn)
    assert doc["questions"][0] == {"use": "age_band"}
    assert doc["questions"][1] == {"use": "ethnic_group", "id": "ethnicity"}
    assert definitions.validate(yaml.safe_load(yaml.safe_dump(doc, allow_unicode=True))) == defn


def test_routing_can_use_a_standard_question() -> None:
    text = SURVEY.replace("  - use: welsh_language_effects",
                          "  - {use: welsh_language_effects, show_if: {question: age_band, in: [a16_24]}}")
    defn = definitions.validate(yaml.safe_load(text))
    assert defn["questions"][3]["show_if"] == {"question": "age_band", "in": ["a16_24"]}


# --- rendering in English and Welsh -------------------------------------------------------------


def test_standard_questions_render_in_english_and_welsh_on_the_phone_page(app, client) -> None:
    _import(app)
    english = html.unescape(client.get(f"/c/{SLUG}").get_data(as_text=True))
    assert "What is your age?" in english and "Prefer not to say" in english
    assert "White: Irish" in english and "opportunities for people to use Welsh" in english
    _welsh(client, f"/c/{SLUG}")
    welsh = html.unescape(client.get(f"/c/{SLUG}").get_data(as_text=True))
    assert '<html lang="cy">' in welsh
    assert "Beth yw eich oedran?" in welsh and "Mae'n well gennyf beidio â dweud" in welsh
    assert "Gwyn: Gwyddelig" in welsh and "ddefnyddio'r Gymraeg" in welsh
    assert "What is your age?" not in welsh and "Prefer not to say" not in welsh


def test_standard_questions_render_in_english_and_welsh_on_the_kiosk(kiosk_app) -> None:
    _import(kiosk_app)
    for lang, prompt, prefer in (("en", "What is your age?", "Prefer not to say"),
                                 ("cy", "Beth yw eich oedran?", "Mae'n well gennyf beidio â dweud")):
        client = kiosk_app.test_client()
        token = csrf_token(client, "/kiosk/")
        client.post("/lang", data={"csrf_token": token, "lang": lang, "next": "/kiosk/"})
        step = client.post(f"/kiosk/c/{SLUG}", data={"csrf_token": token}).location
        page = html.unescape(client.get(step).get_data(as_text=True))
        assert f'<html lang="{lang}">' in page
        assert prompt in page and prefer in page and 'value="prefer_not_to_say"' in page


def test_a_resident_can_answer_prefer_not_to_say(app) -> None:
    _import(app)
    with app.app_context():
        r = responses.submit(consultations.definition(SLUG), 1,
                             {"age_band": "prefer_not_to_say", "ethnicity": "prefer_not_to_say"},
                             language="cy", channel="web")
        assert r.answers == {"age_band": "prefer_not_to_say", "ethnicity": "prefer_not_to_say"}


# --- small cells --------------------------------------------------------------------------------


def test_a_lone_small_cell_takes_the_next_smallest_with_it() -> None:
    # 3 alone hidden could be worked out as 40 - 12 - 25: the 12 is hidden too.
    assert equality.suppress_counts({"a": 25, "b": 3, "c": 12}, 10) == {"a": 25, "b": None, "c": None}
    assert equality.suppress_counts({"a": 25, "b": 3, "c": 0}, 10) == {"a": 25, "b": None, "c": None}
    assert equality.suppress_counts({"a": 25, "b": 12}, 10) == {"a": 25, "b": 12}


def test_the_staff_page_shows_a_cell_under_the_threshold_suppressed(app, signed_in) -> None:
    _import(app)
    _answer(app)
    for role in ("staff", "officer"):  # the page is not officer-only: suppressed for everyone
        page = signed_in(role).get(f"/staff/c/{SLUG}").get_data(as_text=True)
        assert _cell(page, "16 to 24") == "12"
        assert _cell(page, "25 to 34") == "fewer than 10"
        assert "Equality data (special category)." in page
        assert _cell(page, "White: Irish") == "15"
    # a question that is not equality data keeps its ordinary tally with small counts
    assert re.search(r"Roads.*?</th><td>7</td>", page, re.S)


def test_the_threshold_is_configurable(make_app, signed_in) -> None:
    app = make_app("hub", SMALL_CELL_THRESHOLD=3)
    _import(app)
    _answer(app)
    client = app.test_client()
    from kiosk.core import auth
    from tests.conftest import PASSWORD, sign_in

    with app.app_context():
        auth.create_user("s@example.org", "S", PASSWORD, "staff")
    page = sign_in(client, "s@example.org").get(f"/staff/c/{SLUG}").get_data(as_text=True)
    assert _cell(page, "25 to 34") == "3" and _cell(page, "35 to 44") == "fewer than 3"


def test_public_results_show_equality_only_in_aggregate_with_small_cells_suppressed(app, client) -> None:
    _import(app, SURVEY.replace("status: open", "status: closed\nresults: {summary: Thanks, published: 2026-01-01}"))
    _answer(app)
    page = client.get(f"/c/{SLUG}/results").get_data(as_text=True)
    assert "Who we heard from" in page
    assert _cell(page, "16 to 24") == "12" and _cell(page, "25 to 34") == "fewer than 10"
    assert "chose “16 to 24”" not in page  # never a "most chosen" headline
    _welsh(client, f"/c/{SLUG}/results")
    welsh = client.get(f"/c/{SLUG}/results").get_data(as_text=True)
    assert _cell(welsh, "25 i 34") == "llai na 10"


# --- exports ------------------------------------------------------------------------------------


def _csv(client, path: str) -> list[dict]:  # type: ignore[no-untyped-def]
    r = client.get(path)
    assert r.status_code == 200, path
    return list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))


def test_a_non_officer_export_has_no_equality_answers_and_no_cell_under_the_threshold(app, signed_in) -> None:
    _import(app)
    _answer(app)
    staff = signed_in("staff")
    for path in (f"/staff/c/{SLUG}/responses.csv?values=1", f"/staff/c/{SLUG}/report.csv?values=1"):
        rows = _csv(staff, path)
        assert len(rows) == 15
        assert not {"age_band", "ethnicity"} & set(rows[0]), path
        assert "priority" in rows[0]
        cells = {v for row in rows for v in row.values()}
        assert not {"a16_24", "a25_34", "white_irish"} & cells, path
    records = json.loads(staff.get(f"/staff/c/{SLUG}/report.json").get_data(as_text=True))
    assert all(set(r["answers"]) == {"priority"} for r in records)
    aggregate = _csv(staff, f"/staff/c/{SLUG}/equality.csv")
    counts = [row["count"] for row in aggregate]
    assert {"age_band", "ethnicity"} == {row["question"] for row in aggregate}
    assert all(c == "<10" or int(c) >= 10 for c in counts), counts
    by_option = {(row["question"], row["option"]): row["count"] for row in aggregate}
    assert by_option[("age_band", "a16_24")] == "12" and by_option[("age_band", "a25_34")] == "<10"


def test_an_officer_export_carries_the_equality_answers(app, signed_in) -> None:
    _import(app)
    _answer(app)
    officer = signed_in("officer")
    rows = _csv(officer, f"/staff/c/{SLUG}/responses.csv?values=1")
    assert sorted(row["age_band"] for row in rows) == sorted(AGES)
    assert {row["ethnicity"] for row in rows} == {"white_irish"}
    assert sorted(r["age_band"] for r in _csv(officer, f"/staff/c/{SLUG}/report.csv?values=1")) == sorted(AGES)
    records = json.loads(officer.get(f"/staff/c/{SLUG}/report.json").get_data(as_text=True))
    assert sorted(r["answers"]["age_band"] for r in records) == sorted(AGES)
    by_option = {(r["question"], r["option"]): r["count"]
                 for r in _csv(officer, f"/staff/c/{SLUG}/equality.csv")}
    assert by_option[("age_band", "a25_34")] == "3"


def test_the_kiosk_staff_page_suppresses_small_cells_too(kiosk_app) -> None:
    _import(kiosk_app)
    _answer(kiosk_app)
    client = kiosk_app.test_client()
    token = csrf_token(client, "/staff/login")
    assert client.post("/staff/login", data={"csrf_token": token, "pin": "4321"}).status_code == 303
    page = client.get(f"/staff/c/{SLUG}").get_data(as_text=True)
    assert _cell(page, "25 to 34") == "fewer than 10"
    rows = _csv(client, f"/staff/c/{SLUG}/responses.csv?values=1")
    assert rows and "age_band" not in rows[0]


# --- privacy notice -----------------------------------------------------------------------------


def test_the_privacy_notice_names_equality_data_for_the_consultations_that_ask_it(app, client) -> None:
    before = client.get("/privacy").get_data(as_text=True)
    assert "Community survey" not in before
    _import(app)
    page = client.get("/privacy").get_data(as_text=True)
    assert "Consultations that ask equality questions" in page and "special category data" in page
    item = re.search(r'<ul class="equality-uses">(.*?)</ul>', page, re.S).group(1)
    assert "Community survey: age, ethnic group" in item
    assert "Avonbridge" in item  # the demo's closed consultation asks age and disability
    assert "Policing priorities" not in item
