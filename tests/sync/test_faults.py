"""Faults during a 10,000-response push, on real processes: nothing lost, nothing doubled.

1. kill -9 of the client (``voxbox sync``) and of the hub (``voxbox serve``), 22 times each, at
   random moments spread over the push (seeded; the seed is printed and named in every failure),
   each restarted at once; then the push resumes to the end.
2. Connections cut by a TCP proxy between them (``tcpproxy.py``): mid-request, mid-response after
   the hub has stored the batch, and answers withheld until the client times out.

The same runs carry 600 sealed prize-draw entries (queued on the kiosk after its pull brought the
draw and the hub's key). Afterwards: exactly 10,000 responses on the hub, each UUID once, content and
hashes equal to the kiosk's, every row marked synced on the kiosk; every entry exactly once.
``VOXBOX_FAULT_SEED=N`` replays a run's random choices.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import threading
import time
from collections import Counter
from typing import Any

import pytest

from tests.sync.conftest import deadline
from tests.sync.deploy import Deployment
from tests.sync.tcpproxy import Cut, Proxy

#: A hard limit per test (pytest-timeout), scaled like every other wait here: a stuck wait fails
#: the test with its stack and the fixtures stop every process, instead of hanging CI.
pytestmark = pytest.mark.timeout(deadline(900))

N, ENTRIES, BATCH = 10_000, 600, 100
TOTAL = N + ENTRIES
KILLS = 22  # of each: the client and the hub
BLIND = 0.3  # share of kills of a process just restarted that ignore the push (start-up…)
# The client's patience scales with the machine: on a loaded one a killed hub takes longer to come
# back than 100 quick retries last, and the client must outwait it, not give up.
SYNC = {"SYNC_BATCH_SIZE": BATCH, "SYNC_BACKOFF_MAX": 0.3, "SYNC_RETRIES": int(deadline(100)),
        "SYNC_TIMEOUT": deadline(5)}


def fault_seed() -> int:
    """The run's seed: VOXBOX_FAULT_SEED, or a fresh one; printed so a failure can be replayed."""
    seed = int(os.environ.get("VOXBOX_FAULT_SEED") or random.SystemRandom().randrange(2**32))
    print(f"\nfault seed: {seed} (replay with VOXBOX_FAULT_SEED={seed})")
    return seed


def prepared(deploy: Any, via_proxy: bool = False, **sync: Any) -> tuple[Deployment, set[str],
                                                                       Proxy | None]:
    """A hub with an open draw and an enrolled kiosk holding N queued responses and the entries."""
    d: Deployment = deploy(**{**SYNC, **sync})
    proxy = Proxy(d.hub_port) if via_proxy else None
    d.set_up_hub()
    d.start_hub()
    draw_id = d.make_draw()
    d.enroll(proxy.url if proxy else None)
    d.kiosk_cli("sync", "pull")
    d.kiosk_cli("demo", "--responses", str(N), "--seed", "11")
    entries = d.queue_entries(draw_id, ENTRIES)
    assert d.kiosk_states() == {"queued": N} and d.kiosk_states("draw_entries") == {
        "queued": ENTRIES}
    return d, entries, proxy


def assert_exactly_once(d: Deployment, entry_ids: set[str], seed: int) -> list[Any]:
    """N responses and the entries on the hub, each once, equal to the kiosk's, all synced there."""
    hub, kiosk = d.hub_hashes(), d.kiosk_hashes()
    lost, extra = kiosk.keys() - hub.keys(), hub.keys() - kiosk.keys()
    changed = [u for u in kiosk.keys() & hub.keys() if kiosk[u] != hub[u]]
    report = f"seed {seed}: lost {len(lost)}, extra {len(extra)}, changed {len(changed)}"
    assert (len(lost), len(extra), len(changed)) == (0, 0, 0), report
    assert d.scalar("hub", "SELECT count(*) FROM responses") == len(kiosk) == N, report
    assert d.hub_rehashed() == hub, report
    assert d.kiosk_states() == {"synced": N}, f"seed {seed}: {d.kiosk_states()}"
    hub_entries, kiosk_entries = d.entry_hashes("hub"), d.entry_hashes("kiosk")
    assert set(kiosk_entries) == entry_ids and hub_entries == kiosk_entries, f"seed {seed}"
    assert d.kiosk_states("draw_entries") == {"synced": ENTRIES}, f"seed {seed}"
    assert d.scalar("kiosk", "SELECT count(*) FROM draw_entries WHERE sealed IS NOT NULL") == 0
    assert d.scalar("hub", "SELECT count(*) FROM draw_entries WHERE sealed IS NULL") == 0
    receipts = d.rows("hub", "SELECT batch_id, accepted, duplicate, conflict, rejected "
                             "FROM sync_receipts")
    assert sum(r.accepted for r in receipts) == N, f"seed {seed}: a UUID accepted twice?"
    assert sum(r.conflict + r.rejected for r in receipts) == 0, f"seed {seed}"
    assert d.scalar("hub", "SELECT count(*) FROM sync_set_aside") == 0, f"seed {seed}"
    return receipts


