"""Scan benchmark: requests per second to /q/<code> against a trivial route, same server, same run.

    .venv/bin/python bench/bench_scan.py [--seconds 5] [--rounds 3] [--workers 2] [--clients 8]
    [--database-url postgresql://postgres@127.0.0.1:5432/DB]

Serves the hub with gunicorn (gthread workers, keep-alive) on a fresh instance with the demo
loaded, then drives it from separate processes whose threads each hold one keep-alive
connection (http.client). The trivial route answers a constant 302 without touching the database;
/q/<code> validates the code, looks it up, INSERTs the scan and answers its 302. Rounds alternate
between the two so drift on a shared machine hits both. Prints the ratio trivial / scan (target
at most 1.5). `wrk` gives higher absolute figures if installed (apt-get install wrk), but the
ratio is what this measures.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchlib import database, free_port, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
TRIVIAL = "/bench/trivial"


def wsgi_app():  # type: ignore[no-untyped-def]
    """The hub app plus the trivial route (gunicorn calls this in each worker)."""
    from flask import redirect

    from kiosk import create_app

    app = create_app({"AUTO_MIGRATE": False})
    app.add_url_rule(TRIVIAL, "bench_trivial", lambda: redirect("/", 302))
    return app


def prepare(instance: Path) -> str:
    """Migrate, load the demo and create one tracking code; returns the code."""
    from kiosk import create_app
    from kiosk.demo import content as demo
    from kiosk.outreach import tracking

    app = create_app({}, instance_path=str(instance))
    with app.app_context():
        list(demo.load(app))
        return tracking.create("policing-priorities", "bus_stop", "Benchmark stop").code


def _client(port: int, path: str, until: float, counts: list[int], errors: list[int]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    done = bad = 0
    while time.perf_counter() < until:
        conn.request("GET", path, headers={"User-Agent": "Mozilla/5.0 (iPhone) Mobile"})
        resp = conn.getresponse()
        resp.read()
        if resp.status == 302:
            done += 1
        else:
            bad += 1
        if resp.getheader("Connection", "").lower() == "close":
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.close()
    counts.append(done)
    errors.append(bad)


def _load(args: tuple[int, str, float, int]) -> tuple[int, int]:
    port, path, until, threads = args
    counts: list[int] = []
    errors: list[int] = []
    pool = [threading.Thread(target=_client, args=(port, path, until, counts, errors))
            for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return sum(counts), sum(errors)


def measure(pool, port: int, path: str, seconds: float, procs: int, threads: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """Requests per second answered with a 302 over one round, and how many were answered."""
    start = time.perf_counter()
    until = start + seconds
    results = pool.map(_load, [(port, path, until, threads)] * procs)
    elapsed = time.perf_counter() - start
    done, bad = sum(r[0] for r in results), sum(r[1] for r in results)
    if bad:
        raise SystemExit(f"{path}: {bad} answers were not 302")
    return done / elapsed, done


def main() -> None:
    """Run the benchmark and print req/s for each route and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5, help="length of each round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per route")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--clients", type=int, default=8, help="keep-alive connections in all")
    parser.add_argument("--database-url", default="", help="a PostgreSQL URL (default SQLite)")
    args = parser.parse_args()
    with database(args.database_url, "bench_scan") as args.database_url:
        run(args)


def run(args: argparse.Namespace) -> None:
    """Serve the hub, load both routes in alternating rounds, print the rates and their ratio."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "VOXBOX_INSTANCE": tmp, "VOXBOX_SECRET_KEY": "bench",
               "VOXBOX_RATELIMIT_ENABLED": "false", "PYTHONPATH": str(ROOT / "bench")}
        if args.database_url:
            env["VOXBOX_DATABASE_URL"] = args.database_url
        os.environ.update({k: env[k] for k in ("VOXBOX_INSTANCE", "VOXBOX_SECRET_KEY")})
        if args.database_url:
            os.environ["VOXBOX_DATABASE_URL"] = args.database_url
        code = prepare(Path(tmp))
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(args.workers), "--worker-class",
             "gthread", "--threads", "4", "--keep-alive", "30", "--bind", f"127.0.0.1:{port}",
             "--log-level", "warning", "bench_scan:wsgi_app()"], env=env, cwd=ROOT)
        try:
            wait_for_port(port, alive=lambda: server.poll() is None)
            procs = 2
            threads = max(1, args.clients // procs)
            routes = {"trivial": TRIVIAL, "scan": f"/q/{code}"}
            rates: dict[str, list[float]] = {k: [] for k in routes}
            answered = {k: 0 for k in routes}
            with multiprocessing.get_context("spawn").Pool(procs) as pool:
                for name, path in routes.items():  # warm up both
                    answered[name] += measure(pool, port, path, 1, procs, threads)[1]
                for _ in range(args.rounds):
                    for name, path in routes.items():
                        rate, done = measure(pool, port, path, args.seconds, procs, threads)
                        rates[name].append(rate)
                        answered[name] += done
        finally:
            server.terminate()  # a graceful stop: workers store their queued scans as they exit
            server.wait(timeout=10)
        scans = _count_scans(Path(tmp))
        if scans != answered["scan"]:
            raise SystemExit(f"{answered['scan']} scans answered but {scans} stored")
    trivial, scan = (statistics.median(rates[k]) for k in ("trivial", "scan"))
    print(f"server: gunicorn {args.workers} gthread workers; load: {procs} processes x {threads} "
          f"keep-alive connections; {args.rounds} x {args.seconds:g} s rounds; "
          f"database: {'PostgreSQL' if args.database_url else 'SQLite (WAL)'}")
    print(f"trivial route: {trivial:8.0f} req/s")
    print(f"/q/<code>:     {scan:8.0f} req/s  ({answered['scan']} scans answered, {scans} stored)")
    print(f"ratio trivial / scan: {trivial / scan:.2f}x (target <= 1.5x)")


def _count_scans(instance: Path) -> int:
    from sqlalchemy import func, select

    from kiosk import create_app
    from kiosk.core.db import db
    from kiosk.outreach.models import Scan

    app = create_app({"AUTO_MIGRATE": False}, instance_path=str(instance))
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(Scan)).scalar_one()


if __name__ == "__main__":
    main()
