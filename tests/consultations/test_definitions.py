"""Consultation definitions: validation names the path, import versions, CLI round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from kiosk.consultations import definitions
from kiosk.consultations import store as consultations
from kiosk.core.problems import ProblemError
from tests.conftest import DEMO

GOOD = """
slug: park-survey
status: open
title: {en: Park survey, cy: Arolwg y parc}
questions:
  - id: visit
    type: single
    required: true
    prompt:
      en: How often do you visit?
      cy: Pa mor aml ydych chi'n ymweld?
    options:
      - {value: weekly, label: {en: Weekly, cy: Yn wythnosol}}
      - {value: never, label: {en: Never, cy: Byth}}
"""


def problems_of(raw: object) -> list[str]:
    with pytest.raises(ProblemError) as info:
        definitions.validate(raw)
    return [str(p) for p in info.value.problems]


def test_demo_definitions_are_valid_and_bilingual() -> None:
    for path in DEMO.glob("*.yaml"):
        defn = definitions.load_file(path)
        assert defn["questions"], path
        assert definitions.missing_welsh(defn) == [], path


def test_every_demo_definition_exports_and_imports_back_unchanged(app, runner, tmp_path: Path) -> None:
    for path in DEMO.glob("*.yaml"):
        slug = definitions.load_file(path)["slug"]
        exported = runner.invoke(args=["consultations", "export", slug])
        assert exported.exit_code == 0, exported.output
        (tmp_path / f"{slug}.yaml").write_text(exported.output)
        with app.app_context():
            assert definitions.load_file(tmp_path / f"{slug}.yaml") == consultations.definition(slug)
            before = consultations.get(slug).version
        again = runner.invoke(args=["consultations", "import", str(tmp_path / f"{slug}.yaml")])
        assert again.output.strip() == f"{slug}: unchanged (version {before})"


def test_demo_survey_uses_every_question_type() -> None:
    defn = definitions.load_file(DEMO / "policing-priorities.yaml")
    assert {q["type"] for q in defn["questions"]} >= {"single", "multiple", "scale", "ranking", "text"}


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["questions"][0].update(options=[d["questions"][0]["options"][0]]),
         "questions[0].options: at least 2 options needed"),
        (lambda d: d["questions"][0].update(type="essay"), "questions[0].type: unknown type 'essay'"),
        (lambda d: d.update(slug="Bad Slug"), "slug: must be 2-63"),
        (lambda d: d["questions"].append(dict(d["questions"][0])), "questions[1].id: duplicate"),
        (lambda d: d["questions"][0].update(prompt={"cy": "dim ond Cymraeg"}),
         "questions[0].prompt.en: English text is required"),
        (lambda d: d.update(closes="31/01/2027"), "closes: '31/01/2027' is not a date"),
        (lambda d: d["questions"][0].update(colour="red"), "questions[0].colour: unknown field"),
    ],
)
def test_invalid_definition_names_the_path(mutate, expected: str) -> None:
    raw = yaml.safe_load(GOOD)
    mutate(raw)
    assert any(p.startswith(expected) for p in problems_of(raw)), problems_of(raw)


def test_load_file_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("type: single", "type: multiple\n    max_selections: 9"))
    with pytest.raises(ProblemError) as info:
        definitions.load_file(bad)
    assert str(info.value).startswith(f"{bad}: questions[0].max_selections:")


def test_json_definitions_load_like_yaml(tmp_path: Path) -> None:
    path = tmp_path / "park.json"
    path.write_text(json.dumps(yaml.safe_load(GOOD)))
    assert definitions.load_file(path) == definitions.validate(yaml.safe_load(GOOD))


def test_question_change_after_responses_makes_a_new_version(app, client, import_yaml) -> None:
    from tests.conftest import csrf_token, rows

    import_yaml(GOOD)
    token = csrf_token(client, "/c/park-survey")
    assert client.post("/c/park-survey", data={"csrf_token": token, "visit": "weekly"}).status_code == 303
    changed = GOOD.replace("{value: never", "{value: monthly, label: Monthly}\n      - {value: never")
    import_yaml(changed)
    with app.app_context():
        assert consultations.get("park-survey").version == 2
        assert len(consultations.versions("park-survey")) == 2
    token = csrf_token(client, "/c/park-survey")
    client.post("/c/park-survey", data={"csrf_token": token, "visit": "monthly"})
    assert sorted(r.version for r in rows(app, consultation_slug="park-survey")) == [1, 2]


def test_title_change_keeps_the_version(app, import_yaml) -> None:
    import_yaml(GOOD)
    import_yaml(GOOD.replace("Park survey", "Parks survey"))
    with app.app_context():
        c = consultations.get("park-survey")
        assert (c.version, c.title["en"]) == (1, "Parks survey")


def test_cli_import_list_export_round_trip(app, runner, tmp_path: Path) -> None:
    path = tmp_path / "park.yaml"
    path.write_text(GOOD)
    result = runner.invoke(args=["consultations", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "park-survey: created (version 1)" in result.output
    listing = runner.invoke(args=["consultations", "list"]).output.splitlines()
    assert any(line.startswith("park-survey\topen\tv1\t") for line in listing)
    exported = runner.invoke(args=["consultations", "export", "park-survey"]).output
    assert definitions.validate(yaml.safe_load(exported)) == definitions.validate(yaml.safe_load(GOOD))


def test_cli_import_of_a_bad_file_stores_nothing(app, runner, tmp_path: Path) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(GOOD)
    bad.write_text(GOOD.replace("slug: park-survey", "slug: other").replace("id: visit", "id: 9x"))
    result = runner.invoke(args=["consultations", "import", str(good), str(bad)])
    assert result.exit_code != 0
    assert f"{bad}: questions[0].id:" in result.output
    with app.app_context():
        assert consultations.get("park-survey") is None
