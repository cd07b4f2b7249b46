"""A campaign's load on a production hub: gunicorn (2 workers) on PostgreSQL with limits on Redis,
driven for a bounded time by phones (scan → page → submit), kiosks pushing batches and staff
loading reports, all at once; then exactly-once checks.

    python bench/bench_campaign.py [--seconds 20] [--phones 4] [--kiosks 2] [--staff 1]
                                   [--database-url postgresql://postgres@127.0.0.1:5432/test]
                                   [--redis redis://127.0.0.1:6379/15]

Prints scans/s, submissions/s, ingest (responses/s), p50/p95 per kind and errors, and checks at the
end that the hub stored exactly the scans answered, one response per phone submission (each resent
once, as a double tap would) and every pushed kiosk response once. Without --database-url it runs on
SQLite (the figures are then for a small hub).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_sync import engine_url, kiosk_items, prepare_hub  # noqa: E402
from benchlib import database, free_port, wait_for_port  # noqa: E402

from sync import wire  # noqa: E402

GUNICORN = str(Path(sys.executable).parent / "gunicorn")
SLUG = "policing-priorities"
ANSWERS = {"safe_day": "4", "top_concern": "other", "top_concern.other": "Litter",
           "contact": ["email", "street"], "rank_priorities.visible": "2",
           "rank_priorities.victims": "1", "rank_priorities.roads": "4",
           "rank_priorities.online": "3", "comments": "More patrols please"}
HIDDEN = re.compile(r'name="(csrf_token|response_id|started)" value="([^"]*)"')


class Stats:
    """Latencies and counts per kind, shared by the driver threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.done: dict[str, int] = {}

    def add(self, kind: str, seconds: float, ok: bool, n: int = 1) -> None:
        with self.lock:
            self.times.setdefault(kind, []).append(seconds)
            if ok:
                self.done[kind] = self.done.get(kind, 0) + n
            else:
                self.errors[kind] = self.errors.get(kind, 0) + 1


def timed(stats: Stats, kind: str, call, n: int = 1):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    try:
        resp = call()
        ok = resp.status_code < 400
    except requests.RequestException:
        resp, ok = None, False
    stats.add(kind, time.perf_counter() - start, ok, n if ok else 0)
    return resp


def phone(base: str, code: str, stop: float, stats: Stats) -> None:
    """Scan, open the page, submit; each submission posted twice (a double tap)."""
    while time.time() < stop:
        http = requests.Session()
        page = timed(stats, "scan", lambda h=http: h.get(f"{base}/q/{code}", timeout=30))
        if page is None or page.status_code >= 400:
            continue
        fields = dict(HIDDEN.findall(page.text))
        if "csrf_token" not in fields:
            stats.add("page", 0, False)
            continue
        data = {**ANSWERS, **fields, "action": "submit"}
        timed(stats, "submit", lambda h=http, d=data: h.post(f"{base}/c/{SLUG}", data=d, timeout=30))
        again = http.post(f"{base}/c/{SLUG}", data=data, timeout=30)  # the double tap
        if again.status_code >= 400:
            stats.add("resubmit", 0, False)
        http.close()


