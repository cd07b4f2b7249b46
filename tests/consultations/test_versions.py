"""Versions never hide an answer: a question dropped in v2 keeps every v1 answer on the staff page,
the public results and both CSV exports; a breaking import asks first; re-import keeps the status."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from kiosk.consultations import definitions, versioning
from kiosk.consultations import store as consultations
from kiosk.responses import store as responses
from tests.conftest import csrf_token
from tests.consultations.test_admin_consultations import upload

PUBLISHED = (dt.date.today() - dt.timedelta(days=1)).isoformat()
V1 = f"""
slug: bus-survey
status: open
title: {{en: Bus survey, cy: Arolwg bysiau}}
results:
  summary: {{en: We added a late bus., cy: Fe wnaethom ychwanegu bws hwyr.}}
  published: "{PUBLISHED}"
questions:
  - id: often
    type: single
    required: true
    prompt: {{en: "How often do you take the bus?", cy: "Pa mor aml ydych chi'n dal y bws?"}}
    options:
      - {{value: daily, label: {{en: Daily, cy: Bob dydd}}}}
      - {{value: rarely, label: {{en: Rarely, cy: Yn anaml}}}}
  - id: late
    type: single
    prompt: {{en: "Would you use a late bus?", cy: "Fyddech chi'n defnyddio bws hwyr?"}}
    options:
      - {{value: keen, label: {{en: "Yes", cy: Byddwn}}}}
      - {{value: unkeen, label: {{en: "No", cy: Na fyddwn}}}}
