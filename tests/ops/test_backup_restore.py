"""``voxbox backup`` while the hub takes a kiosk's push, then the README's restore procedure into a
fresh instance folder: the restored hub serves every response the backup holds, unchanged, and its
keys still open the sealed prize-draw entries (issue 16, acceptance 7)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import stat
import time
from pathlib import Path

import requests

from kiosk.core.db import db
from kiosk.core.timeutil import utcnow
from kiosk.draws import contacts
from kiosk.draws import store as draws
from kiosk.ops import backups
from sync import keys
from tests.sync.conftest import deadline
from tests.sync.deploy import CSRF, Deployment

#: Responses pushed while the backup runs (in batches of 25, so the hub commits all along).
MORE = 4000
ADMIN, PASSWORD = "admin@example.org", "restore-drill-password"


def restore(backup: Path, instance: Path) -> None:
    """README "Restore": copy the backup's files (not the manifest) into an empty instance folder,
    owner-only, then `voxbox db upgrade`."""
    instance.mkdir(parents=True)
    instance.chmod(0o700)
    for item in backup.iterdir():
        if item.name != backups.MANIFEST:
            shutil.copy2(item, instance / item.name)
            (instance / item.name).chmod(0o600)


def served_uuids(d: Deployment) -> set[str]:
    """Every response UUID in the hub's CSV exports, read over HTTP by a signed-in admin."""
    d.hub_cli("users", "create", ADMIN, "--role", "admin", "--password", PASSWORD)
    http = requests.Session()
    token = CSRF.search(http.get(f"{d.hub_url}/staff/login", timeout=deadline(10)).text)
    assert token
    r = http.post(f"{d.hub_url}/staff/login", data={
        "csrf_token": token.group(1), "email": ADMIN, "password": PASSWORD},
        allow_redirects=False, timeout=deadline(10))
    assert r.status_code == 303, r.text[:500]
    found: set[str] = set()
    for (slug,) in d.rows("hub", "SELECT DISTINCT consultation_slug FROM responses"):
        r = http.get(f"{d.hub_url}/staff/c/{slug}/responses.csv", timeout=deadline(60))
        assert r.status_code == 200, r.text[:500]
        found |= {row[0] for row in list(csv.reader(io.StringIO(r.text)))[1:]}
    return found


def test_a_backup_taken_during_a_push_restores_every_response_and_the_draw_keys(tmp_path) -> None:
    d = Deployment(tmp_path / "live", None, {"SYNC_BATCH_SIZE": 25})  # many small commits
    restored = Deployment(tmp_path / "restored", None)
    try:
        d.set_up_hub()
        d.start_hub()
        draw_id = d.make_draw()
        d.enroll()
        d.kiosk_cli("sync", "pull")
        d.queue_entries(draw_id, 5)
        d.kiosk_cli("demo", "--responses", "300", "--seed", "1")
        d.kiosk_cli("sync")  # the first 300 responses and the five sealed entries reach the hub
        first = d.hub_hashes()
        assert len(first) == 300 and len(d.entry_hashes("hub")) == 5

        d.kiosk_cli("demo", "--responses", str(MORE), "--seed", "2")
        push = d.kiosk_proc("sync", "push").start()  # the hub keeps writing while it is backed up
        ends = time.monotonic() + deadline(60)
        while d.scalar("hub", "SELECT count(*) FROM responses") == 300:
            assert time.monotonic() < ends and push.proc.poll() is None, "the push did not start"
            time.sleep(0.05)
        made = d.hub_cli("backup", str(tmp_path / "backups"))
        assert push.proc.poll() is None, "the push ended before the backup did: raise MORE"
        push.proc.wait(deadline(300))
        assert push.proc.returncode == 0, (tmp_path / "live" / "kiosk-cli.log").read_text()[-3000:]
        final = d.hub_hashes()
        assert len(final) == 300 + MORE

        (folder,) = (tmp_path / "backups").iterdir()
        assert f"backup: {folder}" in made.stdout
        manifest = json.loads((folder / backups.MANIFEST).read_text())
        for name in ("voxbox.db", "secret_key", "draw_dedupe.key", "hub_x25519.pem"):
            assert name in manifest["files"], manifest
            assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600, name
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        d.hub.stop()

        restore(folder, restored.hub_dir)
        restored.hub_cli("db", "upgrade")
        restored.start_hub()
        held = restored.hub_hashes()
        # a consistent snapshot: everything pushed before, and only whole, unchanged responses after
        assert first.items() <= held.items()
        assert held.items() <= final.items()
        assert restored.hub_rehashed() == held
        assert served_uuids(restored) == set(held)

        # the carried keys: the officer can open every sealed entry, a resent duplicate is still
        # recognised (the same de-duplication hash), and the draw is made from all five
        with restored.app("hub") as app:
            draw = draws.get(draw_id)
            opened = [(e, draws.open_contact(keys.hub_private_key(app), e))
                      for e in draws.entries(draw)]
            assert len(opened) == 5 and all(contact for _e, contact in opened), opened
            assert {c["contact"] for _e, c in opened} == {f"resident{i}@example.org" for i in range(5)}
            for entry, contact in opened:
                assert entry.contact_hash == contacts.dedupe_hash(
                    keys.dedupe_key(app), draw_id, contact["kind"], contact["contact"])
            draw.closes_at = utcnow() - dt.timedelta(minutes=1)
            db.session.commit()
        ran = restored.hub_cli("draw", "run", draw_id, "--seed", "restore-drill")
        assert "5 entries, 3 winners, 2 reserves" in ran.stdout, ran.stdout
    finally:
        d.stop()
        restored.stop()



def test_doctor_sees_a_backup_inside_its_dated_folder_but_not_a_half_made_one(
        make_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from kiosk.ops import doctor

    folder = tmp_path / "backups"
    app = make_app("hub", BACKUP_DIR=str(folder))
    with app.app_context():
        (folder / ".voxbox-20261203T000000Z.partial").mkdir(parents=True)
        (folder / ".voxbox-20261203T000000Z.partial" / "voxbox.db").write_bytes(b"half")
        assert doctor._backup(app).status == "fail"
        made = backups.make(app, folder)
        assert made.parent == folder and not list(folder.glob("*.db"))
        check = doctor._backup(app)
    assert check.status == "ok", check
