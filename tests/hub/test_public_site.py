"""The public site: open, upcoming and closed consultations, results, events, starts counted."""

from __future__ import annotations

import datetime as dt

from kiosk.events import store as events
from kiosk.outreach.models import Scan
from tests.hub.test_scans import scan_rows

TODAY = dt.date.today()
UPCOMING = f"""
slug: library-hours
status: open
opens: {(TODAY + dt.timedelta(days=10)).isoformat()}
title: {{en: Library opening hours, cy: Oriau agor y llyfrgell}}
questions:
  - {{id: hours, type: text, prompt: "When?"}}
"""
UNPUBLISHED = """
slug: old-survey
status: closed
title: Old survey
results: {summary: Coming soon, published: 2099-01-01}
questions:
  - {id: x, type: text, prompt: "Say?"}
"""


def test_home_lists_open_upcoming_and_closed_consultations_and_events(client, import_yaml) -> None:
    import_yaml(UPCOMING)
    import_yaml(UNPUBLISHED)
    html = client.get("/").get_data(as_text=True)
    open_at = html.index("Open consultations")
    assert html.index("Your priorities for policing") > open_at
    assert "Coming soon" in html and "Library opening hours" in html
    assert 'href="/c/library-hours"' not in html  # not open yet: nothing to link to
    assert 'href="/c/town-centre-safety/results"' in html
    assert "Results will be published here." in html  # old-survey: not yet published
    assert "Street stall at Avonbridge market" in html and "Riverside PACT meeting" in html
    welsh = client.get("/?lang=cy").get_data(as_text=True)
    assert "Oriau agor y llyfrgell" in welsh and "Cyfarfod PACT Glan yr Afon" in welsh


def test_results_page_shows_summary_and_headline_figures(client) -> None:
    html = client.get("/c/town-centre-safety/results").get_data(as_text=True)
    assert "We asked" in html and "You said" in html and "We did" in html
    assert "brighter street lights on Bridge Street" in html
    assert "<strong>0</strong> responses" in html
    assert client.get("/c/town-centre-safety").status_code == 410
    closed = client.get("/c/town-centre-safety").get_data(as_text=True)
    assert 'href="/c/town-centre-safety/results"' in closed


def test_results_only_for_closed_consultations_with_published_results(client, import_yaml) -> None:
    import_yaml(UNPUBLISHED)
    assert client.get("/c/old-survey/results").status_code == 404
    assert client.get("/c/policing-priorities/results").status_code == 404
    assert client.get("/c/nothing-here/results").status_code == 404


def test_consultation_page_lists_events_where_it_can_be_answered_in_person(client) -> None:
    html = client.get("/c/policing-priorities").get_data(as_text=True)
    assert 'href="#questions"' in html and "Answer in person" in html
    assert "Riverside Community Centre, Mill Lane, Avonbridge" in html
    assert "Castle Park" not in html  # the summer fair was for another consultation, and is past


def test_events_page_shows_place_time_and_linked_consultations(app, client) -> None:
    with app.app_context():
        e = events.create({"name": {"en": "Winter stall", "cy": "Stondin gaeaf"},
                           "place": "Bus station", "consultations": ["policing-priorities"],
                           "starts_at": events.to_utc(dt.datetime(2030, 1, 14, 9, 30)),
                           "ends_at": events.to_utc(dt.datetime(2030, 1, 14, 12, 0))}).id
    html = client.get("/events").get_data(as_text=True)
    assert "Winter stall" in html and "Bus station" in html
    assert "Monday 14 January 2030, 09:30" in html and "12:00" in html
    assert f'href="/events/{e}.ics"' in html
    cy = client.get("/events?lang=cy").get_data(as_text=True)
    assert "Stondin gaeaf" in cy and "Dydd Llun 14 Ionawr 2030" in cy


def test_opening_a_consultation_counts_one_start_per_browser(app, resident) -> None:
    for _ in range(3):
        resident.get("/c/policing-priorities")
    app.test_client().get("/c/policing-priorities")
    starts = scan_rows(app, stage="start")
    assert [(s.code, s.consultation_slug) for s in starts] == [(None, "policing-priorities")] * 2
    assert all(isinstance(s, Scan) and s.first for s in starts)
