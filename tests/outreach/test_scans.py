"""/q/<code>: a scan is counted once per visitor, redirects to the code's consultation, and the
response it leads to carries the code, so the funnel reads scans → started → completed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kiosk.core.db import db
from kiosk.outreach import destinations, scans, tracking
from kiosk.outreach.models import Scan
from kiosk.reports import funnel as reports
from tests.conftest import csrf_token, rows
from tests.responses.test_answers import VALID


def scan_rows(app, **filters) -> list[Scan]:  # type: ignore[no-untyped-def]
    with app.app_context():
        scans.flush()
        return list(db.session.execute(select(Scan).filter_by(**filters).order_by(Scan.id)).scalars())


def funnel(app, slug: str, code: str) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        [row] = [p for p in reports.build(slug).placements if p.code == code]
    return row.scans, row.visitors, row.started, row.completed


def test_a_scan_is_counted_once_per_visitor_and_leads_to_a_coded_response(app, resident,
                                                                          make_code) -> None:
    code = make_code(label="Bus station, stand C")
    first = resident.get(f"/q/{code}")
    assert first.status_code == 302
    assert first.headers["Location"] == f"/c/policing-priorities?code={code}"
    assert resident.get(f"/q/{code}").status_code == 302  # the same phone scans again
    assert [(s.stage, s.first, s.device) for s in scan_rows(app)] == [
        ("scan", True, "phone"), ("scan", False, "phone")]

    page = resident.get(first.headers["Location"])
    assert page.status_code == 200
    assert f'name="code" value="{code}"' in page.get_data(as_text=True)
    resident.get(first.headers["Location"])  # a reload is not a second start
    assert [s.stage for s in scan_rows(app, stage="start")] == ["start"]

    token = csrf_token(resident, first.headers["Location"])
    done = resident.post("/c/policing-priorities", data={"csrf_token": token, "code": code, **VALID})
    assert done.status_code == 303
    [response] = rows(app)
    assert response.tracking_code == code
    assert funnel(app, "policing-priorities", code) == (2, 1, 1, 1)  # 1 → 1 → 1 per visitor


def test_a_second_visitor_is_counted_separately(app, make_code) -> None:
    code = make_code()
    for _ in range(2):
        assert app.test_client().get(f"/q/{code}").status_code == 302
    assert [s.first for s in scan_rows(app)] == [True, True]
    assert funnel(app, "policing-priorities", code) == (2, 2, 0, 0)


def test_a_repointed_code_sends_new_scans_to_the_new_consultation(app, resident, make_code,
                                                                   import_yaml) -> None:
    import_yaml(PARK)
    code = make_code()
    assert resident.get(f"/q/{code}").headers["Location"] == f"/c/policing-priorities?code={code}"
    with app.app_context():
        destinations.repoint(code, "park-survey", destinations.CLI)
    assert resident.get(f"/q/{code}").headers["Location"] == f"/c/park-survey?code={code}"
    assert [s.consultation_slug for s in scan_rows(app)] == ["policing-priorities", "park-survey"]
    # earlier scans stay with the consultation they were sent to
    assert funnel(app, "policing-priorities", code)[0] == 1
    assert funnel(app, "park-survey", code)[0] == 1


def test_typed_codes_are_normalised_into_the_redirect(resident, make_code) -> None:
    code = make_code()
    r = resident.get(f"/q/{code[:3].lower()}-{code[3:].lower()}")
    assert r.headers["Location"] == f"/c/policing-priorities?code={code}"


def test_unknown_codes_get_a_friendly_404_listing_open_consultations(app, resident,
                                                                    make_code) -> None:
    code = make_code()
    bad = code[:-1] + ("2" if code[-1] != "2" else "3")
    for path in (f"/q/{bad}", "/q/hello", "/q//"):
        r = resident.get(path)
        assert r.status_code == 404, path
        text = r.get_data(as_text=True)
        assert "do not recognise that code" in text
        assert 'href="/c/policing-priorities"' in text
    assert scan_rows(app) == []


def test_no_ip_address_is_stored(app, make_code) -> None:
    code = make_code()
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.77"
    client.get(f"/q/{code}", headers={"X-Forwarded-For": "198.51.100.23"})
    client.get(f"/c/policing-priorities?code={code}")
    stored = [(s.at, s.stage, s.code, s.consultation_slug, s.device, s.first) for s in scan_rows(app)]
    assert len(stored) == 2
    assert not any(ip in str(stored) for ip in ("203.0.113", "198.51.100"))
    assert set(Scan.__table__.columns.keys()) == {  # key: random per scan, for exactly-once writes;
        # synthetic: made by `voxbox demo --scans`, never by a visitor
        "id", "at", "stage", "code", "consultation_slug", "device", "first", "key", "synthetic"}
    cookie = client.get_cookie(scans.SCANNED_COOKIE)
    assert cookie is not None and cookie.value == code  # holds the codes scanned, nothing else


def test_device_classes_from_user_agents() -> None:
    cases = {
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36": "phone",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148": "phone",
        "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15": "tablet",
        "Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 Chrome/124.0 Safari/537.36": "tablet",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0": "desktop",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15": "desktop",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)": "other",
        "curl/8.5.0": "other",
        "": "other",
    }
    for ua, expected in cases.items():
        assert scans.device_class(ua) == expected, ua


def test_the_kiosk_role_has_no_scan_route(kiosk_app) -> None:
    assert kiosk_app.test_client().get("/q/ABCDEF").status_code == 404


def test_scan_cookies_hold_only_well_formed_tokens() -> None:
    assert scans.remembered('ABC23X.<script>.policing-priorities_ABC23X..') == [
        "ABC23X", "policing-priorities_ABC23X"]
    value = ""
    for i in range(scans.MAX_REMEMBERED + 5):
        value = scans.remember(scans.remembered(value), f"C{i}")
    assert len(scans.remembered(value)) == scans.MAX_REMEMBERED


PARK = """
slug: park-survey
status: open
title: Park survey
questions:
  - {id: visit, type: single, required: true, prompt: "How often?", options: [{value: weekly, label: Weekly}, {value: never, label: Never}]}
