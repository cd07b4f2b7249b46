"""Postcode questions: a postcode is tidied, checked and mapped to an area; only the area (and, if
asked, the district) is ever stored. The areas table comes from a CSV (all or nothing, by line)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from kiosk.areas import postcodes
from kiosk.areas import store as areas
from kiosk.consultations.questions import registry as questions
from kiosk.core.db import db
from kiosk.core.problems import AnswerError, ProblemError
from kiosk.responses.models import Draft
from tests.conftest import csrf_token, rows

SLUG = "your-neighbourhood"
TABLE = """postcode,area_code,name_en,name_cy
CF10,W05001,Cathays,Cathays
CF10 3,W05002,Castle,Castell
CF10 3AT,W05003,Civic Centre,Canolfan Ddinesig
"""


# --- normalising and checking -------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["CF10 3AT", "cf103at", " cf10  3at ", "Cf10\t3aT", "CF103AT"])
def test_every_spelling_of_a_postcode_becomes_one(typed: str) -> None:
    found = postcodes.parse(typed)
    assert (found.full, found.sector, found.district) == ("CF10 3AT", "CF10 3", "CF10")


@pytest.mark.parametrize(("typed", "full"), [("sw1a1aa", "SW1A 1AA"), ("M1 1AE", "M1 1AE"),
                                             ("b338th", "B33 8TH"), ("GIR 0AA", "GIR 0AA")])
def test_postcodes_of_every_shape_are_accepted(typed: str, full: str) -> None:
    assert postcodes.parse(typed).full == full


@pytest.mark.parametrize(("typed", "problem"), [
    ("", "Enter a postcode"),
    ("CF10", "Enter a full postcode, including the part after the space"),
    ("cf10 3", "Enter a full postcode, including the part after the space"),
    ("CF10 3A!", "Postcode must only include letters a to z, numbers and spaces"),
    ("CF10-3AT", "Postcode must only include letters a to z, numbers and spaces"),
    ("1234 5AB", "Enter a real postcode"),
    ("CF10 AAT", "Enter a real postcode"),
    ("CF10 3ATX", "Enter a real postcode"),
])
def test_a_bad_postcode_is_refused_naming_the_problem(app, typed: str, problem: str) -> None:
    with app.test_request_context(), pytest.raises(AnswerError) as caught:
        postcodes.parse(typed)
    assert problem in str(caught.value)


def test_the_problems_are_named_in_welsh_too(app) -> None:
    with app.test_request_context(), force_locale("cy"):
        with pytest.raises(AnswerError) as partial:
            postcodes.parse("CF10")
        with pytest.raises(AnswerError) as unreal:
            postcodes.parse("1234 5AB")
        assert "Rhowch god post llawn" in str(partial.value)
        assert "Rhowch god post go iawn" in str(unreal.value)


# --- the lookup table ---------------------------------------------------------------------------


def test_the_most_specific_match_wins_and_unknown_postcodes_are_outside_with_their_district(app) -> None:
    with app.app_context():
        areas.import_csv(TABLE)
        assert areas.answer_for(postcodes.parse("CF10 3AT"), False) == {"area": "W05003"}
        assert areas.answer_for(postcodes.parse("CF10 3NQ"), False) == {"area": "W05002"}
        assert areas.answer_for(postcodes.parse("CF10 1AA"), True) == {"area": "W05001",
                                                                       "district": "CF10"}
        assert areas.answer_for(postcodes.parse("NP20 1AA"), False) == {"area": "outside",
                                                                        "district": "NP20"}


def test_the_table_keeps_no_postcode_as_text(app) -> None:
    with app.app_context():
        areas.import_csv(TABLE)
        stored = [k.key for k in db.session.execute(select(areas.AreaKey)).scalars()]
    assert "CF10" in stored and "CF10 3" in stored
    assert not any(k.replace(" ", "").upper() == "CF103AT" for k in stored)


BAD_TABLE = """postcode,area_code,name_en,name_cy
CF10,W05001,Cathays,Cathays
CF10 3ZZZ,W05002,Castle,Castell
cf10,W05009,Again,Eto
CF11,outside,Oops,Wps
CF14,W05001,Cathays North,Gogledd Cathays
CF15,W 1,Gabalfa,
CF16,W05010,,Dim
"""


def test_a_table_with_bad_lines_is_refused_by_line_and_nothing_is_stored(app) -> None:
    with app.app_context():
        areas.import_csv(TABLE)
        with pytest.raises(ProblemError) as caught:
            areas.import_csv(BAD_TABLE, "areas.csv")
        text = str(caught.value)
        assert "areas.csv: line 3: 'CF10 3ZZZ' is not a full postcode, a sector" in text
        assert "line 4: CF10 repeats line 2" in text
        assert "line 5: area_code 'outside' is kept for postcodes outside every area" in text
        assert "line 6: area W05001 is named differently on line 2" in text
        assert "line 7: area_code 'W 1' must be" in text
        assert "line 8: name_en is empty" in text
        assert "line 2:" not in text
        assert areas.counts() == {"areas": 3, "postcodes": 1, "sectors": 1, "districts": 1}


def test_a_table_needs_its_columns(app) -> None:
    with app.app_context(), pytest.raises(ProblemError) as caught:
        areas.import_csv("postcode,ward\nCF10,W1\n")
    assert "line 1: header must name the columns postcode, area_code, name_en" in str(caught.value)


def test_the_cli_imports_a_table_and_refuses_a_bad_one_storing_nothing(app, tmp_path) -> None:
    runner = app.test_cli_runner()
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(TABLE)
    bad.write_text(BAD_TABLE)
    done = runner.invoke(args=["areas", "import", str(good)])
    assert done.exit_code == 0, done.output
    assert "imported 3 areas from 1 postcodes, 1 sectors and 1 districts" in done.output
    refused = runner.invoke(args=["areas", "import", str(bad)])
    assert refused.exit_code != 0
    assert "line 4: CF10 repeats line 2" in refused.output and "nothing imported" in refused.output
    listed = runner.invoke(args=["areas", "list"])
    assert "W05003\tCivic Centre\tCanolfan Ddinesig" in listed.output


def _upload(client, text: str):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/staff/areas/")
    return client.post("/staff/areas/", data={"csrf_token": token,
                                              "file": (io.BytesIO(text.encode()), "areas.csv")},
                       content_type="multipart/form-data")


def test_an_admin_uploads_the_table_on_the_hub_and_a_bad_file_changes_nothing(app, signed_in) -> None:
    admin = signed_in("admin")
    assert _upload(admin, TABLE).status_code == 303
    page = admin.get("/staff/areas/").get_data(as_text=True)
    assert "Civic Centre" in page and "Canolfan Ddinesig" in page
    refused = _upload(admin, BAD_TABLE)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Nothing was imported" in body
    assert "CSV: line 6: area W05001 is named differently on line 2" in body
    with app.app_context():
        assert set(areas.names()) == {"W05001", "W05002", "W05003", "outside"}


def test_staff_who_are_not_admins_cannot_replace_the_table(app, signed_in) -> None:
    staff = signed_in("staff")
    assert "Replace the table" not in staff.get("/staff/areas/").get_data(as_text=True)
    assert _upload(staff, TABLE).status_code == 403


# --- the question ---------------------------------------------------------------------------------


def _phone(client, data: dict, slug: str = SLUG):  # type: ignore[no-untyped-def]
    token = csrf_token(client, f"/c/{slug}")
    return client.post(f"/c/{slug}", data={"csrf_token": token, **data})


def test_the_phone_page_says_only_the_area_is_kept_in_english_and_welsh(client) -> None:
    english = client.get(f"/c/{SLUG}").get_data(as_text=True)
    assert "We keep your area and the first part of your postcode (like CF10), never your full" in english
    assert 'autocomplete="postal-code"' in english
    welsh = client.get(f"/c/{SLUG}?lang=cy").get_data(as_text=True)
    assert "byth eich cod post" in welsh


def test_a_phone_answer_stores_the_area_and_district_never_the_postcode(app, client) -> None:
    r = _phone(client, {"area": "np20 5bh", "focus": "speeding"})
    assert r.status_code == 303, r.get_data(as_text=True)[:2000]
    [row] = rows(app)
    assert row.answers == {"area": {"area": "AVB-CEN", "district": "NP20"}, "focus": "speeding"}
    assert "5BH" not in json.dumps(row.answers).upper()


def test_a_bad_postcode_reshows_what_was_typed_and_stores_nothing(app, client) -> None:
    r = _phone(client, {"area": "NP20", "focus": "speeding"})
    body = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Enter a full postcode, including the part after the space" in body
    assert 'value="NP20"' in body  # from this form only
    assert rows(app) == []


def test_a_found_area_is_carried_not_the_postcode_when_the_page_comes_back(app, client) -> None:
    r = _phone(client, {"area": "NP19 7XX", "focus": "nonsense"})
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and "Your area: Riverside." in body
    assert "7XX" not in body.upper()  # not re-shown: the area is
    assert 'name="area.area" value="AVB-RIV|NP19"' in body
    token = csrf_token(client, f"/c/{SLUG}")
    again = client.post(f"/c/{SLUG}", data={"csrf_token": token, "area": "",
                                             "area.area": "AVB-RIV|NP19", "focus": "drugs"})
    assert again.status_code == 303
    assert rows(app)[0].answers["area"] == {"area": "AVB-RIV", "district": "NP19"}


def test_a_district_is_refused_where_the_definition_does_not_keep_one(app) -> None:
    q = {"id": "pc", "type": "postcode", "required": False, "keep_district": False}
    with app.test_request_context():
        questions.check_one(q, {"area": "W1"})
        questions.check_one(q, {"area": "outside", "district": "CF10"})
        for bad in ({"area": "W1", "district": "CF10"}, {"area": "W1", "postcode": "CF10 3AT"},
                    "CF10 3AT", {"area": "outside"}, {"area": "outside", "district": "CF10 3AT"}):
            with pytest.raises(AnswerError):
                questions.check_one(q, bad)


def test_saving_for_later_keeps_the_area_not_the_postcode(make_app) -> None:
    app = make_app("hub", RESUME_MIN_QUESTIONS=1)
    with app.app_context():
        from tests.conftest import load_demo

        load_demo()
    client = app.test_client()
    r = _phone(client, {"area": "NP10 8ZZ", "action": "save"})
    assert r.status_code == 303, r.get_data(as_text=True)[:1000]
    with app.app_context():
        [draft] = db.session.execute(select(Draft)).scalars()
        assert draft.answers == {"area": {"area": "AVB-HIL", "district": "NP10"}, "focus": None}


def test_a_kiosk_draft_keeps_the_area_not_the_postcode(kiosk_app) -> None:
    client = kiosk_app.test_client()
    token = csrf_token(client, "/kiosk/")
    client.post(f"/kiosk/c/{SLUG}", data={"csrf_token": token})
    bad = client.post(f"/kiosk/c/{SLUG}/0", data={"csrf_token": token, "area": "NP20 5B"})
    assert bad.status_code == 422 and 'value="NP20 5B"' in bad.get_data(as_text=True)
    r = client.post(f"/kiosk/c/{SLUG}/0", data={"csrf_token": token, "area": "np20 5ab",
                                                 "action": "next"})
    assert r.status_code == 303
    with kiosk_app.app_context():
        [draft] = db.session.execute(select(Draft)).scalars()
        assert draft.answers == {"area": {"area": "AVB-HIL", "district": "NP20"}}
    back = client.get(f"/kiosk/c/{SLUG}/0").get_data(as_text=True)
    assert "Your area: Hillside." in back and "5AB" not in back.upper()


def test_staff_see_answers_by_area_name_and_exports_give_code_and_name(app, client, staff_client) -> None:
    resident = app.test_client()
    for typed in ("NP20 1AA", "NP20 2AB", "NP19 7XX", "CF10 1AA"):
        assert _phone(resident, {"area": typed, "focus": "speeding"}).status_code == 303
    page = staff_client.get(f"/staff/c/{SLUG}").get_data(as_text=True)
    table = page[page.index('id="q-area"'):]
    assert table.index("Avonbridge Town Centre") < table.index("Riverside") < table.index("Outside the area")
    exported = staff_client.get(f"/staff/c/{SLUG}/responses.csv?values=1").get_data(as_text=True)
    got = list(csv.DictReader(io.StringIO(exported)))
    assert {(r["area"], r["area.area_name"], r["area.district"]) for r in got} == {
        ("AVB-CEN", "Avonbridge Town Centre", "NP20"), ("AVB-RIV", "Riverside", "NP19"),
        ("outside", "Outside the area", "CF10")}
    report = staff_client.get(f"/staff/c/{SLUG}/report.csv?values=1").get_data(as_text=True)
    assert "area.area_name" in report and "Riverside" in report
    assert "1AA" not in exported + report and "7XX" not in exported + report


def test_a_definition_refuses_a_keep_district_that_is_not_true_or_false(import_yaml) -> None:
    with pytest.raises(ProblemError) as caught:
        import_yaml("""
