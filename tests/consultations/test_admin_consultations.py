"""Consultations admin: admins import definitions (all or nothing), publish or close them, and
anyone on staff can export a definition that imports back unchanged."""

from __future__ import annotations

import io

import yaml

from kiosk.consultations import store as consultations
from tests.conftest import csrf_token
from tests.consultations.test_definitions import GOOD

PARK = GOOD.replace("status: open", "status: draft")
BAD = PARK.replace("park-survey", "bad-survey").replace(
    "      - {value: never, label: {en: Never, cy: Byth}}\n", "")
IMPORT = "/staff/consultations/import"


def upload(client, *files: tuple[str, str]):  # type: ignore[no-untyped-def]
    token = csrf_token(client, IMPORT)
    data = {"csrf_token": token, "files": [(io.BytesIO(body.encode()), name) for name, body in files]}
    return client.post(IMPORT, data=data, content_type="multipart/form-data")


def test_an_admin_imports_a_definition_and_publishes_it(app, signed_in) -> None:
    admin = signed_in("admin")
    r = upload(admin, ("park.yaml", PARK))
    assert r.status_code == 303
    with app.app_context():
        c = consultations.get("park-survey")
        assert (c.status, c.version, c.title["cy"]) == ("draft", 1, "Arolwg y parc")
    assert admin.get("/c/park-survey").status_code == 404  # a draft is not public

    token = csrf_token(admin, "/staff/c/park-survey")
    assert admin.post("/staff/consultations/park-survey/status",
                      data={"csrf_token": token, "status": "open"}).status_code == 303
    assert "Park survey" in admin.get("/").get_data(as_text=True)
    assert admin.get("/c/park-survey").status_code == 200
    with app.app_context():
        assert consultations.definition("park-survey")["status"] == "open"


def test_one_bad_file_stores_nothing_and_names_the_file_and_path(app, signed_in) -> None:
    admin = signed_in("admin")
    r = upload(admin, ("park.yaml", PARK), ("bad.yaml", BAD))
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "bad.yaml: questions[0].options: at least 2 options needed" in page
    with app.app_context():
        assert consultations.get("park-survey") is None and consultations.get("bad-survey") is None


def test_no_file_or_a_bad_status_is_a_clear_4xx(app, signed_in) -> None:
    admin = signed_in("admin")
    token = csrf_token(admin, IMPORT)
    r = admin.post(IMPORT, data={"csrf_token": token}, content_type="multipart/form-data")
    assert r.status_code == 400 and "Choose at least one" in r.get_data(as_text=True)
    r = admin.post("/staff/consultations/policing-priorities/status",
                   data={"csrf_token": token, "status": "published"})
    assert r.status_code == 400 and "draft, open or closed" in r.get_data(as_text=True)
    with app.app_context():
        assert consultations.get("policing-priorities").status == "open"


def test_staff_export_but_only_admins_import_or_change_status(app, signed_in) -> None:
    staff = signed_in("staff")
    assert staff.get(IMPORT).status_code == 403
    token = csrf_token(staff, "/staff/c/policing-priorities")
    assert staff.post("/staff/consultations/policing-priorities/status",
                      data={"csrf_token": token, "status": "closed"}).status_code == 403
    exported = staff.get("/staff/consultations/policing-priorities/definition.yaml")
    assert exported.status_code == 200
    with app.app_context():
        assert yaml.safe_load(exported.get_data(as_text=True)) == consultations.definition(
            "policing-priorities")
        assert consultations.get("policing-priorities").status == "open"
    json_doc = staff.get("/staff/consultations/policing-priorities/definition.json").get_json()
    assert json_doc["slug"] == "policing-priorities"


def test_reimporting_an_export_changes_nothing(app, signed_in) -> None:
    admin = signed_in("admin")
    body = admin.get("/staff/consultations/police-budget-2027/definition.yaml").get_data(as_text=True)
    with app.app_context():
        before = consultations.get("police-budget-2027").version
    assert upload(admin, ("budget.yaml", body)).status_code == 303
    with app.app_context():
        assert consultations.get("police-budget-2027").version == before
    page = admin.get("/staff/").get_data(as_text=True)
    assert "police-budget-2027: unchanged (version 1)" in page, page[page.find("flash"):][:300]