"""


def test_scan_rows_commit_without_waiting_for_the_disk_but_responses_do(app) -> None:
    from sqlalchemy import text

    with app.app_context():
        with scans.counter_engine().connect() as conn:
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL (WAL-safe)
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() > 0
        assert db.session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


@pytest.mark.postgres
def test_scans_are_stored_on_postgresql(make_app, pg_url) -> None:
    from kiosk.demo import content as demo
    from kiosk.reports import funnel as reports

    app = make_app("hub", DATABASE_URL=pg_url)
    with app.app_context():
        list(demo.load(app))
        code = tracking.create("policing-priorities", "cutout", "Cutout").code
    resident = app.test_client()
    assert resident.get(f"/q/{code}").status_code == 302
    resident.get(f"/c/policing-priorities?code={code}")
    with app.app_context():
        [row] = [p for p in reports.build("policing-priorities").placements if p.code == code]
        assert (row.scans, row.visitors, row.started, row.completed) == (1, 1, 1, 0)
        scans.counter_engine().dispose()


def test_other_processes_follow_a_repointed_code_within_the_cache_time(app, resident,
                                                                       make_code) -> None:
    from sqlalchemy import update

    from kiosk.outreach.models import TrackingCode

    code = make_code()
    now = [1000.0]
    with app.app_context():
        cache = scans.live_codes()
        cache.clock = lambda: now[0]
    assert resident.get(f"/q/{code}").headers["Location"].startswith("/c/policing-priorities")
    with app.app_context():  # as another worker process would: the table changes, not this cache
        db.session.execute(update(TrackingCode).filter_by(code=code)
                           .values(consultation_slug="police-budget-2027"))
        db.session.commit()
    assert resident.get(f"/q/{code}").headers["Location"].startswith("/c/policing-priorities")
    now[0] += app.config["SCAN_CACHE_SECONDS"] + 0.1
    assert resident.get(f"/q/{code}").headers["Location"].startswith("/c/police-budget-2027")
    assert [s.consultation_slug for s in scan_rows(app)] == [
        "policing-priorities", "policing-priorities", "police-budget-2027"]


def test_unknown_codes_are_never_remembered(app, resident) -> None:
    body = "ABCDE"
    code = body + tracking.check_char(body)  # well formed, but no placement has it
    assert resident.get(f"/q/{code}").status_code == 404
    with app.app_context():
        assert scans.live_codes().known == {}


@pytest.mark.postgres
def test_scans_land_in_the_schema_the_database_url_names(make_app, pg_url) -> None:
    import psycopg

    from kiosk.demo import content as demo

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA hub_here")
    app = make_app("hub", DATABASE_URL=f"{pg_url}?options=-csearch_path%3Dhub_here")
    with app.app_context():
        list(demo.load(app))
        code = tracking.create("policing-priorities", "bus_stop", "Stop").code
    assert app.test_client().get(f"/q/{code}").status_code == 302
    with app.app_context():
        scans.flush()
        scans.counter_engine().dispose()
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM hub_here.scans").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                            ).fetchone()[0] == 0
