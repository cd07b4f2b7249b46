"""Acceptance 1: a kiosk cannot read its own entries; on the hub only the officer role can."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import select

from kiosk.core.db import db
from kiosk.draws import sealing
from kiosk.draws.models import Entry
from sync import entries as entry_sync
from sync import keys
from tests.draws.conftest import answer_on_kiosk, answer_on_phone, enter


def test_sealed_box_round_trip_and_every_tamper_fails() -> None:
    private, public = sealing.generate_keypair()
    blob = sealing.seal(public, b"ann@example.org", b"draw-1")
    assert sealing.is_blob(blob) and b"ann" not in blob
    assert sealing.unseal(private, blob, b"draw-1") == b"ann@example.org"
    assert sealing.seal(public, b"x", b"d") != sealing.seal(public, b"x", b"d")  # fresh each time
    other, _ = sealing.generate_keypair()
    flipped = blob[:-1] + bytes([blob[-1] ^ 1])
    for key, candidate, aad in ((other, blob, b"draw-1"), (private, blob, b"draw-2"),
                                (private, flipped, b"draw-1"), (private, blob[:-5], b"draw-1")):
        with pytest.raises(sealing.SealError):
            sealing.unseal(key, candidate, aad)


def test_a_kiosk_entry_cannot_be_opened_on_the_kiosk(app, make_draw, kiosk_for) -> None:
    draw_id = make_draw()
    kiosk = kiosk_for(app)
    client = kiosk.test_client()
    answer_on_kiosk(client)
    assert enter(client, draw_id, "Cerys Ap", "cerys@example.org", kiosk=True).status_code == 200
    with kiosk.app_context():
        [entry] = db.session.execute(select(Entry)).scalars()
        blob = entry.sealed
        with pytest.raises(RuntimeError):
            keys.hub_private_key(kiosk)
        item = entry_sync.pending()[0]
    # no private key anywhere in the kiosk's instance folder, and nothing there opens the blob
    folder = Path(kiosk.instance_path)
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert files and not any(b"PRIVATE KEY" in p.read_bytes() for p in files)
    assert not any(b"cerys@example.org" in p.read_bytes() for p in files)
    for candidate in [X25519PrivateKey.generate()] + [
            X25519PrivateKey.from_private_bytes(bytes.fromhex(p.read_text().strip())[:32])
            for p in files if p.suffix == "" and len(p.read_bytes().strip()) == 64]:
        with pytest.raises(sealing.SealError):
            sealing.unseal(candidate, blob, draw_id.encode())
    # the hub opens it, once it has arrived there
    with app.app_context():
        receipt = entry_sync.ingest([item])
        assert receipt["counts"]["accepted"] == 1
        [stored] = db.session.execute(select(Entry)).scalars()
        opened = json.loads(sealing.unseal(keys.hub_private_key(app), stored.sealed,
                                           draw_id.encode()))
    assert opened == {"name": "Cerys Ap", "kind": "email", "contact": "cerys@example.org"}


def test_contacts_are_shown_to_the_officer_role_only(app, client, make_draw, signed_in) -> None:
    draw_id = make_draw()
    answer_on_phone(client)
    enter(client, draw_id, "Dafydd", "dafydd@example.org")
    paths = [f"/staff/draws/{draw_id}/entries", "/staff/draws/rights"]
    for path in paths:
        assert app.test_client().get(path).status_code == 403  # anonymous: 403, no redirect
        assert signed_in("staff").get(path).status_code == 403
        assert signed_in("admin").get(path).status_code == 403
    officer = signed_in("officer")
    page = officer.get(paths[0]).get_data(as_text=True)
    assert "dafydd@example.org" in page and "Dafydd" in page
    # admins define and see draws, without contacts
    admin_page = signed_in("admin").get(f"/staff/draws/{draw_id}").get_data(as_text=True)
    assert "dafydd" not in admin_page
    assert signed_in("staff").get("/staff/draws/").status_code == 403
    csrf = __import__("tests.conftest", fromlist=["csrf_token"]).csrf_token
    staff = signed_in("staff")
    token = csrf(staff, "/staff/login")
    for path in (f"/staff/draws/{draw_id}/run", f"/staff/draws/{draw_id}/export"):
        assert staff.post(path, data={"csrf_token": token, "seed": "x"}).status_code == 403
