"""Issue 11, acceptance 1 and 2: contacts cannot be brute-forced from anything a kiosk, a bundle or
the hub's database holds, entries are in no order that follows the responses, and one response
gives at most one entry however its cookie is replayed."""

from __future__ import annotations

import gzip
import hashlib
import hmac
import logging
import math
import random
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.core.db import db
from kiosk.core.stored_settings import set_setting
from kiosk.devices import store as devices
from kiosk.draws import inbox as draw_inbox
from kiosk.draws.models import Entry
from sync import bundle, client, keys
from tests.draws.conftest import answer_on_kiosk, answer_on_phone, enter

N = 200
HEX64 = re.compile(rb"[0-9a-f]{64}")


def spearman(xs: list[float]) -> float:
    """Rank correlation of a sequence with its own index (no ties in what we rank)."""
    n = len(xs)
    ranks = {v: r for r, v in enumerate(sorted(xs))}
    d2 = sum((i - ranks[v]) ** 2 for i, v in enumerate(xs))
    return 1 - 6 * d2 / (n * (n * n - 1))


def bound(n: int) -> float:
    """|rho| above this has probability < 1e-4 for unrelated orders (rho ~ N(0, 1/(n-1)))."""
    return 3.9 / math.sqrt(n - 1)


def derived(contact: str, kind: str, public: list[bytes]) -> list[bytes]:
    """Everything computable from a contact and public data with the usual constructions."""
    msgs = [contact.encode(), f"{kind}:{contact}".encode()]
    msgs += [p + b"|" + m for p in public for m in msgs[:2]]
    out = []
    for m in msgs:
        out += [hashlib.sha256(m).digest(), hashlib.sha1(m).digest(), hashlib.md5(m).digest()]
        out += [hmac.new(k, m, hashlib.sha256).digest() for k in public]
    return out


def exposed(blobs: list[bytes], candidates: list[tuple[str, str]], public: list[bytes],
            raw_for: set[str]) -> set[str]:
    """Candidates whose plain text or any derived value (hex anywhere, raw bytes for raw_for)
    appears in the blobs."""
    hexes = set()
    for b in blobs:
        hexes.update(HEX64.findall(b))
        hexes.update(h[:40] for h in re.findall(rb"[0-9a-f]{40}", b))
        hexes.update(h[:32] for h in re.findall(rb"[0-9a-f]{32}", b))
    found = set()
    for kind, contact in candidates:
        for d in derived(contact, kind, public):
            if d.hex().encode() in hexes or (contact in raw_for and any(d in b for b in blobs)):
                found.add(contact)
        if contact in raw_for and any(contact.encode() in b or contact[3:].encode() in b
                                      for b in blobs):
            found.add(contact)
    return found


@pytest.mark.slow
def test_no_contact_is_recoverable_and_entries_are_in_no_order(
        app, make_draw, kiosk_for, tmp_path) -> None:
    log_file = tmp_path / "voxbox.log"
    handler = logging.FileHandler(log_file)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        _run(app, make_draw, kiosk_for, tmp_path, log_file)
    finally:
        root.removeHandler(handler)
        handler.close()