slug: pc-test
title: Test
questions:
  - {id: where, type: postcode, keep_district: sometimes, prompt: Your postcode}
""")
    assert "questions[0].keep_district: must be true or false" in str(caught.value)


# --- acceptance: a kiosk offline, then sync; no postcode anywhere -------------------------------

HUB_TABLE = """postcode,area_code,name_en,name_cy
NP20,AVB-CEN,Avonbridge Town Centre,Canol Tref Avonbridge
NP19,AVB-RIV,Riverside,Glan yr Afon
NP20 5,AVB-HIL,Hillside,Ochr y Bryn
NP20 5BH,AVB-CEN,Avonbridge Town Centre,Canol Tref Avonbridge
"""
#: What residents type at the stall (odd spellings included) and what the hub must store.
ENTERED = [("NP20 5BH", {"area": "AVB-CEN", "district": "NP20"}),  # full postcode beats sector
           ("np205ab", {"area": "AVB-HIL", "district": "NP20"}),  # sector beats district
           ("  Np19   7xx ", {"area": "AVB-RIV", "district": "NP19"}),
           ("cf10 3at", {"area": "outside", "district": "CF10"}),
           ("SW1A1AA", {"area": "outside", "district": "SW1A"})]


def spellings(typed: str) -> set[bytes]:
    """A postcode as it might sit in a file: upper or lower case, with or without its space."""
    found = postcodes.parse(typed)
    forms = {found.full, found.full.replace(" ", ""), typed.strip()}
    return {f.encode() for form in forms for f in (form, form.lower(), form.upper())}


def kiosk_visit(base: str, typed: str) -> None:
    """A resident answers the postcode survey on the kiosk's own pages (one wrong try first)."""
    import requests

    from tests.sync.deploy import csrf

    http = requests.Session()
    token = csrf(http, f"{base}/kiosk/")
    r = http.post(f"{base}/kiosk/c/{SLUG}", data={"csrf_token": token}, allow_redirects=False, timeout=10)
    step0 = base + r.headers["Location"]
    wrong = http.post(step0, data={"csrf_token": token, "area": typed.strip()[:-1]}, timeout=10)
    assert wrong.status_code == 422, wrong.text[:500]
    r = http.post(step0, data={"csrf_token": token, "area": typed, "action": "next"},
                  allow_redirects=False, timeout=10)
    assert r.status_code == 303 and r.headers["Location"].endswith("/1"), r.text[:500]
    r = http.post(base + r.headers["Location"], data={"csrf_token": token, "focus": "drugs",
                                                      "action": "submit"},
                  allow_redirects=False, timeout=10)
    assert r.status_code == 303 and r.headers["Location"].endswith("/kiosk/thanks"), r.text[:500]
    http.get(base + r.headers["Location"], timeout=10)
    http.get(f"{base}/kiosk/", timeout=10)


