"""Acceptance 3: one entry per person per draw across kiosks and the web, however it is typed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kiosk.core.db import db
from kiosk.draws import contacts
from kiosk.draws import inbox as draw_inbox
from kiosk.draws.models import Entry
from sync import entries as entry_sync
from tests.draws.conftest import answer_on_kiosk, answer_on_phone, enter


@pytest.mark.parametrize(("a", "b"), [
    ("Ann@Example.ORG", "  ann@example.org "),
    ("07700 900123", "+44 7700 900123"),
    ("+44 (0)7700-900-123", "0044 7700900123"),
    ("07700-900-123", "+447700900123"),
])
def test_forms_of_one_contact_normalise_to_one(a: str, b: str) -> None:
    assert contacts.normalise(a) == contacts.normalise(b)


def test_phone_forms_become_e164() -> None:
    assert contacts.normalise_phone("07700 900123") == "+447700900123"
    assert contacts.normalise_phone("(029) 2087 2087") == "+442920872087"
    assert contacts.normalise_phone("+353 1 234 5678") == "+35312345678"
    for bad in ("12345", "0770090012345", "phone me", "+44 12"):
        with pytest.raises(ValueError):
            contacts.normalise_phone(bad)


def test_duplicates_collapse_across_two_kiosks_and_the_web(app, make_draw, kiosk_for) -> None:
    draw_id = make_draw()
    kiosks = [kiosk_for(app), kiosk_for(app)]
    people = [  # (kiosk 1, kiosk 2, web): three spellings of each person
        ("Ann@Example.org", " ann@example.org", "ANN@EXAMPLE.ORG "),
        ("07700 900123", "+44 7700 900123", "0044-7700-900123"),
        ("bryn@example.org", "07700 900456", "Bryn@example.org"),
    ]
    for i, kiosk in enumerate(kiosks):
        for person in people:
            client = kiosk.test_client()
            answer_on_kiosk(client)
            assert enter(client, draw_id, "Someone", person[i], kiosk=True).status_code == 200
        client = kiosk.test_client()  # the same person twice on one kiosk: kept once by the hub
        answer_on_kiosk(client)
        enter(client, draw_id, "Again", people[0][i].upper(), kiosk=True)
    for person in people:
        client = app.test_client()
        answer_on_phone(client)
        assert enter(client, draw_id, "Someone", person[2]).status_code == 200
    receipts = []
    for kiosk in kiosks:
        with kiosk.app_context():
            assert len(entry_sync.pending()) == 4  # a kiosk cannot tell people apart: sealed only
            items = entry_sync.pending()
        with app.app_context():
            receipt = entry_sync.ingest(items)
        with kiosk.app_context():
            entry_sync.apply_receipt(receipt["items"])
            assert entry_sync.pending() == []
            left = db.session.execute(select(Entry)).scalars().all()
            assert all(e.sealed is None and e.sync_state == "synced" for e in left)
        receipts.append(receipt["counts"])
    with app.app_context():
        draw_inbox.flush()
        n = db.session.execute(select(func.count()).select_from(Entry)).scalar_one()
    # ann, the phone number, bryn's email and bryn's phone (a different contact: a different entry)
    assert n == 4
    assert receipts[0] == {"accepted": 0, "duplicate": 4, "conflict": 0, "rejected": 0}
    assert receipts[1] == {"accepted": 1, "duplicate": 3, "conflict": 0, "rejected": 0}