def _run(app, make_draw, kiosk_for, tmp_path, log_file) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(11)
    draw_id = make_draw()
    kiosk = kiosk_for(app)
    people = []
    for i in range(N):
        if i % 2:
            people.append(("email", f"{rng.choice(['jo', 'sam', 'al'])}.{i}@example.org"))
        else:
            people.append(("phone", "+447" + "".join(rng.choice("0123456789") for _ in range(9))))
    order: list[str] = []  # the entry id made after the i-th response
    for kind, contact in people:
        shown = "0" + contact[3:6] + " " + contact[6:] if kind == "phone" else contact.upper()
        c = kiosk.test_client()
        answer_on_kiosk(c)
        with kiosk.app_context():
            before = set(db.session.execute(select(Entry.id)).scalars())
        assert enter(c, draw_id, "A Resident", shown, kiosk=True).status_code == 200
        with kiosk.app_context():
            [new] = set(db.session.execute(select(Entry.id)).scalars()) - before
            assert db.session.get(Entry, new).contact_hash is None
        order.append(new)
    # enroll the kiosk and carry its queue to the hub on a "USB stick"
    with app.app_context():
        device, code = devices.create("Stall tablet", 3600)
        device_id = device.id
        _dev, token = devices.enroll(code)
    with kiosk.app_context():
        for key, value in ((client.HUB_URL, "https://hub.example"), (client.TOKEN, token),
                           (client.DEVICE_ID, device_id), (client.DEVICE_NAME, "Stall tablet")):
            set_setting(key, value)
    kiosk_db = Path(kiosk.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    kiosk_files = {p.name: p.read_bytes() for p in Path(kiosk.instance_path).rglob("*")
                   if p.is_file()}
    stick = tmp_path / "kiosk.vxb"
    with kiosk.app_context():
        assert bundle.export(kiosk, stick)["entries"] == N
    with app.app_context():
        receipt = bundle.import_bundle(stick.read_bytes())
        assert sorted(line["status"] for line in receipt["entries"]) == ["accepted"] * N
        draw_inbox.flush()
        assert db.session.execute(select(func.count()).select_from(Entry)).scalar_one() == N
    secrets_ = {keys.KEY_FILE, "draw_dedupe.key"}
    hub_files = {p.name: p.read_bytes() for p in Path(app.instance_path).rglob("*")
                 if p.is_file() and p.name not in secrets_}
    stick_raw = stick.read_bytes()
    blobs = [*kiosk_files.values(), stick_raw, gzip.decompress(stick_raw),
             log_file.read_bytes(), *hub_files.values()]
    assert any(n.endswith("-wal") for n in kiosk_files)

    # 1. nothing stored can be tested against a guessed contact without the hub's secrets:
    #    every real contact, and a sample of the +447 mobile space, against every value derived
    #    with public data (the draw id, the device id, the hub's public key)
    with app.app_context():
        public = [draw_id.encode(), device_id.encode(),
                  keys.encode_public(keys.hub_public_key(app)).encode()]
    sample = [("phone", "+447" + f"{rng.randrange(10 ** 9):09d}") for _ in range(5000)]
    real = {c for _k, c in people}
    assert exposed(blobs, people + sample, public, raw_for=real) == set()
    # ... and the scan does find a contact hashed the old way (under a value anyone can read)
    kind, victim = people[0]
    planted = blobs[0] + b" " + hmac.new(draw_id.encode(), f"{kind}:{victim}".encode(),
                                  hashlib.sha256).hexdigest().encode()
    assert exposed([planted], people[:3], public, raw_for=real) == {victim}

    # 2. the order entries are kept in says nothing about which response they followed
    wal = kiosk_files.get(kiosk_db.name + "-wal", b"")
    assert not any(e.encode() in wal for e in order)  # the WAL was truncated after each entry
    stores = {"kiosk database": kiosk_files[kiosk_db.name],
              "bundle": gzip.decompress(stick_raw),
              "hub database": hub_files["voxbox.db"]}
    for name, data in stores.items():
        offsets = [data.find(e.encode()) for e in order]
        assert min(offsets) >= 0, name
        rho = spearman(offsets)
        assert abs(rho) < bound(N), f"{name}: entries follow responses (rho={rho:.3f})"
    # the bound does catch an order that follows the responses
    assert spearman([i + rng.random() * 20 for i in range(N)]) > bound(N)


def test_a_replayed_thank_you_cookie_enters_once(app, make_draw, kiosk_for) -> None:
    draw_id = make_draw()
    phone = app.test_client()
    answer_on_phone(phone)
    saved = phone.get_cookie("session").value
    assert enter(phone, draw_id, "Ann", "ann@example.org").status_code == 200
    for n in range(3):  # the cookie from before the entry, replayed with other contacts
        phone.set_cookie("session", saved)
        assert enter(phone, draw_id, "Ann", f"ann{n}@example.org").status_code == 403
    kiosk = kiosk_for(app)
    tablet = kiosk.test_client()
    answer_on_kiosk(tablet)
    saved = tablet.get_cookie("session").value
    assert enter(tablet, draw_id, "Bo", "07700 900001", kiosk=True).status_code == 200
    tablet.set_cookie("session", saved)
    assert enter(tablet, draw_id, "Bo", "07700 900002", kiosk=True).status_code == 403
    with app.app_context():
        draw_inbox.flush()
        assert db.session.execute(select(func.count()).select_from(Entry)).scalar_one() == 1
    with kiosk.app_context():
        assert db.session.execute(select(func.count()).select_from(Entry)).scalar_one() == 1
