"""Imports with limits: no YAML anchors or aliases, caps on questions, items, text and values,
and deep YAML/JSON refused with a clear message (never a 500 or a RecursionError)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.consultations import definitions
from kiosk.consultations.models import Consultation
from kiosk.core.db import db
from kiosk.core.problems import ProblemError
from tests.hub.test_admin_consultations import upload

BASE = """
slug: park-survey
status: open
title: Park survey
questions:
"""
#: 77 KB of this made a million stored options before aliases were refused.
LAUGHS = """
slug: laughs
title: Laughs
a: &a [{value: x, label: x}, {value: x, label: x}, {value: x, label: x}, {value: x, label: x}]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
questions:
  - {id: q, type: single, prompt: Pick, options: *c}
"""
DEEP_YAML = "slug: deep\ntitle: Deep\nquestions: " + "[" * 5000 + "]" * 5000 + "\n"
DEEP_JSON = '{"slug": "deep", "title": "Deep", "questions": ' + "[" * 100_000 + "]" * 100_000 + "}"


def single(i: int, options: int = 2, prompt: str = "Pick one") -> str:
    opts = ", ".join(f"{{value: v{j}, label: L{j}}}" for j in range(options))
    return f"  - {{id: q{i}, type: single, prompt: {json.dumps(prompt)}, options: [{opts}]}}\n"


def refused(text: str, name: str = "x.yaml") -> str:
    start = time.perf_counter()
    with pytest.raises(ProblemError) as info:
        definitions.load_text(text, name)
    assert time.perf_counter() - start < 30  # bounded work, not a hang
    return str(info.value)


def test_a_valid_definition_under_the_caps_still_loads() -> None:
    defn = definitions.load_text(BASE + "".join(single(i, 20) for i in range(30)), "ok.yaml")
    assert len(defn["questions"]) == 30


def test_yaml_aliases_are_refused_before_they_expand() -> None:
    message = refused(LAUGHS)
    assert "anchors" in message and "line 4" in message


def test_a_lone_anchor_or_alias_is_refused() -> None:
    assert "anchors (&p)" in refused(BASE + "  - &p {id: q, type: text, prompt: Say}\n")
    assert "aliases" in refused(BASE.replace("Park survey", "*t") + "  - {id: q, type: text, prompt: Say}\n")


@pytest.mark.parametrize(("text", "reason"), [
    (BASE + "".join(single(i) for i in range(definitions.MAX_QUESTIONS + 1)), "questions"),
    (BASE + single(0, definitions.MAX_ITEMS + 1), "items"),
    (BASE + single(0, 2, "x" * (definitions.MAX_TEXT + 1)), "characters"),
])
def test_caps_on_questions_options_and_text(text: str, reason: str) -> None:
    assert reason in refused(text)


def test_too_many_values_are_refused() -> None:
    many = "".join(single(i, 150) for i in range(180))  # under the per-list caps, over the total
    assert "values" in refused(BASE + many)


@pytest.mark.parametrize(("text", "name"), [(DEEP_YAML, "deep.yaml"), (DEEP_JSON, "deep.json")])
def test_deep_nesting_is_a_named_problem(text: str, name: str) -> None:
    message = refused(text, name)
    assert "nested" in message and name in message


def test_the_cli_names_the_problem_and_stores_nothing(app, runner, tmp_path: Path) -> None:
    for name, text in (("laughs.yaml", LAUGHS), ("deep.json", DEEP_JSON), ("deep.yaml", DEEP_YAML)):
        path = tmp_path / name
        path.write_text(text)
        result = runner.invoke(args=["consultations", "import", str(path)])
        assert result.exit_code == 1, result.output
        assert name in result.output and ("nested" in result.output or "anchors" in result.output)
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(Consultation)
                                  .filter(Consultation.slug.in_(["laughs", "deep"]))).scalar_one() == 0


def test_the_cli_refuses_a_file_over_the_size_cap(app, runner, tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("# " + "x" * definitions.MAX_FILE_BYTES)
    result = runner.invoke(args=["consultations", "import", str(path)])
    assert result.exit_code == 1 and "larger than" in result.output


def test_the_admin_upload_answers_a_clear_4xx(app, signed_in) -> None:
    admin = signed_in("admin")
    for name, text in (("laughs.yaml", LAUGHS), ("deep.json", DEEP_JSON)):
        r = upload(admin, (name, text))
        assert 400 <= r.status_code < 500, (name, r.status_code)
        assert name in r.get_data(as_text=True)


def test_deep_json_to_the_sync_api_is_a_400(app) -> None:
    from tests.sync.conftest import add_device

    _device, token = add_device(app)
    r = app.test_client().post("/api/v1/responses", data="[" * 100_000 + "]" * 100_000,
                               content_type="application/json",
                               headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 400 and r.json["error"]["code"] == "invalid_json"
    assert "nested" in r.json["error"]["message"]
