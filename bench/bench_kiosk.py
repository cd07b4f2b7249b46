"""Kiosk benchmark: latency of a full submission against a trivial route, same server, same run.

    .venv/bin/python bench/bench_kiosk.py [--submissions 200] [--warmup 20] [--threads 4]

Serves a fresh kiosk instance (demo loaded) with waitress, built as `voxbox kiosk` builds it
(create_server, 4 threads, SQLite in WAL with synchronous=FULL), in its own process, plus a trivial
route that answers a constant 200 without touching the database. One resident at a time, over one
keep-alive connection (http.client, cookies carried by hand), walks the demo survey
policing-priorities; what is timed is the last screen: POST "Submit my answers" (validate, INSERT,
COMMIT, 303) and GET the thank-you page, which reads the response back (the POST alone is shown
too). The questions before it
are answered untimed. Each submission is paired with one request to the trivial route, alternately
before and after it, so drift on a shared machine hits both. Prints p50 and p95 of each and their
ratios (submission / trivial), then checks the database holds every response and no draft.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from benchlib import free_port, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
TRIVIAL = "/bench/trivial"
SLUG = "policing-priorities"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
#: The demo survey's five screens, answered the way a resident might.
STEPS = [{"safe_day": "3"}, {"top_concern": "drugs"}, {"contact": "social"},
         {"rank_priorities.visible": "1", "rank_priorities.victims": "2",
          "rank_priorities.roads": "3", "rank_priorities.online": "4"},
         {"comments": "Brighter street lights"}]


def serve(port: int, threads: int) -> None:
    """The kiosk app plus the trivial route, on waitress as `voxbox kiosk` serves it."""
    from waitress.server import create_server

    from kiosk import create_app

    app = create_app({"AUTO_MIGRATE": False})
    app.add_url_rule(TRIVIAL, "bench_trivial", lambda: ("ok", 200, {"Content-Type": "text/plain"}))
    create_server(app, host="127.0.0.1", port=port, threads=threads, ident="voxbox").run()


def prepare(instance: Path) -> None:
    """Migrate a fresh kiosk instance and load the demo consultations."""
    from kiosk import create_app
    from kiosk.demo import content as demo

    app = create_app({}, instance_path=str(instance))
    with app.app_context():
        list(demo.load(app))


class Resident:
    """One browser: a keep-alive connection and the session cookie."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.token = ""

    def request(self, method: str, path: str, form: dict | None = None,
                expect: int = 200) -> tuple[str, str]:
        """Send one request; returns (body, Location) after checking the status."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode({"csrf_token": self.token, **form}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        resp = self.conn.getresponse()
        text = resp.read().decode()
        for header in resp.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if resp.status != expect:
            raise SystemExit(f"{method} {path}: {resp.status}, expected {expect}")
        return text, resp.getheader("Location", "")

    def begin(self) -> str:
        """Start the survey and answer every screen but the last; returns the last screen's path."""
        if not self.token:
            self.token = CSRF.search(self.request("GET", "/kiosk/")[0]).group(1)
        step = self.request("POST", f"/kiosk/c/{SLUG}", {}, expect=303)[1]
        for answers in STEPS[:-1]:
            step = self.request("POST", step, {"action": "next", **answers}, expect=303)[1]
        return step

    def submit(self, step: str) -> tuple[float, float]:
        """Seconds from posting the last screen to its 303 (committed), and to the thank-you page."""
        start = time.perf_counter()
        thanks = self.request("POST", step, {"action": "submit", **STEPS[-1]}, expect=303)[1]
        committed = time.perf_counter() - start
        page = self.request("GET", thanks)[0]
        elapsed = time.perf_counter() - start
        if "Your answers have been saved." not in page:
            raise SystemExit("the thank-you page did not say the answers were saved")
        return committed, elapsed

    def trivial(self) -> float:
        start = time.perf_counter()
        self.request("GET", TRIVIAL)
        return time.perf_counter() - start


def percentile(samples: list[float], p: float) -> float:
    """The p-th percentile (0-100) by linear interpolation."""
    return statistics.quantiles(samples, n=100, method="inclusive")[round(p) - 1]


def stored(instance: Path) -> tuple[int, int]:
    """(responses, drafts) in the instance's database."""
    from sqlalchemy import func, select

    from kiosk import create_app
    from kiosk.core.db import db
    from kiosk.responses.models import Draft, Response

    app = create_app({"AUTO_MIGRATE": False}, instance_path=str(instance))
    with app.app_context():
        count = db.session.execute(select(func.count()).select_from(Response)).scalar_one()
        left = db.session.execute(select(func.count()).select_from(Draft)).scalar_one()
    return count, left


def main() -> None:
    """Run the benchmark and print p50/p95 for each route and their ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=200, help="timed submissions")
    parser.add_argument("--warmup", type=int, default=20, help="untimed submissions first")
    parser.add_argument("--threads", type=int, default=4, help="waitress threads (voxbox kiosk: 4)")
    parser.add_argument("--serve", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.threads)
        return
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp)
        env = {**os.environ, "VOXBOX_INSTANCE": tmp, "VOXBOX_ROLE": "kiosk",
               "VOXBOX_SECRET_KEY": "bench", "VOXBOX_STAFF_PIN": "4321"}
        os.environ.update({k: env[k] for k in ("VOXBOX_INSTANCE", "VOXBOX_ROLE",
                                               "VOXBOX_SECRET_KEY", "VOXBOX_STAFF_PIN")})
        prepare(instance)
        port = free_port()
        server = subprocess.Popen([sys.executable, __file__, "--serve", str(port),
                                   "--threads", str(args.threads)], env=env, cwd=ROOT)
        times: dict[str, list[float]] = {"trivial": [], "submission": [], "post": []}
        try:
            wait_for_port(port)
            resident = Resident(port)
            for i in range(args.warmup + args.submissions):
                step = resident.begin()
                first = resident.trivial() if i % 2 else None
                committed, took = resident.submit(step)
                trivial = first if first is not None else resident.trivial()
                if i >= args.warmup:
                    times["submission"].append(took)
                    times["post"].append(committed)
                    times["trivial"].append(trivial)
        finally:
            server.terminate()
            server.wait(timeout=10)
        count, left = stored(instance)
    expected = args.warmup + args.submissions
    if (count, left) != (expected, 0):
        raise SystemExit(f"expected {expected} responses and no drafts, found {count} and {left}")
    p = {k: (percentile(v, 50) * 1000, percentile(v, 95) * 1000) for k, v in times.items()}
    print(f"server: waitress, {args.threads} threads (as voxbox kiosk); SQLite WAL, "
          f"synchronous=FULL; one keep-alive client; {args.submissions} timed submissions "
          f"after {args.warmup} warm-up")
    print(f"trivial route:                    p50 {p['trivial'][0]:7.2f} ms   "
          f"p95 {p['trivial'][1]:7.2f} ms")
    print(f"submission (POST + thank-you):    p50 {p['submission'][0]:7.2f} ms   "
          f"p95 {p['submission'][1]:7.2f} ms")
    print(f"  of which the POST to its 303:   p50 {p['post'][0]:7.2f} ms   p95 {p['post'][1]:7.2f} ms")
    print(f"ratio submission / trivial:       p50 {p['submission'][0] / p['trivial'][0]:6.1f}x     "
          f"p95 {p['submission'][1] / p['trivial'][1]:6.1f}x")
    print(f"stored: {count} responses, {left} drafts left")


if __name__ == "__main__":
    main()