# --- kill -9 --------------------------------------------------------------------------------------


class Commits:
    """Watches the hub commit pushed work (a response batch, a batch of entries) from a thread."""

    def __init__(self, d: Deployment) -> None:
        self.d = d
        self.seen = [(time.monotonic(), self.count())]
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def count(self) -> int:
        """A number that grows with every commit of pushed work on the hub."""
        return (self.d.scalar("hub", "SELECT count(*) FROM sync_receipts")
                + self.d.scalar("hub", "SELECT count(*) FROM draw_entries"))

    def _watch(self) -> None:
        while not self.stopping.wait(0.02):
            value = self.count()
            if value != self.seen[-1][1]:
                self.seen.append((time.monotonic(), value))

    def now(self) -> int:
        """The commits seen so far."""
        return len(self.seen)

    def wait(self, since: int, client: Any, timeout: float = 30) -> None:
        """Wait for a commit after ``since`` (or for the client to end: the caller asks why)."""
        started, timeout = time.monotonic(), deadline(timeout)
        while self.now() <= since and client.proc.poll() is None:
            assert time.monotonic() - started < timeout, (
                f"the push made no progress for {timeout:.0f} s:\n{client.log.read_text()[-2000:]}")
            time.sleep(0.01)

    def batch_seconds(self) -> float:
        """One batch here and now: the median gap between commits, leaving out kill gaps."""
        gaps = [b[0] - a[0] for a, b in zip(self.seen, self.seen[1:], strict=False)]
        gaps = [g for g in gaps[-30:] if g < 1]
        return statistics.median(gaps) if len(gaps) >= 3 else 0.1

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(5)


def queued(d: Deployment) -> int:
    """Responses and entries still queued on the kiosk."""
    return (d.scalar("kiosk", "SELECT count(*) FROM responses WHERE sync_state = 'queued'")
            + d.scalar("kiosk", "SELECT count(*) FROM draw_entries WHERE sync_state = 'queued'"))


def expect_running(client: Any, kills: list[dict], seed: int) -> None:
    """The client may end only by our kill: fail on an error, or on finishing before the kills."""
    rc = client.proc.poll()
    if rc is None:
        return
    log = client.log.read_text()[-3000:]
    assert rc == 0, f"seed {seed}: voxbox sync failed on its own (exit {rc}):\n{log}"
    seen = [(k["target"][0], k["done"], round(k["delay"], 2)) for k in kills]
    pytest.fail(f"seed {seed}: the push finished after only {len(kills)} kills; the pacing is "
                f"off: {seen}")


def wait_until_done(d: Deployment, share: float, commits: Commits, client: Any) -> None:
    """Wait until the kiosk has settled ``share`` of the work (and the hub committed since)."""
    mark, timeout = commits.now(), deadline(120)
    ends = time.monotonic() + timeout
    while TOTAL - queued(d) < share * TOTAL and client.proc.poll() is None:
        assert time.monotonic() < ends, (
            f"the kiosk settled {TOTAL - queued(d)} of {TOTAL} items, not {share:.0%}, within "
            f"{timeout:.0f} s:\n{client.log.read_text()[-2000:]}")
        time.sleep(0.01)
    commits.wait(mark, client)


