"""Report figures for a generated data set match an independent count made here from the raw
records; exports carry attribution columns and formula-safe cells; flags never drop a response."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import re
import uuid
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert

from kiosk.core.db import db
from kiosk.events import store as events
from kiosk.outreach import tracking
from kiosk.outreach.models import Scan
from kiosk.reports import funnel as reports
from kiosk.reports.filters import Filters
from kiosk.responses.models import Response
from kiosk.responses.store import PLAIN_NUMBER

SLUG = "policing-priorities"
LONDON = ZoneInfo("Europe/London")
# Ten days either side of the clock change (25 Oct 2026), so London days differ from UTC days.
BEGIN = dt.datetime(2026, 10, 19, 0, 0)
SPAN = 12 * 86400
CHANNELS = ("kiosk", "web", "paper")
DEVICES = ("phone", "tablet", "desktop", "other")


def london_date(t: dt.datetime) -> dt.date:
    return t.replace(tzinfo=dt.UTC).astimezone(LONDON).date()


@pytest.fixture
def data(app):  # type: ignore[no-untyped-def]
    """Scans, starts and responses at random, with planted outliers and one kiosk burst."""
    return make_data(app)


@pytest.fixture
def both(hub_on):  # type: ignore[no-untyped-def]
    """The same data on a hub on SQLite, then on PostgreSQL."""
    return hub_on, make_data(hub_on)


def make_data(app):  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    with app.app_context():
        codes = [tracking.create(SLUG, k, label).code for k, label in
                 (("bus_stop", "Stop 14"), ("cutout", "=2+3 Library cutout"), ("leaflet", "Leaflets"))]
        other = tracking.create("town-centre-safety", "bus_stop", "Elsewhere").code
        stall = events.create({"name": "Stall", "place": "Market", "starts_at": BEGIN}).id
        pact = events.create({"name": "PACT", "place": "Hall", "starts_at": BEGIN}).id
    kiosks = [str(uuid.uuid4()), str(uuid.uuid4())]
    scans, resp = [], []
    for _ in range(900):
        slug = SLUG if rng.random() < 0.9 else "town-centre-safety"
        code = rng.choice(codes) if slug == SLUG else other
        stage = rng.choice(["scan", "scan", "start"])
        scans.append({"at": BEGIN + dt.timedelta(seconds=rng.randrange(SPAN)), "stage": stage,
                      "code": None if stage == "start" and rng.random() < 0.2 else code,
                      "consultation_slug": slug,
                      "device": rng.choice(DEVICES), "first": stage == "start" or rng.random() < 0.7})
    for i in range(600):
        channel = rng.choice(CHANNELS)
        submitted = BEGIN + dt.timedelta(seconds=rng.randrange(SPAN))
        took = rng.randint(60, 900)
        if i % 97 == 0:
            took = rng.randint(1, 3)  # planted: far too fast
        elif i % 89 == 0:
            took = rng.randint(40_000, 80_000)  # planted: left open for half a day
        resp.append(_response(
            rng, channel, submitted, took,
            device=rng.choice(kiosks) if channel == "kiosk" else None,
            event=rng.choice([stall, pact, None]) if channel == "kiosk" else None,
            code=rng.choice(codes + [None]) if channel == "web" else None))
    burst_at = BEGIN + dt.timedelta(days=3, hours=14)
    for k in range(6):  # planted: six in 75 seconds from one kiosk
        resp.append(_response(rng, "kiosk", burst_at + dt.timedelta(seconds=15 * k), 300,
                              device=kiosks[0], event=stall, code=None))
    resp.append(_response(rng, "web", BEGIN, 300, None, None, None, slug="town-centre-safety"))
    with app.app_context():
        db.session.execute(insert(Scan), scans)
        db.session.execute(insert(Response), resp)
        db.session.commit()
    return {"codes": codes, "scans": scans, "responses": resp, "stall": stall, "pact": pact,
            "kiosks": kiosks, "burst": {r["uuid"] for r in resp[-7:-1]}}


def _response(rng, channel, submitted, took, device, event, code, slug=SLUG):  # type: ignore[no-untyped-def]
    return {"uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "consultation_slug": slug,
            "version": 1, "answers": {"comments": rng.choice(["=HYPERLINK(\"http://x\")", "fine", "+1"])},
            "language": "en", "channel": channel, "device_id": device, "event_id": event,
            "tracking_code": code, "started_at": submitted - dt.timedelta(seconds=took),
            "submitted_at": submitted, "content_hash": "0" * 64, "received_at": submitted,
            "sync_state": "queued"}


def expected(data, f: Filters) -> dict:  # type: ignore[no-untyped-def]
    """The report's figures, counted straight from the generated records."""
    def in_dates(t: dt.datetime) -> bool:
        d = london_date(t)
        return (f.start is None or d >= f.start) and (f.end is None or d <= f.end)

    rs = [r for r in data["responses"] if r["consultation_slug"] == SLUG and in_dates(r["submitted_at"])
          and f.channel in (None, r["channel"]) and f.event in (None, r["event_id"])
          and f.code in (None, r["tracking_code"]) and f.device in (None, r["device_id"])]
    scans_on = f.channel in (None, "web") and f.event is None and f.device is None
    ss = [s for s in data["scans"] if scans_on and s["consultation_slug"] == SLUG
          and in_dates(s["at"]) and f.code in (None, s["code"])]
    funnel = {}
    for code in (data["codes"] if f.code is None else [f.code]):
        funnel[code] = (sum(s["code"] == code and s["stage"] == "scan" for s in ss),
                        sum(s["code"] == code and s["stage"] == "scan" and s["first"] for s in ss),
                        sum(s["code"] == code and s["stage"] == "start" for s in ss),
                        sum(r["tracking_code"] == code for r in rs))
    direct = (0, 0, sum(s["code"] is None and s["stage"] == "start" for s in ss),
              sum(r["tracking_code"] is None and r["channel"] == "web" for r in rs))
    if direct != (0, 0, 0, 0):
        funnel[None] = direct
    days = Counter()
    for s in ss:
        key = (london_date(s["at"]), s["stage"] if s["stage"] == "start" else "scan")
        days[key] += 1
    for r in rs:
        days[(london_date(r["submitted_at"]), "completed")] += 1
    return {
        "responses": len(rs), "funnel": funnel,
        "channels": {c: n for c in CHANNELS if (n := sum(r["channel"] == c for r in rs))},
        "events": dict(Counter(r["event_id"] for r in rs)),
        "devices": dict(Counter(r["device_id"] for r in rs)),
        "classes": {d: (sum(s["device"] == d and s["stage"] == "scan" for s in ss),
                        sum(s["device"] == d and s["stage"] == "start" for s in ss)) for d in DEVICES},
        "days": {k: v for k, v in days.items()},
    }


