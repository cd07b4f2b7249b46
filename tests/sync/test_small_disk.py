"""A kiosk on a small filesystem (a 3 MB tmpfs) filled by residents: residents get a clear page
when it is full, and the kiosk still exports and pushes its whole queue, each response once."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk import create_app
from kiosk.core.db import db
from kiosk.devices import store as devices
from kiosk.responses.models import Response
from sync import bundle, client
from tests.conftest import csrf_token, load_demo
from tests.sync.conftest import hub_hashes

STEPS = [{"safe_day": "3"}, {"top_concern": "other", "top_concern.other": "x" * 80},
         {"contact": ["social"]},
         {"rank_priorities.visible": "1", "rank_priorities.victims": "2",
          "rank_priorities.roads": "3", "rank_priorities.online": "4"},
         {"comments": "More patrols on the high street in the evenings, please. " * 8}]


@pytest.fixture
def small_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A 3 MB tmpfs (root needed); skipped with the reason locally, required with CI=true."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
                          capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        reason = f"cannot mount a 3 MB tmpfs here: {done.stderr.strip() or done.returncode}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true: {reason}")
        pytest.skip(reason)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, timeout=30)


def answer(c) -> int:  # type: ignore[no-untyped-def]
    """One resident answers the whole survey; returns the status of the page they end on."""
    token = csrf_token(c, "/kiosk/")
    r = c.post("/kiosk/c/policing-priorities", data={"csrf_token": token})
    if r.status_code != 303:
        return r.status_code
    step = r.location
    for i, data in enumerate(STEPS):
        action = "submit" if i == len(STEPS) - 1 else "next"
        r = c.post(step, data={"csrf_token": token, "action": action, **data})
        if r.status_code != 303:
            return r.status_code
        step = r.location
    assert step.endswith("/kiosk/thanks"), step
    return 200


def test_a_full_small_disk_refuses_residents_clearly_and_still_hands_over_its_queue(
        small_disk: Path, hub, live_hub, tmp_path: Path) -> None:
    kiosk = create_app({"TESTING": True, "ROLE": "kiosk", "SECRET_KEY": "test", "STAFF_PIN": "4321",
                        "SYNC_RETRIES": 2, "SYNC_BACKOFF_MAX": 0.2, "KIOSK_MIN_FREE_MB": 0.5},
                       instance_path=str(small_disk / "kiosk"))
    with hub.app_context():
        _device, code = devices.create("small-disk", 3600)
    with kiosk.app_context():
        load_demo()
        client.enroll(kiosk, live_hub.url, code)
    # other files already take most of the disk: leave the kiosk about 1.5 MB to fill
    ballast = shutil.disk_usage(small_disk).free - 1536 * 1024
    if ballast > 0:
        (small_disk / "ballast").write_bytes(b"\0" * ballast)
    resident, statuses = kiosk.test_client(), []
    for _ in range(5000):  # until the kiosk says it is full
        statuses.append(answer(resident))
        if statuses[-1] != 200:
            break
    refused = resident.post("/kiosk/c/policing-priorities",
                            data={"csrf_token": csrf_token(resident, "/kiosk/")})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 503 and "cannot take new answers" in body, body[:500]
    assert "Error 500" not in body
    stored = statuses.count(200)
    assert stored > 50, f"only {stored} residents before the disk was full"
    print(f"{stored} residents stored before the kiosk refused more ({statuses[-1]})")
    with kiosk.app_context():
        queued = db.session.execute(select(func.count()).select_from(Response)
                                    .filter_by(sync_state="queued")).scalar()
    assert queued == stored  # every thank-you was a stored response

    usb = tmp_path / "usb.voxbox"  # the stick is another filesystem
    with kiosk.app_context():
        manifest = bundle.export(kiosk, usb)
    assert manifest["count"] == stored
    with kiosk.app_context():
        result = client.sync_now(kiosk)
    assert result["push"]["accepted"] == stored and result["push"]["unanswered"] == 0
    with kiosk.app_context():
        states = dict(db.session.execute(select(Response.sync_state, func.count())
                                         .group_by(Response.sync_state)).all())
        kiosk_hashes = dict(db.session.execute(select(Response.uuid, Response.content_hash)).all())
        db.engine.dispose()
    assert states == {"synced": stored}
    assert hub_hashes(hub) == kiosk_hashes  # each response once on the hub, unchanged
    with hub.app_context():  # the exported bundle, imported later, adds nothing twice
        receipt = bundle.import_bundle(usb.read_bytes())
    assert receipt["counts"]["duplicate"] == stored and receipt["counts"]["accepted"] == 0
