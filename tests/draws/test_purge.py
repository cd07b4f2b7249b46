"""Acceptance 5: after the draw and the purge, only winners (in their claim period) remain."""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.core.db import db
from kiosk.core.timeutil import utcnow
from kiosk.draws import algorithm as draw_algorithm
from kiosk.draws import contacts, sealing
from kiosk.draws import store as draws
from kiosk.draws.models import Draw, Entry
from sync import entries as entry_sync
from sync import keys
from tests.conftest import csrf_token
from tests.draws.conftest import answer_on_kiosk, answer_on_phone, close, enter, pull_into

MAGIC = re.compile(re.escape(sealing.MAGIC))


def recoverable(paths: list[Path], private_key, draw_id: str, emails: list[str],
                secret: bytes) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    """Every seeded email findable in these files: in the clear, by its hash (even to someone
    holding the hub's secret key), or in a sealed box that the hub's key opens (found by
    scanning the raw bytes, free pages and WAL included)."""
    found: dict[str, set[str]] = {"plain": set(), "hash": set(), "sealed": set()}
    hashes = {contacts.dedupe_hash(secret, draw_id, "email", e): e for e in emails}
    for path in paths:
        data = path.read_bytes()
        text = data.decode("latin-1").lower()
        found["plain"] |= {e for e in emails if e in text}
        found["hash"] |= {e for h, e in hashes.items() if h in text}
        WHERE.update({e: f"{path.name}@{text.find(h)} (hash)" for h, e in hashes.items() if h in text})
        for m in MAGIC.finditer(data):
            start = m.start()
            size = int.from_bytes(data[start + 4:start + 6], "big")
            try:
                opened = sealing.unseal(private_key, data[start:start + 6 + size], draw_id.encode())
            except sealing.SealError:
                continue
            found["sealed"] |= {e for e in emails if e.encode() in opened}
            WHERE.update({e: f"{path.name}@{start}" for e in emails if e.encode() in opened})
    return found


WHERE: dict[str, str] = {}  # where each sealed contact was last found, for failure messages


def files(folder: str) -> list[Path]:
    return [p for p in Path(folder).rglob("*") if p.is_file()]


@pytest.mark.slow
def test_after_draw_and_purge_only_winners_remain_then_nothing(
        app, make_draw, kiosk_for, signed_in, tmp_path) -> None:
    log_file = tmp_path / "voxbox.log"
    handler = logging.FileHandler(log_file)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        _run(app, make_draw, kiosk_for, signed_in, tmp_path, log_file)
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()


