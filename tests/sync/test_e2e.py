"""End to end over loopback HTTP: a hub and a kiosk, each a real ``voxbox serve`` process.

Enroll with a code printed by the hub's CLI, pull, collect 10,000 responses on the kiosk (five
residents through the kiosk's own pages, each entering a prize draw, the rest synthetic), push with
``voxbox sync``: the hub holds exactly those 10,000 with the same content (re-hashed from what it
stored), every row on the kiosk is marked synced, and the entries arrive once.
"""

from __future__ import annotations

import json
import time

import pytest

from tests.sync.deploy import Deployment, resident_visit, staff_session

N = 10_000
VISITS = 5


@pytest.mark.slow
def test_a_kiosk_hands_10000_responses_to_a_hub_over_real_http(deploy) -> None:
    d: Deployment = deploy()
    timings: dict[str, float] = {}
    d.set_up_hub()
    d.start_hub()
    draw_id = d.make_draw()
    d.enroll()
    pulled = d.kiosk_cli("sync", "pull").stdout
    assert "pull: consultations 3," in pulled and "draws 1" in pulled, pulled
    _kiosk, base = d.serve_kiosk()
    for i in range(VISITS):
        resident_visit(base, draw_id, f"resident{i}@example.org")
    d.kiosk_cli("demo", "--responses", str(N - VISITS), "--seed", "5")
    status = json.loads(d.kiosk_cli("sync", "status", "--json").stdout)
    assert (status["queued"], status["synced"], status["entries"]) == (N, 0, {"queued": VISITS})

    started = time.monotonic()
    done = d.kiosk_cli("sync")  # pull (unchanged: one 304), entries, then responses
    timings["push"] = time.monotonic() - started
    assert "pull: nothing changed on the hub" in done.stdout, done.stdout
    assert f"entries: accepted {VISITS}, duplicate 0, conflict 0, rejected 0" in done.stdout
    assert (f"push: accepted {N}, duplicate 0, conflict 0, rejected 0, unanswered 0"
            in done.stdout), done.stdout + done.stderr
    assert "pushing" in done.stderr  # the progress bar

    kiosk_hashes, hub_hashes = d.kiosk_hashes(), d.hub_hashes()
    assert len(hub_hashes) == N and hub_hashes == kiosk_hashes
    assert d.hub_rehashed() == hub_hashes  # the stored content, not just the stored hash, matches
    assert d.kiosk_states() == {"synced": N}
    assert d.scalar("kiosk", "SELECT count(*) FROM responses WHERE synced_at IS NULL") == 0
    kiosk_entries = d.entry_hashes("kiosk")
    assert len(kiosk_entries) == VISITS and d.entry_hashes("hub") == kiosk_entries
    assert d.kiosk_states("draw_entries") == {"synced": VISITS}
    assert d.scalar("kiosk", "SELECT count(*) FROM draw_entries WHERE sealed IS NOT NULL") == 0
    device = d.rows("hub", "SELECT id, last_sync_at FROM devices")
    assert len(device) == 1 and device[0].last_sync_at is not None
    assert d.scalar("hub", "SELECT count(*) FROM responses WHERE device_id = :d",
                    d=device[0].id) == N

    # The CLI status and the staff panel (over the kiosk's own HTTP) agree; a second sync is empty.
    status = json.loads(d.kiosk_cli("sync", "status", "--json").stdout)
    assert (status["queued"], status["synced"], status["set_aside"]) == (0, N, 0)
    assert status["last_sync"]["accepted"] == N and status["last_error"] is None
    http, token = staff_session(base)
    panel = http.get(f"{base}/kiosk/staff/", timeout=10).text
    assert "<dd data-queued>0</dd>" in panel and f"<dd>{N}</dd>" in panel and "Sync now" in panel
    pressed = http.post(f"{base}/kiosk/staff/sync", data={"csrf_token": token}, timeout=60)
    assert "Synced: 0 sent to the hub, 0 set aside, 0 still queued." in pressed.text
    assert "push: accepted 0," in d.kiosk_cli("sync", "push").stdout
    assert len(d.hub_hashes()) == N
    print(f"pushed {N} responses and {VISITS} entries with `voxbox sync` in {timings['push']:.1f}s")