@pytest.mark.slow
def test_kill_9_of_client_and_hub_at_random_moments_loses_and_doubles_nothing(deploy) -> None:
    seed = fault_seed()
    rng = random.Random(seed)
    d, entry_ids, _ = prepared(deploy)
    plan = ["client"] * KILLS + ["hub"] * KILLS
    rng.shuffle(plan)
    # Each kill comes at a random point of the push (uniform over its first 90%, in order), then
    # a random part of a batch later, so it may land anywhere in a batch's round trip; a few hit
    # the process just restarted at a random time, whatever it is doing (start-up, reconnecting).
    shares = sorted(rng.uniform(0, 0.9) for _ in plan)
    client = d.kiosk_proc("sync").start()
    commits = Commits(d)
    kills: list[dict] = []
    restarted = "client"
    try:
        for target, share in zip(plan, shares, strict=True):
            if target == restarted and rng.random() < BLIND:  # still starting, or reconnecting
                delay = rng.uniform(0, 1.0 if target == "client" else 0.3)
            else:
                wait_until_done(d, share, commits, client)
                delay = rng.uniform(0, 1.5 * commits.batch_seconds())
            time.sleep(delay)
            expect_running(client, kills, seed)
            (client if target == "client" else d.hub).kill()  # type: ignore[union-attr]
            hub_count, synced = d.progress()
            kills.append({"target": target, "delay": delay, "hub": hub_count, "synced": synced,
                          "done": TOTAL - queued(d),
                          "hub_entries": d.scalar("hub", "SELECT count(*) FROM draw_entries"),
                          "entries_synced": d.scalar(
                              "kiosk", "SELECT count(*) FROM draw_entries "
                                       "WHERE sync_state = 'synced'")})
            if target == "client":
                client = d.kiosk_proc("sync").start()
            else:
                d.start_hub()
            restarted = target
        batch = commits.batch_seconds()
    finally:
        commits.stop()
    # Resume: the last client started runs to the end.
    try:
        rc = client.proc.wait(deadline(180))
    except subprocess.TimeoutExpired:
        pytest.fail(f"seed {seed}: the last voxbox sync did not finish within {deadline(180)} s:\n"
                    f"{client.log.read_text()[-3000:]}")  # the deploy fixture stops it
    assert rc == 0, f"seed {seed}: {client.log.read_text()[-3000:]}"
    receipts = assert_exactly_once(d, entry_ids, seed)

    assert Counter(k["target"] for k in kills) == {"client": KILLS, "hub": KILLS}
    done = [k["done"] for k in kills]
    # Spread over the push, not bunched at one end.
    assert len(set(done)) >= 15 and done[0] < 0.25 * TOTAL and done[-1] > 0.7 * TOTAL, (seed, done)
    # Some client kills came after the hub had stored a batch and before the kiosk marked it.
    lost_receipts = [k for k in kills if k["target"] == "client" and (
        k["hub"] > k["synced"] or k["hub_entries"] > k["entries_synced"])]
    # Some hub kills came while a request was in flight (not only while the client waited).
    log = client.log.read_text()
    in_flight = log.count("RemoteDisconnected") + log.count("Connection reset")
    resent = sum(1 for r in receipts if r.duplicate)
    print(f"seed {seed}: batch {batch * 1000:.0f} ms; kills after settled items {done}; client "
          f"kills with a lost receipt {len(lost_receipts)}; hub kills mid-request {in_flight}; "
          f"batches resent and acknowledged as duplicates {resent}")
    assert lost_receipts and in_flight and resent, seed


# --- connections cut by a proxy -------------------------------------------------------------------


def cut_plan(rng: random.Random) -> list[Cut]:
    """Ten cuts mid-request, ten mid-response, two withheld answers, in a random order."""
    cuts = [Cut("request", rng.randint(1, 3), rng.uniform(0, 0.99), rng.random() < 0.5)
            for _ in range(10)]
    cuts += [Cut("response", rng.randint(1, 3), rng.uniform(0, 0.99), rng.random() < 0.5)
             for _ in range(10)]
    cuts += [Cut("stall", rng.randint(1, 3)) for _ in range(2)]
    rng.shuffle(cuts)
    return cuts


@pytest.mark.slow
def test_connections_cut_mid_request_and_mid_response_lose_and_double_nothing(deploy) -> None:
    seed = fault_seed()
    rng = random.Random(seed)
    d, entry_ids, proxy = prepared(deploy, via_proxy=True, SYNC_BATCH_SIZE=200,
                                   SYNC_TIMEOUT=deadline(3), SYNC_RETRIES=int(deadline(12)))
    assert proxy is not None
    try:
        plan = cut_plan(rng)
        proxy.cut(*plan)
        done = d.kiosk_cli("sync", timeout=300)  # pull, entries, responses: through the cuts
        fired = proxy.fired()
    finally:
        proxy.close()
    receipts = assert_exactly_once(d, entry_ids, seed)
    modes = Counter(r.cut.mode for r in fired)  # type: ignore[union-attr]
    assert modes["request"] >= 8 and modes["response"] >= 8 and modes["stall"] >= 1, (seed, modes)
    assert "retrying" in done.stderr
    # Every answer lost on a response batch was one the hub had stored: it shows up as one more
    # receipt on the hub (the resend, all duplicates), and never as a second acceptance.
    lost = [r for r in fired if r.cut.mode in ("response", "stall")  # type: ignore[union-attr]
            and r.target.startswith("POST /api/v1/responses")]
    batches = N // 200
    assert len({r.batch_id for r in receipts}) == batches, seed
    assert len(receipts) == batches + len(lost), (seed, len(receipts), len(lost))
    assert all(r.accepted in (0, 200) for r in receipts), seed
    assert all(r.accepted + r.duplicate == 200 for r in receipts), seed
    cut_mid = [r for r in fired if r.cut.mode == "request"  # type: ignore[union-attr]
               and r.target.startswith("POST ")]
    print(f"seed {seed}: cuts fired {dict(modes)}; answers lost after the hub stored a batch "
          f"{len(lost)}; pushes cut mid-request {len(cut_mid)}")
