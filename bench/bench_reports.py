"""Staff pages at scale: the consultation page, its report, a cross-tab and free-text search at
10,000, 100,000 and 1,000,000 responses to each of two consultations (with twice as many scans), on
SQLite and PostgreSQL.

    .venv/bin/python bench/bench_reports.py [--sizes 10000,100000,1000000] [--rounds 3]
    [--database-url postgresql://postgres@127.0.0.1:5432/test] [--slug police-budget-2027]

Each size gets a fresh hub (SQLite in a temporary instance folder, or a fresh PostgreSQL schema)
with the demo content, then synthetic responses to the budget consultation and to a survey (answers sampled through each
question type, spread over 60 days, across channels, kiosks, events and codes) and scans, loaded
with Core executemany before any timing. Each page is fetched once to warm up, then ``--rounds``
times through the app in-process (as the issue measured); the median is printed with its ratio to
the smallest size in the same run (target: at most 3x at 1,000,000 against 10,000).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchlib import database  # noqa: E402

from kiosk import create_app  # noqa: E402
from kiosk.consultations import store as consultations  # noqa: E402
from kiosk.core import auth  # noqa: E402
from kiosk.core.db import db  # noqa: E402
from kiosk.demo import content as demo  # noqa: E402
from kiosk.demo.responses import answers  # noqa: E402
from kiosk.events import store as events  # noqa: E402
from kiosk.outreach import tracking  # noqa: E402
from kiosk.outreach.models import Scan  # noqa: E402
from kiosk.reports import crosstab  # noqa: E402
from kiosk.responses.models import Response  # noqa: E402

BATCH = 5000
BEGIN = dt.datetime(2026, 9, 1)
SPAN = 60 * 86400
PASSWORD = "correct horse battery staple"


def load(app: Any, slug: str, n: int, seed: int = 1) -> dict[str, str]:
    """n responses and 2n scans for slug; returns the query strings the pages need."""
    rng = random.Random(seed)
    with app.app_context():
        defn = consultations.definition(slug)
        version = consultations.get(slug).version
        codes = [tracking.create(slug, "bus_stop", f"Stop {i}").code for i in range(20)]
        stalls = [events.create({"name": f"Stall {i}", "place": "Market", "starts_at": BEGIN}).id
                  for i in range(10)]
        kiosks = [str(uuid.uuid4()) for _ in range(5)]
        pool = [answers(rng, defn) for _ in range(2000)]  # sampling dominates otherwise; reuse
        done = 0
        while done < n:
            rows = []
            for _ in range(min(BATCH, n - done)):
                channel = rng.choice(("kiosk", "web", "web", "paper"))
                at = BEGIN + dt.timedelta(seconds=rng.randrange(SPAN))
                rows.append({
                    "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "consultation_slug": slug,
                    "version": version, "answers": rng.choice(pool), "language": "en", "channel": channel,
                    "device_id": rng.choice(kiosks) if channel == "kiosk" else None,
                    "event_id": rng.choice(stalls) if channel == "kiosk" else None,
                    "tracking_code": rng.choice(codes) if channel == "web" and rng.random() < 0.7 else None,
                    "started_at": at - dt.timedelta(seconds=rng.randint(30, 900)), "submitted_at": at,
                    "content_hash": "0" * 64, "received_at": at, "sync_state": "synced"})
            db.session.execute(insert(Response), rows)
            scans = [{"at": BEGIN + dt.timedelta(seconds=rng.randrange(SPAN)),
                      "stage": rng.choice(("scan", "scan", "start")), "code": rng.choice(codes),
                      "consultation_slug": slug, "device": rng.choice(("phone", "tablet", "desktop")),
                      "first": rng.random() < 0.7} for _ in range(2 * len(rows))]
            db.session.execute(insert(Scan), scans)
            db.session.commit()
            done += len(rows)
        closed = crosstab.closed_questions(consultations.merged_definition(slug))
    return {"crosstab": f"q={closed[0]['id']}&by=channel" if closed else ""}


def sign_in(app: Any) -> Any:
    client = app.test_client()
    page = client.get("/staff/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    r = client.post("/staff/login", data={"csrf_token": token, "email": "bench@example.org",
                                          "password": PASSWORD})
    assert r.status_code == 303, r.status_code
    return client


def pages(slug: str, survey: str, queries: dict[str, str]) -> dict[str, str]:
    """The budget consultation's page and report; the survey's cross-tab and free-text search (the
    first visit, the untimed warm-up, copies texts bulk-inserted here into the search index)."""
    return {"consultation page": f"/staff/c/{slug}", "report": f"/staff/c/{slug}/report",
            "cross-tab": f"/staff/c/{survey}/crosstab?{queries['crosstab']}",
            "free-text search": f"/staff/c/{survey}/answers?q=patrols"}


def time_pages(client: Any, urls: dict[str, str], rounds: int) -> dict[str, float]:
    out = {}
    for name, url in urls.items():
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        times = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            r = client.get(url)
            r.get_data()
            times.append(time.perf_counter() - t0)
        out[name] = statistics.median(times)
    return out


def run(size: int, args: argparse.Namespace) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, database(args.database_url, "bench_reports") as url:
        config: dict[str, Any] = {"ROLE": "hub", "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False,
                                  "TALLY_INTERVAL_SECONDS": 0, "PURGE_INTERVAL_HOURS": 0,
                                  "PUBLIC_URL": "https://voxbox.example.org", "WTF_CSRF_ENABLED": True}
        if url:
            config["DATABASE_URL"] = url
        app = create_app(config, instance_path=tmp)
        with app.app_context():
            for _line in demo.load(app):
                pass
        t0 = time.perf_counter()
        load(app, args.slug, size, seed=1)
        queries = load(app, args.survey, size, seed=2)
        with app.app_context():
            auth.create_user("bench@example.org", "Bench", PASSWORD, "admin")
        print(f"  loaded {size:,} responses and {2 * size:,} scans to each of {args.slug} and "
              f"{args.survey} in {time.perf_counter() - t0:.1f} s", flush=True)
        result = time_pages(sign_in(app), pages(args.slug, args.survey, queries), args.rounds)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="response counts, comma-separated")
    parser.add_argument("--rounds", type=int, default=3, help="timed fetches per page (median)")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: SQLite)")
    parser.add_argument("--slug", default="police-budget-2027", help="the budget consultation (page, report)")
    parser.add_argument("--survey", default="policing-priorities", help="the survey (cross-tab, search)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"database: {'PostgreSQL' if args.database_url else 'SQLite'}")
    results = {}
    for size in sizes:
        print(f"{size:,} responses", flush=True)
        results[size] = run(size, args)
        for name, t in results[size].items():
            print(f"  {name:18} {t * 1000:9.1f} ms", flush=True)
    base = results[sizes[0]]
    print(f"\n{'page':18} " + " ".join(f"{s:>12,}" for s in sizes) + f"   ratio {sizes[-1]:,}/{sizes[0]:,}")
    for name in base:
        cells = " ".join(f"{results[s][name] * 1000:10.1f}ms" for s in sizes)
        print(f"{name:18} {cells}   {results[sizes[-1]][name] / base[name]:6.1f}x")


if __name__ == "__main__":
    main()
