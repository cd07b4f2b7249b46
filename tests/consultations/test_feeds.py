"""Feeds: RSS and Atom parse with feedparser, calendars with icalendar, in Europe/London time."""

from __future__ import annotations

import datetime as dt
import re
import time
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import pytest

from kiosk.core.timeutil import to_utc
from kiosk.events import store as events

LONDON = ZoneInfo("Europe/London")
TODAY = dt.date.today()
CLOSING = f"""
slug: bins-survey
status: open
opens: {(TODAY - dt.timedelta(days=20)).isoformat()}
closes: {(TODAY + dt.timedelta(days=5)).isoformat()}
title: {{en: Bin collections, cy: Casgliadau biniau}}
summary: {{en: Tell us about bin days., cy: Dywedwch wrthym am ddiwrnodau biniau.}}
questions:
  - {{id: ok, type: single, prompt: "Happy?", options: [{{value: happy, label: "Yes"}}, {{value: sad, label: "No"}}]}}
"""
DRAFT = CLOSING.replace("bins-survey", "secret-plan").replace("status: open", "status: draft")


@pytest.fixture
def two_events(app):  # type: ignore[no-untyped-def]
    """A summer (BST) and a winter (GMT) event, stored as UTC."""
    with app.app_context():
        summer = events.create({
            "name": {"en": "Summer stall", "cy": "Stondin haf"}, "place": "Castle Park, Avonbridge",
            "starts_at": to_utc(dt.datetime(2027, 6, 15, 18, 30)),
            "ends_at": to_utc(dt.datetime(2027, 6, 15, 20, 0)),
            "consultations": ["policing-priorities"]}).id
        winter = events.create({
            "name": "Winter PACT meeting", "place": "Riverside Community Centre",
            "starts_at": to_utc(dt.datetime(2027, 1, 20, 10, 0)), "ends_at": None}).id
    return summer, winter


def parse_feed(client, path: str):  # type: ignore[no-untyped-def]
    r = client.get(path)
    assert r.status_code == 200
    feed = feedparser.parse(r.data)
    assert not feed.bozo, feed.get("bozo_exception")
    return r, feed


def test_rss_and_atom_list_opened_closing_and_results_items(client, import_yaml) -> None:
    import_yaml(CLOSING)
    import_yaml(DRAFT)
    for path, mimetype in (("/feeds/consultations.rss", "application/rss+xml"),
                           ("/feeds/consultations.atom", "application/atom+xml")):
        r, feed = parse_feed(client, path)
        assert r.mimetype == mimetype
        ids = [e.id for e in feed.entries]
        assert len(ids) == len(set(ids))
        by_id = {e.id.rsplit(":", 1)[1]: e for e in feed.entries}
        assert {"consultation/policing-priorities/opened", "consultation/bins-survey/opened",
                "consultation/bins-survey/closing", "consultation/town-centre-safety/opened",
                "consultation/town-centre-safety/results"} <= set(by_id)
        assert not any("secret-plan" in i for i in ids)
        results = by_id["consultation/town-centre-safety/results"]
        assert results.title == "Results published: Feeling safe in Avonbridge town centre at night"
        assert results.link == "http://127.0.0.1:5000/c/town-centre-safety/results"
        assert "better lighting" in results.summary
        # published 2026-09-15 11:00 in London, which is British Summer Time (UTC+1)
        assert results.published_parsed == time.struct_time((2026, 9, 15, 10, 0, 0, 1, 258, 0))
        closing = by_id["consultation/bins-survey/closing"]
        assert closing.title.startswith("Closing soon: Bin collections")
        stamps = [e.published_parsed for e in feed.entries]
        assert stamps == sorted(stamps, reverse=True)
        assert client.get(path).data == r.data  # stable between requests


def test_welsh_feed_has_welsh_titles(client) -> None:
    _r, feed = parse_feed(client, "/feeds/consultations.atom?lang=cy")
    assert feed.feed.language == "cy" or feed.feed.get("language") == "cy"
    titles = " ".join(e.title for e in feed.entries)
    assert "Eich blaenoriaethau ar gyfer plismona" in titles


def test_events_calendar_has_london_times_and_stable_uids(client, two_events) -> None:
    summer, winter = two_events
    r = client.get("/feeds/events.ics")
    assert r.mimetype == "text/calendar"
    cal = icalendar.Calendar.from_ical(r.data)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    found = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert f"{summer}@127.0.0.1" in found and f"{winter}@127.0.0.1" in found
    s = found[f"{summer}@127.0.0.1"]
    start = s.decoded("DTSTART")
    assert start == dt.datetime(2027, 6, 15, 18, 30, tzinfo=LONDON)
    assert start.utcoffset() == dt.timedelta(hours=1)
    assert s["DTSTART"].params["TZID"] == "Europe/London"
    assert s.decoded("DTEND") == dt.datetime(2027, 6, 15, 20, 0, tzinfo=LONDON)
    assert str(s["LOCATION"]) == "Castle Park, Avonbridge"
    assert "http://127.0.0.1:5000/c/policing-priorities" in str(s["DESCRIPTION"])
    w = found[f"{winter}@127.0.0.1"]
    assert w.decoded("DTSTART").utcoffset() == dt.timedelta(0)
    assert w.decoded("DTSTART").astimezone(dt.UTC) == dt.datetime(2027, 1, 20, 10, 0, tzinfo=dt.UTC)
    # the demo's upcoming street stall and PACT meeting are there too
    names = {str(e["SUMMARY"]) for e in cal.walk("VEVENT")}
    assert {"Street stall at Avonbridge market", "Riverside PACT meeting"} <= names


def test_one_events_ics_imports_with_place_and_time(client, two_events) -> None:
    summer, _winter = two_events
    r = client.get(f"/events/{summer}.ics?lang=cy")
    assert r.mimetype == "text/calendar"
    assert "attachment" in r.headers["Content-Disposition"]
    [event] = icalendar.Calendar.from_ical(r.data).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Stondin haf"
    assert str(event["LOCATION"]) == "Castle Park, Avonbridge"
    assert event.decoded("DTSTART") == dt.datetime(2027, 6, 15, 18, 30, tzinfo=LONDON)
    assert str(event["UID"]) == f"{summer}@127.0.0.1"
    assert client.get("/events/no-such-event.ics").status_code == 404


def test_every_public_page_advertises_the_feeds(client) -> None:
    pages = ["/", "/events", "/c/policing-priorities", "/c/town-centre-safety",
             "/c/town-centre-safety/results", "/q/ZZZZZZ", "/?lang=cy"]
    wanted = {"application/rss+xml", "application/atom+xml", "text/calendar"}
    for page in pages:
        html = client.get(page).get_data(as_text=True)
        links = re.findall(r'<link rel="alternate" type="([^"]+)" title="[^"]+" href="([^"]+)">', html)
        assert {t for t, _h in links} == wanted, page
        for mimetype, href in links:
            r = client.get(href.replace("&amp;", "&"))
            assert (r.status_code, r.mimetype) == (200, mimetype), href
