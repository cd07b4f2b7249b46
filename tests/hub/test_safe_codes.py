"""Safe QR codes: only admins re-point, only to an open consultation or the holding page; each
code keeps its destination history; a retired code lands on the holding page and still counts;
the placement page shows scans per day."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from kiosk.core.db import db
from kiosk.outreach import destinations, scans, tracking
from kiosk.outreach.models import Scan
from kiosk.outreach.tracking import HOLDING
from tests.conftest import csrf_token, load_demo

SLUG = "policing-priorities"
DRAFT = """
slug: draft-survey
status: draft
title: Draft survey
questions:
  - {id: q, type: text, prompt: "Anything?"}
"""


@pytest.fixture
def app(make_app):  # type: ignore[no-untyped-def]
    """A hub that batches scans for an hour, so counts appear only after the scan flush."""
    application = make_app("hub", SCAN_FLUSH_SECONDS=3600)
    with application.app_context():
        load_demo()
    return application


@pytest.fixture
def code(make_code) -> str:  # type: ignore[no-untyped-def]
    return make_code(SLUG)


def post(client, code: str, action: str, **data: str):  # type: ignore[no-untyped-def]
    token = csrf_token(client, f"/staff/posters/{code}")
    return client.post(f"/staff/posters/{code}/{action}", data={"csrf_token": token, **data})


def state(app, code: str) -> tuple[str, bool, int]:  # type: ignore[no-untyped-def]
    """Where the code points, whether it is retired, and how many history rows it has."""
    with app.app_context():
        row = tracking.get(code)
        return row.consultation_slug, row.retired, len(destinations.history(code))


def history_rows(page: str) -> list[list[str]]:
    [table] = re.findall(r"<table class=\"data\" data-history>(.*?)</table>", page, re.S)
    body = table.split("<tbody>")[1]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", tr, re.S)]
            for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_a_staff_user_cannot_repoint_or_retire_a_code(app, signed_in, resident, code) -> None:
    staff = signed_in("staff")
    page = staff.get(f"/staff/posters/{code}").get_data(as_text=True)
    assert "/repoint" not in page and "/retire" not in page
    assert "Only an admin can re-point or retire a code." in page

    assert post(staff, code, "repoint", consultation="your-neighbourhood").status_code == 403
    assert post(staff, code, "retire", confirm="yes").status_code == 403

    assert state(app, code) == (SLUG, False, 0)
    assert resident.get(f"/q/{code}").location == f"/c/{SLUG}?code={code}"


@pytest.mark.parametrize("target", ["draft-survey", "town-centre-safety"])
def test_a_code_cannot_be_repointed_at_a_draft_or_closed_consultation(app, signed_in, resident,
                                                                      import_yaml, code,
                                                                      target) -> None:
    import_yaml(DRAFT)
    admin = signed_in("admin")
    page = admin.get(f"/staff/posters/{code}").get_data(as_text=True)
    assert f'value="{target}"' not in page  # not offered

    r = post(admin, code, "repoint", consultation=target)

    assert r.status_code == 422
    assert (f"A code can only send residents to an open consultation or the holding page: "
            f"{target} is a draft or closed.") in r.get_data(as_text=True)
    assert state(app, code) == (SLUG, False, 0)
    assert resident.get(f"/q/{code}").location == f"/c/{SLUG}?code={code}"


def test_the_cli_refuses_a_draft_target_and_records_cli_as_who(app, import_yaml, code) -> None:
    import_yaml(DRAFT)
    runner = app.test_cli_runner()

    refused = runner.invoke(args=["posters", "repoint", code, "draft-survey"])
    assert refused.exit_code == 1
    assert "consultation draft-survey is a draft" in refused.stderr
    assert "nothing changed" in refused.stderr
    assert state(app, code) == (SLUG, False, 0)

    done = runner.invoke(args=["posters", "repoint", code, "--holding"])
    assert done.exit_code == 0, done.output
    with app.app_context():
        [change] = destinations.history(code)
        assert (change.from_target, change.to_target, change.by) == (SLUG, HOLDING, "cli")


def test_an_admin_repoint_to_an_open_consultation_is_in_the_history_with_who(
        app, signed_in, resident, code) -> None:
    admin = signed_in("admin")

    r = post(admin, code, "repoint", consultation="your-neighbourhood")

    assert r.status_code == 303
    assert resident.get(f"/q/{code}").location == f"/c/your-neighbourhood?code={code}"
    page = admin.get(f"/staff/posters/{code}").get_data(as_text=True)
    [[when, source, to, who]] = history_rows(page)
    assert SLUG in source and "your-neighbourhood" in to
    assert re.fullmatch(r"user \d+ admin-[0-9a-f]{8}@example\.org", who), who
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", when)


def test_a_code_sent_to_the_holding_page_lands_there_and_it_lists_open_consultations(
        app, signed_in, resident, code) -> None:
    admin = signed_in("admin")
    assert post(admin, code, "repoint", consultation=HOLDING).status_code == 303

    r = resident.get(f"/q/{code}")

    assert r.status_code == 302 and r.location == "/q/"
    holding = resident.get("/q/")
    text = holding.get_data(as_text=True)
    assert holding.status_code == 200
    assert 'href="/c/policing-priorities"' in text and 'href="/c/your-neighbourhood"' in text
    assert 'href="/c/town-centre-safety"' not in text  # closed
    welsh = resident.get("/q/?lang=cy").get_data(as_text=True)
    assert '<html lang="cy">' in welsh and "Dweud eich dweud" in welsh
    listing = admin.get("/staff/posters/").get_data(as_text=True)
    assert listing.index(f'data-code="{code}"') > listing.index('id="c-holding"')


def test_retiring_needs_a_confirmation(app, signed_in, code) -> None:
    admin = signed_in("admin")

    r = post(admin, code, "retire")

    assert r.status_code == 422
    assert "Tick the box to confirm you want to retire this code." in r.get_data(as_text=True)
    assert state(app, code) == (SLUG, False, 0)


def test_retired_codes_land_on_the_holding_page_and_their_scans_count(app, signed_in, resident,
                                                                       make_code, code) -> None:
    other = make_code(SLUG, label="Still live")
    admin = signed_in("admin")
    assert resident.get(f"/q/{code}").status_code == 302  # one scan before retiring
    assert post(admin, code, "retire", confirm="yes").status_code == 303

    for _ in range(3):
        assert resident.get(f"/q/{code}").location == "/q/"
    assert resident.get(f"/q/{other}").location == f"/c/{SLUG}?code={other}"
    with app.app_context():  # batched: only the scan flushed by the admin's page view is stored
        assert len(db.session.execute(select(Scan)).scalars().all()) == 1

    page = admin.get(f"/staff/posters/{code}").get_data(as_text=True)  # flushes, then counts

    assert re.search(r"<dt>Scans</dt><dd>4</dd>", page)
    assert "The holding page (this code is retired)" in page
    assert history_rows(page)[0][2] == "Retired (the holding page)"
    assert "/repoint" not in page  # a retired code is not re-pointed
    with app.app_context():
        stored = db.session.execute(select(Scan.consultation_slug).where(
            Scan.code == code).order_by(Scan.id)).scalars().all()
        assert stored == [SLUG, HOLDING, HOLDING, HOLDING]
        with pytest.raises(destinations.Refused, match="is retired"):
            destinations.repoint(code, "your-neighbourhood", "cli")
    listing = admin.get("/staff/posters/").get_data(as_text=True)
    [cells] = re.findall(rf'<tr data-code="{code}">(.*?)</tr>', listing, re.S)
    assert "(retired)" in cells and re.findall(r"<td>(\d+)</td>", cells) == ["4"]


def test_the_cli_retires_a_code_after_confirming(app, resident, code) -> None:
    runner = app.test_cli_runner()

    declined = runner.invoke(args=["posters", "retire", code], input="n\n")
    assert declined.exit_code == 1 and state(app, code) == (SLUG, False, 0)
    done = runner.invoke(args=["posters", "retire", code], input="y\n")

    assert done.exit_code == 0, done.output
    assert f"{code} is retired" in done.stdout
    assert state(app, code) == (SLUG, True, 1)
    assert resident.get(f"/q/{code}").location == "/q/"
    again = runner.invoke(args=["posters", "retire", code, "--yes"])
    assert again.exit_code == 1 and "already retired" in again.stderr


def test_the_placement_page_shows_scans_per_day(app, signed_in, resident, make_code,
                                               code) -> None:
    other = make_code(SLUG, label="Elsewhere")
    today = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    days = {dt.date(2026, 11, 2): 3, dt.date(2026, 11, 5): 1}
    with app.app_context():
        for day, n in days.items():
            for hour in range(n):
                db.session.add(Scan(at=dt.datetime.combine(day, dt.time(hour * 7 + 1)),
                                    stage="scan", code=code, consultation_slug=SLUG,
                                    device="phone", key=scans.new_key()))
        db.session.add(Scan(at=dt.datetime(2026, 11, 2, 9), stage="start", code=code,
                            consultation_slug=SLUG, device="phone", key=scans.new_key()))
        db.session.add(Scan(at=dt.datetime(2026, 11, 2, 9), stage="scan", code=other,
                            consultation_slug=SLUG, device="phone", key=scans.new_key()))
        db.session.commit()
    resident.get(f"/q/{code}")
    resident.get(f"/q/{code}")

    page = signed_in("staff").get(f"/staff/posters/{code}").get_data(as_text=True)

    shown = dict(re.findall(r'<tr data-day="([\d-]+)"><td>[\d-]+</td><td>(\d+)</td></tr>', page))
    assert shown == {"2026-11-02": "3", "2026-11-05": "1", today.date().isoformat(): "2"}
    assert list(shown) == sorted(shown)


def test_retired_scans_count_and_the_timeline_groups_on_postgresql(make_app, pg_url) -> None:
    app = make_app("hub", DATABASE_URL=pg_url, SCAN_FLUSH_SECONDS=3600)
    with app.app_context():
        load_demo()
        code = tracking.create(SLUG, "cutout", "Cutout").code
        destinations.retire(code, destinations.CLI)
    resident = app.test_client()
    for _ in range(2):
        assert resident.get(f"/q/{code}").location == "/q/"
    with app.app_context():
        [day] = destinations.timeline(code)  # flushes the batch, then counts
        assert (day.day, day.scans) == (dt.datetime.now(dt.UTC).date().isoformat(), 2)
        [change] = destinations.history(code)
        assert (change.to_target, change.by) == ("retired", "cli")
        scans.counter_engine().dispose()
