"""Residents opt in after answering, on a phone or a kiosk: unticked box, name, one contact."""

from __future__ import annotations

import re

from sqlalchemy import select

from kiosk.core.db import db
from kiosk.draws import inbox as draw_inbox
from kiosk.draws.models import Entry
from kiosk.responses.models import Response
from tests.draws.conftest import answer_on_kiosk, answer_on_phone, enter


def entries(app) -> list[Entry]:  # type: ignore[no-untyped-def]
    with app.app_context():
        if app.config["ROLE"] == "hub":
            draw_inbox.flush()  # web entries wait in the hub's inbox for a shuffled batch
        return list(db.session.execute(select(Entry)).scalars())


def test_phone_thank_you_offers_an_unticked_opt_in_carrying_only_the_draw_id(
        app, client, make_draw) -> None:
    draw_id = make_draw()
    html = answer_on_phone(client)
    with app.app_context():
        [response] = db.session.execute(select(Response)).scalars()
    assert "Prize draw: A £50 voucher" in html
    box = re.search(r'<input type="checkbox" name="opt_in"[^>]*>', html).group(0)
    assert "checked" not in box
    assert response.uuid not in html
    form = re.search(r'<form method="post" class="draw-entry".*?</form>', html, re.S).group(0)
    assert f'action="/draw/{draw_id}"' in form
    names = set(re.findall(r'name="([^"]+)"', form))
    assert names == {"csrf_token", "opt_in", "name", "contact"}


def test_entry_without_the_tick_or_with_a_bad_contact_is_refused_with_messages(
        app, client, make_draw) -> None:
    draw_id = make_draw()
    answer_on_phone(client)
    r = enter(client, draw_id, "Ann", "ann@example.org", opt_in=False)
    assert r.status_code == 422 and "Tick the box" in r.get_data(as_text=True)
    r = enter(client, draw_id, "Ann", "not an address")
    assert r.status_code == 422 and "Enter an email address" in r.get_data(as_text=True)
    r = enter(client, draw_id, "", "ann@example.org")
    assert r.status_code == 422 and "Enter your name" in r.get_data(as_text=True)
    assert entries(app) == []
    r = enter(client, draw_id, "Ann", "ann@example.org")
    assert r.status_code == 200 and "You are in the draw" in r.get_data(as_text=True)
    [entry] = entries(app)
    assert entry.source == "web" and entry.sealed and len(entry.contact_hash) == 64


def test_the_entry_form_is_only_open_to_someone_just_thanked(app, client, make_draw) -> None:
    draw_id = make_draw()
    assert client.get(f"/draw/{draw_id}").status_code == 303
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get("/staff/login").get_data(as_text=True)).group(1)
    r = client.post(f"/draw/{draw_id}", data={"csrf_token": token, "opt_in": "yes",
                                              "name": "Bot", "contact": "bot@example.org"})
    assert r.status_code == 403
    assert entries(app) == []


def test_kiosk_entry_page_turns_autocomplete_off_and_queues_a_sealed_entry(
        app, make_draw, kiosk_for) -> None:
    make_draw()
    kiosk = kiosk_for(app)
    client = kiosk.test_client()
    html = answer_on_kiosk(client)
    link = re.search(r'href="(/kiosk/draw/[^"]+)"', html).group(1)
    page = client.get(link).get_data(as_text=True)
    assert re.search(r'<form[^>]*class="draw-entry"[^>]*autocomplete="off"', page)
    assert 'name="name" type="text" maxlength="100" value="" autocomplete="off"' in page
    assert "checked" not in re.search(r'<input type="checkbox"[^>]*>', page).group(0)
    r = enter(client, link.rsplit("/", 1)[1], "Bryn Jones", "07700 900123", kiosk=True)
    assert r.status_code == 200 and "You are in the draw" in r.get_data(as_text=True)
    [entry] = entries(kiosk)
    assert entry.source == "kiosk" and entry.sync_state == "queued"
    assert entry.contact_hash is None  # a kiosk keeps nothing a guessed contact could be tested on
    assert b"Bryn" not in entry.sealed and b"900123" not in entry.sealed


def test_a_closed_draw_is_not_offered_and_takes_no_entries(app, client, make_draw) -> None:
    from tests.draws.conftest import close

    draw_id = make_draw()
    html = answer_on_phone(client)
    close(app, draw_id)
    assert "Prize draw" in html
    assert enter(client, draw_id, "Ann", "ann@example.org").status_code == 410
    assert "Prize draw" not in answer_on_phone(client)