def actual(app, f: Filters) -> tuple[dict, reports.Report]:  # type: ignore[no-untyped-def]
    with app.app_context():
        r = reports.build(SLUG, f)
    days = Counter()
    for d in r.days:
        for key, n in (("scan", d.scans), ("start", d.started), ("completed", d.completed)):
            if n:
                days[(d.day, key)] = n
    return {
        "responses": r.responses,
        "funnel": {p.code: (p.scans, p.visitors, p.started, p.completed) for p in r.placements},
        "channels": r.channels, "events": {e: n for e, _name, n in r.events},
        "devices": r.devices, "classes": r.device_classes, "days": dict(days),
    }, r


def filter_cases(data) -> list[Filters]:  # type: ignore[no-untyped-def]
    return [
        Filters(),
        Filters(start=dt.date(2026, 10, 24), end=dt.date(2026, 10, 26)),
        Filters(channel="web"),
        Filters(channel="kiosk"),
        Filters(event=data["stall"]),
        Filters(code=data["codes"][1]),
        Filters(start=dt.date(2026, 10, 22), channel="web", code=data["codes"][0]),
        Filters(device=data["kiosks"][0]),
        Filters(device=data["kiosks"][1], event=data["stall"]),
    ]


def test_report_figures_match_an_independent_count(both) -> None:  # type: ignore[no-untyped-def]
    app, data = both
    for f in filter_cases(data):
        got, report = actual(app, f)
        assert got == expected(data, f), f
        totals = [sum(v[i] for v in got["funnel"].values()) for i in range(4)]
        assert totals == [report.total.scans, report.total.visitors, report.total.started,
                          report.total.completed]


def test_day_buckets_follow_london_time_across_the_clock_change(app) -> None:
    with app.app_context():
        rng = random.Random(1)
        db.session.execute(insert(Response), [
            _response(rng, "web", t, 100, None, None, None)
            for t in (dt.datetime(2026, 10, 20, 23, 30), dt.datetime(2026, 10, 26, 23, 30))])
        db.session.commit()
        days = {d.day: d.completed for d in reports.build(SLUG).days if d.completed}
    # 23:30 UTC is 00:30 the next day in BST, but still the same day once clocks go back
    assert days == {dt.date(2026, 10, 21): 1, dt.date(2026, 10, 26): 1}


def test_quality_flags_match_planted_outliers_and_bursts(both) -> None:  # type: ignore[no-untyped-def]
    app, data = both
    with app.app_context():
        report = reports.build(SLUG)
    responses = [r for r in data["responses"] if r["consultation_slug"] == SLUG]
    took = {r["uuid"]: (r["submitted_at"] - r["started_at"]).total_seconds() for r in responses}
    fast = {u for u, s in took.items() if s < 10}
    slow = {u for u, s in took.items() if s > 30_000}
    assert fast and slow
    assert {u for u, fl in report.flags.items() if "too-fast" in fl} == fast
    assert {u for u, fl in report.flags.items() if "too-slow" in fl} == slow
    for attr, flag in (("device_id", "burst-device"), ("tracking_code", "burst-code")):
        assert {u for u, fl in report.flags.items() if flag in fl} == naive_bursts(responses, attr)
    assert data["burst"] <= {u for u, fl in report.flags.items() if "burst-device" in fl}
    assert report.flag_counts == {flag: sum(flag in fl for fl in report.flags.values())
                                  for flag in ("too-fast", "too-slow", "burst-device", "burst-code")}
    assert report.responses == len(responses)  # flagged, never dropped