def _run(app, make_draw, kiosk_for, signed_in, tmp_path, log_file) -> None:  # type: ignore[no-untyped-def]
    draw_id = make_draw(winners=3, reserves=2, claim_days=28)
    emails = [f"resident{i:04d}@example.org" for i in range(1000)]
    kiosk = kiosk_for(app)
    # 50 on a kiosk (5 through its pages), pushed to the hub with receipts
    with kiosk.app_context():
        key = keys.hub_public_key(kiosk)
        kdraw = draws.get(draw_id)
        for e in emails[5:50]:
            draws.enter(kdraw, "Kiosk Resident", e, key, "kiosk", sync_state="queued")
    for e in emails[:5]:
        client = kiosk.test_client()
        answer_on_kiosk(client)
        assert enter(client, draw_id, "Kiosk Resident", e, kiosk=True).status_code == 200
    with kiosk.app_context():
        items = entry_sync.pending()
    with app.app_context():
        receipt = entry_sync.ingest(items)
    assert receipt["counts"]["accepted"] == 50
    with kiosk.app_context():
        entry_sync.apply_receipt(receipt["items"])
    # 950 on the web (10 through the pages)
    for e in emails[50:60]:
        client = app.test_client()
        answer_on_phone(client)
        assert enter(client, draw_id, "Web Resident", e).status_code == 200
    with app.app_context():
        hub_key = keys.hub_public_key(app)
        draw = draws.get(draw_id)
        salt = keys.dedupe_key(app)  # the secret: what an attacker holding the hub would have
        for e in emails[60:]:
            draws.enter(draw, "Web Resident", e, hub_key, "web", secret=salt, batch=100)
        assert draws.count_entries(draw) == 1000
    close(app, draw_id)

    officer = signed_in("officer")
    token = csrf_token(officer, f"/staff/draws/{draw_id}")
    assert officer.post(f"/staff/draws/{draw_id}/run",
                        data={"csrf_token": token, "seed": "lottery 2026-12-05"}).status_code == 303
    export = tmp_path / "winners.csv"
    export.write_bytes(officer.post(f"/staff/draws/{draw_id}/export",
                                    data={"csrf_token": token}).get_data())
    responses_csv = tmp_path / "responses.csv"
    responses_csv.write_bytes(officer.get("/staff/c/policing-priorities/responses.csv").get_data())
    pull_into(app, kiosk)  # the kiosk's next pull learns the draw is closed
    for target in (app, kiosk):
        result = target.test_cli_runner().invoke(args=["purge"])
        assert result.exit_code == 0, result.output

    with app.app_context():
        private = keys.hub_private_key(app)
        picked = {e.id for e in db.session.execute(
            select(Entry).where(Entry.outcome.in_(("winner", "reserve")))).scalars()}
        winners = {draws.open_contact(private, e)["contact"] for e in db.session.execute(
            select(Entry).where(Entry.id.in_(picked))).scalars()}
    assert len(winners) == 5
    stored = files(app.instance_path) + files(kiosk.instance_path)
    assert any(p.name == "voxbox.db-wal" for p in stored)  # scanned, though truncated to 0
    found = recoverable(stored + [log_file], private, draw_id, emails, salt)
    assert found["plain"] == set()
    assert found["hash"] == winners, {e: WHERE[e] for e in found["hash"] - winners}
    assert found["sealed"] == winners, {e: WHERE[e] for e in found["sealed"] - winners}
    exported = recoverable([export, responses_csv], private, draw_id, emails, salt)
    assert exported["plain"] == winners and not exported["sealed"] and not exported["hash"]
    assert not re.search(r"resident\d{4}@", log_file.read_text())  # no contact in the log
    assert "purge" in log_file.read_text() or "contact details deleted" in log_file.read_text()

    # the claim period ends: the next purge (as at any hub start-up) leaves nothing at all
    with app.app_context():
        db.session.get(Draw, draw_id).claim_until = utcnow() - dt.timedelta(seconds=1)
        db.session.commit()
    assert app.test_cli_runner().invoke(args=["purge"]).exit_code == 0
    found = recoverable(files(app.instance_path) + files(kiosk.instance_path) + [log_file],
                        private, draw_id, emails, salt)
    assert found == {"plain": set(), "hash": set(), "sealed": set()}, {
        e: WHERE[e] for e in found["hash"] | found["sealed"]}
    # what is left proves the draw without naming anyone
    with app.app_context():
        rows = db.session.execute(select(Entry).filter_by(draw_id=draw_id)).scalars().all()
        assert len(rows) == 1000 and all(e.sealed is None and e.contact_hash is None for e in rows)
        doc = app.test_client().get(f"/draw/{draw_id}/verification.json").get_json()
        assert draw_algorithm.verify(doc) == []
    with kiosk.app_context():
        assert db.session.execute(select(Entry)).scalars().all() == []  # kiosk: all gone


def test_undrawn_draws_are_emptied_after_the_grace_period(app, make_draw) -> None:
    from kiosk.draws import retention

    draw_id = make_draw()
    with app.app_context():
        draws.enter(draws.get(draw_id), "Eve", "eve@example.org", keys.hub_public_key(app), "web",
                    secret=keys.dedupe_key(app), batch=5)  # stays in the inbox: purged there
        later = utcnow() + dt.timedelta(days=7 + app.config["UNDRAWN_DRAW_DAYS"] + 1)
        assert retention.purge(app, now=utcnow())["entries in draws never made"] == 0
        assert retention.purge(app, now=later)["entries in draws never made"] == 1
        assert draws.count_entries(draws.get(draw_id)) == 0


def test_secure_delete_is_on_for_every_sqlite_connection(app) -> None:
    with app.app_context():
        conn = db.engine.raw_connection()
        try:
            assert conn.cursor().execute("PRAGMA secure_delete").fetchone()[0] == 1
        finally:
            conn.close()