def kiosk(base: str, token: str, bodies: list[bytes], stop: float, stats: Stats, size: int) -> None:
    """Push prepared batches until time is up."""
    http = requests.Session()
    http.headers.update({"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                         "Content-Encoding": "gzip", "User-Agent": "voxbox-sync/1"})
    for body in bodies:
        if time.time() >= stop:
            break
        timed(stats, "push", lambda b=body: http.post(f"{base}/api/v1/responses", data=b, timeout=120),
              n=size)


def staff(base: str, stop: float, stats: Stats, password: str) -> None:
    """Sign in once, then load the consultation's report again and again."""
    http = requests.Session()
    login = http.get(f"{base}/staff/login", timeout=30)
    token = dict(HIDDEN.findall(login.text)).get("csrf_token", "")
    http.post(f"{base}/staff/login", data={"csrf_token": token, "email": "bench@example.org",
                                          "password": password}, timeout=30)
    while time.time() < stop:
        timed(stats, "report", lambda: http.get(f"{base}/staff/c/{SLUG}/report", timeout=60))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--phones", type=int, default=4)
    parser.add_argument("--kiosks", type=int, default=2)
    parser.add_argument("--staff", type=int, default=1)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    args = parser.parse_args()
    with database(args.database_url, "bench_campaign") as url, tempfile.TemporaryDirectory() as tmp:
        run(args, Path(tmp), url)


def run(args: argparse.Namespace, tmp: Path, database_url: str) -> None:
    per_kiosk = max(1, int(args.seconds * 4)) * args.batch  # more than a kiosk can push in time
    print(f"preparing {args.kiosks} × {per_kiosk} kiosk responses…", file=sys.stderr)
    batches: list[list[bytes]] = []
    for k in range(args.kiosks):
        items = kiosk_items(tmp / f"kiosk{k}", per_kiosk, seed=k + 1)
        batches.append([wire.gzip_json({"batch_id": str(uuid.uuid4()), "items": items[i:i + args.batch]})
                        for i in range(0, len(items), args.batch)])
    token = prepare_hub(tmp / "hub", database_url)
    from kiosk import create_app
    from kiosk.core import auth
    from kiosk.core.db import db
    from kiosk.outreach import tracking

    app = create_app({"ROLE": "hub", **({"DATABASE_URL": database_url} if database_url else {})},
                     instance_path=str(tmp / "hub"))
    with app.app_context():
        code = tracking.create(SLUG, "bus_stop", "Campaign bus stop").code
        auth.create_user("bench@example.org", "Bench", "bench password", "staff")
        db.session.remove()
        db.engine.dispose()
    port = free_port()
    env = {**os.environ, "VOXBOX_ROLE": "hub", "VOXBOX_INSTANCE": str(tmp / "hub"),
           "VOXBOX_RATELIMIT_STORAGE_URI": args.redis, "VOXBOX_LIMIT_SUBMIT": "100000 per minute",
           "VOXBOX_LIMIT_SIGN_IN": "1000 per minute", "VOXBOX_ALLOW_INSECURE_URL": "true",
           "VOXBOX_SCAN_FLUSH_SECONDS": "0.2"}
    if database_url:
        env["VOXBOX_DATABASE_URL"] = database_url
    server = subprocess.Popen([GUNICORN, "-w", "2", "-k", "gthread", "--threads", "4", "-b",
                               f"127.0.0.1:{port}", "kiosk:create_app()"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    stats = Stats()
    try:
        wait_for_port(port, 60, alive=lambda: server.poll() is None)
        requests.get(f"{base}/", timeout=30)
        stop = time.time() + args.seconds
        threads = ([threading.Thread(target=phone, args=(base, code, stop, stats))
                    for _ in range(args.phones)]
                   + [threading.Thread(target=kiosk, args=(base, token, batches[k], stop, stats, args.batch))
                      for k in range(args.kiosks)]
                   + [threading.Thread(target=staff, args=(base, stop, stats, "bench password"))
                      for _ in range(args.staff)])
        start = time.time()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=args.seconds + 180)
            if t.is_alive():
                raise SystemExit("a driver thread did not finish within its time")
        elapsed = time.time() - start
        time.sleep(1.0)  # the scan buffer flushes every 0.2 s
    finally:
        server.terminate()
        server.wait(timeout=60)
    report(args, stats, elapsed, tmp, database_url, code)


def report(args, stats: Stats, elapsed: float, tmp: Path, database_url: str, code: str) -> None:  # type: ignore[no-untyped-def]
    load = os.getloadavg()[0]
    print(f"{elapsed:.1f} s, {args.phones} phones, {args.kiosks} kiosks, {args.staff} staff; "
          f"load average {load:.1f} on {os.cpu_count()} cores; "
          f"{'PostgreSQL' if database_url else 'SQLite'}, Redis limits")
    print(f"{'kind':8} {'per s':>9} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for kind in ("scan", "submit", "push", "report"):
        times = sorted(stats.times.get(kind, [0.0]))
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        rate = stats.done.get(kind, 0) / elapsed
        label = "ingest" if kind == "push" else kind
        print(f"{label:8} {rate:9.1f} {statistics.median(times) * 1000:8.0f} {p95 * 1000:8.0f} "
              f"{stats.errors.get(kind, 0):7d}")
    engine = create_engine(engine_url(database_url) if database_url
                           else f"sqlite:///{tmp / 'hub' / 'voxbox.db'}")
    with engine.connect() as conn:
        scans = conn.execute(text("SELECT count(*) FROM scans WHERE code = :c AND stage = 'scan'"), {"c": code}).scalar()
        web = conn.execute(text("SELECT count(*) FROM responses WHERE channel = 'web'")).scalar()
        kiosk_rows = conn.execute(text("SELECT count(*) FROM responses WHERE channel = 'kiosk'")).scalar()
    engine.dispose()
    checks = [("scans stored = scans answered", scans, stats.done.get("scan", 0)),
              ("web responses = submissions (each posted twice)", web, stats.done.get("submit", 0)),
              ("kiosk responses = responses pushed", kiosk_rows, stats.done.get("push", 0))]
    failed = False
    for label, got, want in checks:
        print(f"{'ok  ' if got == want else 'FAIL'} {label}: {got} stored, {want} answered")
        failed |= got != want
    if failed or any(stats.errors.values()):
        raise SystemExit(f"exactly-once or errors check failed: errors {stats.errors}")


if __name__ == "__main__":
    main()