"""
# v2 drops "late" and adds an option to "often"
V2 = V1[: V1.index("  - id: late")].replace(
    "      - {value: rarely, label: {en: Rarely, cy: Yn anaml}}\n",
    "      - {value: rarely, label: {en: Rarely, cy: Yn anaml}}\n"
    "      - {value: weekly, label: {en: Weekly, cy: Yn wythnosol}}\n")
# v3 fixes a typo in a prompt: compatible
V3 = V2.replace("How often do you take the bus?", "How often do you catch the bus?")


def load(text: str) -> dict:
    return definitions.load_text(text, "bus.yaml")


def answer(app, version: int, n: int, **answers: str) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        defn = consultations.definition("bus-survey", version)
        for _ in range(n):
            responses.submit(defn, version, dict(answers), language="en", channel="web")


def csv_rows(body: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body)))


def test_dropped_question_keeps_every_v1_answer_everywhere(app, signed_in) -> None:
    admin = signed_in("admin")
    assert upload(admin, ("bus.yaml", V1)).status_code == 303
    answer(app, 1, 15, often="daily", late="keen")
    answer(app, 1, 8, often="rarely", late="unkeen")

    # v2 removes a question: the admin import shows the diff and stores nothing until confirmed
    r = upload(admin, ("bus.yaml", V2))
    page = r.get_data(as_text=True)
    assert r.status_code == 409
    assert "question &#39;late&#39; removed" in page and "Make the new version" in page
    with app.app_context():
        assert consultations.get("bus-survey").version == 1
    token = csrf_token(admin, "/staff/consultations/import")
    r = admin.post("/staff/consultations/import", data={
        "csrf_token": token, "doc_name": "bus.yaml", "doc_body": V2, "confirm_breaking": "1"})
    assert r.status_code == 303
    with app.app_context():
        assert consultations.get("bus-survey").version == 2
    answer(app, 2, 4, often="weekly")

    # v3 only fixes a typo: compatible, no question asked
    assert upload(admin, ("bus.yaml", V3)).status_code == 303
    with app.app_context():
        assert consultations.get("bus-survey").version == 3
    answer(app, 3, 2, often="daily")

    staff = signed_in("staff")
    page = staff.get("/staff/c/bus-survey").get_data(as_text=True)
    late = page[page.index('id="q-late"'):]
    assert "Would you use a late bus?" in late and "asked in version 1" in late
    assert "23 answered" in late
    often = page[page.index('id="q-often"'):page.index('id="q-late"')]
    assert "How often do you catch the bus?" in often and "29 answered" in often
    assert "added in version 2" in often

    for url in ("/staff/c/bus-survey/responses.csv?values=1", "/staff/c/bus-survey/report.csv?values=1"):
        rows = csv_rows(staff.get(url).get_data(as_text=True))
        assert len(rows) == 29, url
        v1 = [row for row in rows if row["version"] == "1"]
        assert sorted(row["late"] for row in v1) == ["keen"] * 15 + ["unkeen"] * 8, url
        assert all(row["late"] == "" for row in rows if row["version"] != "1"), url
        assert sum(row["often"] == "weekly" for row in rows) == 4, url

    token = csrf_token(admin, "/staff/c/bus-survey")
    admin.post("/staff/consultations/bus-survey/status", data={"csrf_token": token, "status": "closed"})
    results = admin.get("/c/bus-survey/results").get_data(as_text=True)
    assert "<strong>29</strong>" in results
    assert "Would you use a late bus?" in results and "65% chose “Yes”" in results  # 15 of 23


def test_reimport_keeps_the_status_unless_asked_and_says_what_changed(app, runner, tmp_path: Path) -> None:
    path = tmp_path / "bus.yaml"
    path.write_text(V1.replace("status: open", "status: draft"))
    out = runner.invoke(args=["consultations", "import", str(path)])
    assert out.exit_code == 0 and "created (version 1)" in out.output
    token_status = runner.invoke(args=["consultations", "list"]).output
    assert "bus-survey\tdraft\tv1" in token_status

    path.write_text(V1)  # the file now says open: re-import leaves the consultation a draft
    out = runner.invoke(args=["consultations", "import", str(path)])
    assert out.exit_code == 0 and "unchanged (version 1)" in out.output
    with app.app_context():
        assert consultations.get("bus-survey").status == "draft"

    path.write_text(V1.replace("Bus survey", "Bus service survey"))
    out = runner.invoke(args=["consultations", "import", str(path)])
    assert "updated (version 1)" in out.output and "title changed" in out.output
    with app.app_context():
        assert consultations.get("bus-survey").status == "draft"

    out = runner.invoke(args=["consultations", "import", "--status", "file", str(path)])
    assert "status draft → open" in out.output
    with app.app_context():
        assert consultations.get("bus-survey").status == "open"


def test_cli_refuses_a_breaking_version_until_confirmed(app, runner, tmp_path: Path) -> None:
    path = tmp_path / "bus.yaml"
    path.write_text(V1)
    assert runner.invoke(args=["consultations", "import", str(path)]).exit_code == 0
    answer(app, 1, 3, often="daily", late="keen")
    path.write_text(V2)
    out = runner.invoke(args=["consultations", "import", str(path)])
    assert out.exit_code != 0
    assert "! question 'late' removed" in out.output and "--confirm-breaking" in out.output
    assert "option 'weekly' added" in out.output
    with app.app_context():
        assert consultations.get("bus-survey").version == 1
    out = runner.invoke(args=["consultations", "import", "--confirm-breaking", str(path)])
    assert out.exit_code == 0 and "new version (version 2)" in out.output
    with app.app_context():
        assert consultations.get("bus-survey").version == 2


def test_compatible_and_breaking_edits_are_told_apart() -> None:
    v1, v2, v3 = load(V1), load(V2), load(V3)
    assert [c.text for c in versioning.diff(v1, v2) if c.breaking] == [
        "question 'late' removed (its answers are kept)"]
    assert not any(c.breaking for c in versioning.diff(v2, v3))
    assert not any(c.breaking for c in versioning.diff(v2, load(V2.replace(
        "questions:\n", "questions:\n  - {id: extra, type: text, prompt: 'Anything else?'}\n"))))
    required = load(V2.replace("questions:\n", "questions:\n  - {id: extra, type: text, "
                               "required: true, prompt: 'Anything else?'}\n"))
    assert any(c.breaking for c in versioning.diff(v2, required))
    retyped = load(V2.replace("type: single", "type: multiple"))
    assert any(c.breaking and "changed type" in c.text for c in versioning.diff(v2, retyped))
    fewer = load(V1.replace("      - {value: unkeen, label: {en: \"No\", cy: Na fyddwn}}\n",
                            "      - {value: unkeen, label: {en: \"No\", cy: Na fyddwn}}\n"
                            "      - {value: maybe, label: {en: Maybe, cy: Efallai}}\n"))
    assert [c.text for c in versioning.diff(fewer, v1) if c.breaking] == [
        "question 'late': option 'maybe' removed"]


def test_a_retyped_question_keeps_its_older_answers_under_their_own_key() -> None:
    v1, v2 = load(V1), load(V1.replace("type: single\n    prompt: {en: \"Would", "type: multiple\n    prompt: {en: \"Would"))
    merged = versioning.merge([(1, v1), (2, v2)], 2)
    keys = [q["key"] for q in merged["questions"]]
    assert keys == ["often", "late", "late@v1-1"]
    assert merged["questions"][2]["type"] == "single" and merged["questions"][2]["asked_in"] == [1]
    assert merged["questions"][1]["type"] == "multiple" and merged["questions"][1]["asked_in"] == [2]