def naive_bursts(responses: list[dict], attr: str) -> set[str]:
    """Every response with four others from the same source within two minutes of a window."""
    out = set()
    for r in responses:
        if not r[attr]:
            continue
        same = [o["submitted_at"] for o in responses if o[attr] == r[attr]]
        for begin in same:
            window = [t for t in same if begin <= t <= begin + dt.timedelta(minutes=2)]
            if begin <= r["submitted_at"] <= begin + dt.timedelta(minutes=2) and len(window) >= 5:
                out.add(r["uuid"])
                break
    return out


def test_report_page_shows_the_figures_and_needs_staff(app, client, data, staff_client) -> None:
    code = data["codes"][0]
    page = staff_client.get(f"/staff/c/{SLUG}/report?code={code.lower()}").get_data(as_text=True)
    want = expected(data, Filters(code=code))["funnel"][code]
    row = re.search(rf'<tr data-code="{code}">.*?</tr>', page, re.S).group(0)
    cells = [int(n) for n in re.findall(r"<td>(\d+)</td>", row)]
    assert cells == list(want)
    assert "<svg" in page and "burst-device" in page
    bad = staff_client.get(f"/staff/c/{SLUG}/report?from=yesterday&channel=pigeon")
    assert bad.status_code == 200 and "is not a date" in bad.get_data(as_text=True)
    assert staff_client.get("/staff/c/nope/report").status_code == 404
    anonymous = app.test_client().get(f"/staff/c/{SLUG}/report")
    assert anonymous.status_code == 302 and "/staff/login" in anonymous.headers["Location"]


def test_csv_export_has_attribution_columns_and_safe_cells(data, staff_client) -> None:
    r = staff_client.get(f"/staff/c/{SLUG}/report.csv?values=1&channel=web")
    assert r.mimetype == "text/csv"
    table = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    for column in ("channel", "device_id", "event_id", "tracking_code", "placement",
                   "placement_kind", "event_name", "seconds_to_complete", "flags"):
        assert column in table[0], column
    web = [x for x in data["responses"] if x["channel"] == "web" and x["consultation_slug"] == SLUG]
    assert len(table) == len(web)
    cutout = data["codes"][1]
    coded = [row for row in table if row["tracking_code"] == cutout]
    assert coded and all(row["placement"] == "'=2+3 Library cutout" for row in coded)
    assert all(row["placement_kind"] == "cutout" for row in coded)
    # "+1" is a number: it keeps its sign (issue 15: numbers stay numbers); formulas are guarded
    assert {row["comments"] for row in table} <= {"'=HYPERLINK(\"http://x\")", "fine", "+1"}
    assert not any(cell[:1] in "=+-@" and not PLAIN_NUMBER.fullmatch(cell)
                   for row in table for cell in row.values() if cell)


def test_json_export_carries_attribution(data, staff_client) -> None:
    r = staff_client.get(f"/staff/c/{SLUG}/report.json?event={data['stall']}")
    records = json.loads(r.data)
    want = [x for x in data["responses"] if x["event_id"] == data["stall"]]
    assert sorted(x["uuid"] for x in records) == sorted(x["uuid"] for x in want)
    assert all(x["attribution"]["event_name"] == "Stall" for x in records)
    burst = [x for x in records if x["uuid"] in data["burst"]]
    assert len(burst) == 6 and all("burst-device" in x["attribution"]["flags"] for x in burst)


def test_total_conversion_counts_only_completions_through_a_code(app, data) -> None:  # type: ignore[no-untyped-def]
    """Direct completions (no code) had no scan: they are shown apart, not divided by QR visitors."""
    _got, report = actual(app, Filters())
    coded = [p for p in report.placements if p.code]
    direct = sum(p.completed for p in report.placements if not p.code)
    assert direct > 0  # the fixture has kiosk and direct responses, so the old share was inflated
    visitors = sum(p.visitors for p in coded)
    assert report.qr_conversion == sum(p.completed for p in coded) / visitors
    assert report.direct_completed == direct
    assert report.qr_conversion < report.total.completed / visitors
    assert 0 < report.qr_conversion <= 1


def test_a_csv_for_excel_starts_with_a_byte_order_mark(data, staff_client) -> None:  # type: ignore[no-untyped-def]
    for path in (f"/staff/c/{SLUG}/report.csv", f"/staff/c/{SLUG}/responses.csv"):
        plain = staff_client.get(path).get_data()
        excel = staff_client.get(path + "?excel=1").get_data()
        assert not plain.startswith(b"\xef\xbb\xbf")
        assert excel.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel then reads the Welsh letters right
        assert excel[3:] == plain
    page = staff_client.get(f"/staff/c/{SLUG}").get_data(as_text=True)
    assert "excel=1" in page