@pytest.mark.slow
def test_postcodes_entered_offline_reach_the_hub_as_areas_and_no_postcode_is_stored(tmp_path) -> None:
    import requests

    from tests.sync.deploy import Deployment

    d = Deployment(tmp_path, None)
    try:
        table = tmp_path / "hub-areas.csv"  # the admin's file: outside both instance folders
        table.write_text(HUB_TABLE)
        d.set_up_hub()
        assert "imported 3 areas" in d.hub_cli("areas", "import", str(table)).stdout
        d.start_hub()
        d.enroll()
        pulled = d.kiosk_cli("sync", "pull").stdout
        assert "areas 3" in pulled, pulled

        d.hub.stop()  # the stall has no network from here on
        with pytest.raises(requests.ConnectionError):
            requests.get(d.hub_url, timeout=2)
        _kiosk, base = d.serve_kiosk()
        for typed, _area in ENTERED:
            kiosk_visit(base, typed)
        bundle = tmp_path / "usb" / "queue.voxbox"
        bundle.parent.mkdir()
        d.kiosk_cli("sync", "export", str(bundle))
        assert d.kiosk_states() == {"queued": len(ENTERED)}
        assert_no_postcode(_files(d.kiosk_dir), bundle)  # the kiosk still running: its -wal too

        d.start_hub()
        done = d.kiosk_cli("sync")
        assert f"push: accepted {len(ENTERED)}, duplicate 0" in done.stdout, done.stdout + done.stderr
        stored = [json.loads(a)["area"] for (a,) in d.rows("hub", "SELECT answers FROM responses")]
        assert sorted(map(json.dumps, stored)) == sorted(json.dumps(area) for _typed, area in ENTERED)
        assert d.kiosk_states() == {"synced": len(ENTERED)}
        d.stop()  # every process ends: what is on disk now is all there is

        assert_no_postcode(_files(d.hub_dir) + _files(d.kiosk_dir) + list(tmp_path.glob("*.log")),
                           bundle)
    finally:
        d.stop()


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def assert_no_postcode(files: list[Path], bundle: Path) -> None:
    """No spelling of any entered postcode in any file's raw bytes, nor in the unzipped bundle."""
    import gzip

    blobs = {str(p): p.read_bytes() for p in files}
    assert any(name.endswith("voxbox.db") for name in blobs)
    blobs[str(bundle)] = bundle.read_bytes()
    unzipped = gzip.decompress(blobs[str(bundle)])
    blobs[f"{bundle} (unzipped)"] = unzipped
    assert b"AVB-RIV" in unzipped and b"NP19" in unzipped  # the areas are there, readable
    for typed, _area in ENTERED:
        for form in spellings(typed):
            leaks = [name for name, blob in blobs.items() if form in blob]
            assert leaks == [], f"{form!r} found in {leaks}"


def test_a_paper_csv_with_postcodes_keeps_only_the_areas_and_a_bad_one_stores_nothing(app) -> None:
    from kiosk.consultations import store as consultations
    from kiosk.responses import paper

    with app.app_context():
        defn = consultations.definition(SLUG)
        bad = "form_date,area,focus\n2026-11-02,NP20 1AA,drugs\n2026-11-02,NP20,drugs\n"
        with pytest.raises(ProblemError) as caught:
            paper.import_csv(defn, 1, bad, "Staff")
        assert "line 3: area: Enter a full postcode" in str(caught.value)
        assert rows(app) == []
        good = "form_date,area,focus\n2026-11-02,np19 7xx,drugs\n2026-11-02,,speeding\n"
        assert paper.import_csv(defn, 1, good, "Staff") == 2
    assert sorted(json.dumps(r.answers) for r in rows(app, channel="paper")) == [
        json.dumps({"area": {"area": "AVB-RIV", "district": "NP19"}, "focus": "drugs"}),
        json.dumps({"focus": "speeding"})]
