"""Sync ingest benchmark: responses per second into the hub over HTTP against a raw executemany.

    .venv/bin/python bench/bench_sync.py [--responses 20000] [--batch 500] [--rounds 3]
    [--database-url postgresql://postgres@127.0.0.1:5432/test]

Makes the responses on a throwaway kiosk (``voxbox demo``'s synthetic answers across the open demo
consultations), builds their push bodies (gzip'd JSON, ``--batch`` items each) before any timing,
then serves a fresh hub with ``voxbox serve`` (waitress, the production server) and times, in
alternating rounds against the same ``responses`` table (emptied before each):

- **ingest**: one kiosk-like client POSTs every batch to ``/api/v1/responses`` on a keep-alive
  connection and waits for each receipt: HTTP, gunzip, schema, per-item hash and answer checks
  against the consultation version, ``INSERT … ON CONFLICT DO NOTHING`` (executemany), the
  duplicate/conflict SELECT, the receipt row, the commit and the gzip'd receipt;
- **raw**: the same rows, already converted to column values, through the database driver's own
  ``cursor.executemany`` of a plain INSERT, one commit per batch, in this process (the baseline);
- **core**: the same rows as dicts through SQLAlchemy Core's ``insert()`` executemany (its bind
  processing: JSON, times), one commit per batch: context for where the rest of the time goes.

Prints the median responses per second of each, the ratios (target: ingest within 3x of raw), a
replay of every batch (all acknowledged as duplicates), and bytes on the wire per response: the
gzip'd request and receipt bodies, and with HTTP headers. On PostgreSQL the run uses a fresh schema
in the given database and drops it afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import create_engine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchlib import database, free_port  # noqa: E402

from kiosk import create_app  # noqa: E402
from kiosk.core.db import db  # noqa: E402
from kiosk.demo import content as demo  # noqa: E402
from kiosk.devices import store as devices  # noqa: E402
from kiosk.responses.models import Response  # noqa: E402
from sync import wire  # noqa: E402

VOXBOX = str(Path(sys.executable).with_name("voxbox"))
COLUMNS = ("uuid", "consultation_slug", "version", "answers", "language", "channel", "device_id",
           "event_id", "tracking_code", "started_at", "submitted_at", "content_hash",
           "received_at", "sync_state", "synced_at", "sync_note")


def engine_url(url: str) -> str:
    """The SQLAlchemy URL voxbox uses for a PostgreSQL DATABASE_URL (psycopg 3)."""
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def kiosk_items(instance: Path, n: int, seed: int) -> list[dict]:
    """n synthetic responses made on a kiosk, as push items."""
    app = create_app({"ROLE": "kiosk"}, instance_path=str(instance))
    with app.app_context():
        for _line in demo.load(app):
            pass
        demo.synthetic_responses(app, n, seed)
        rows = db.session.execute(db.select(Response).order_by(Response.id)).scalars()
        return [wire.item(r) for r in rows]


def prepare_hub(instance: Path, database_url: str) -> str:
    """Migrate a fresh hub, import the demo consultations, enroll a device; returns its token."""
    config: dict[str, Any] = {"ROLE": "hub"}
    if database_url:
        config["DATABASE_URL"] = database_url
    app = create_app(config, instance_path=str(instance))
    with app.app_context():
        for _line in demo.load(app):
            pass
        _device, code = devices.create("bench-kiosk", 3600)
        enrolled = devices.enroll(code)
        assert enrolled is not None
        token = enrolled[1]
        db.session.remove()
        db.engine.dispose()
    return token


class Database:
    """The hub's database as the benchmark sees it: a raw DBAPI connection."""

    def __init__(self, database_url: str, hub: Path) -> None:
        self.postgres = bool(database_url)
        if self.postgres:
            import psycopg

            self.conn = psycopg.connect(database_url.replace("postgresql+psycopg://",
                                                             "postgresql://"))
            marks = ", ".join(["%s"] * len(COLUMNS))
        else:
            import sqlite3

            self.conn = sqlite3.connect(hub / "voxbox.db", timeout=30)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=FULL")  # as the hub's own connections
            marks = ", ".join(["?"] * len(COLUMNS))
        self.insert = f"INSERT INTO responses ({', '.join(COLUMNS)}) VALUES ({marks})"

    def values(self, item: dict, now: dt.datetime) -> tuple:
        """The column values the hub would store for one push item."""
        row = wire.to_row(item["record"], item["hash"])
        row.update(received_at=now, sync_state="synced", synced_at=now, sync_note=None)
        if self.postgres:
            from psycopg.types.json import Json

            row["answers"] = Json(row["answers"])
        else:  # as SQLAlchemy stores them on SQLite: JSON text, ISO times with microseconds
            row["answers"] = json.dumps(row["answers"])
            for key in ("started_at", "submitted_at", "received_at", "synced_at"):
                if row[key] is not None:
                    row[key] = row[key].strftime("%Y-%m-%d %H:%M:%S.%f")
        return tuple(row[c] for c in COLUMNS)

    def core_executemany(self, engine: Any, batches: list[list[dict]]) -> None:
        """The same rows as dicts through SQLAlchemy Core (its type processing), for context."""
        table = Response.__table__
        for batch in batches:
            with engine.begin() as conn:
                conn.execute(table.insert(), batch)

    def executemany(self, batches: list[list[tuple]]) -> None:
        """The baseline: one executemany and one commit per batch."""
        for batch in batches:
            cur = self.conn.cursor()
            cur.executemany(self.insert, batch)
            self.conn.commit()

    def clear(self) -> None:
        """Empty the responses table (and the receipts ingest leaves)."""
        cur = self.conn.cursor()
        cur.execute("DELETE FROM responses")
        cur.execute("DELETE FROM sync_receipts")
        self.conn.commit()

    def count(self) -> int:
        cur = self.conn.cursor()
        cur.execute("SELECT count(*) FROM responses")
        (n,) = cur.fetchone()
        self.conn.commit()
        return n

    def close(self) -> None:
        self.conn.close()


def push_all(url: str, token: str, bodies: list[bytes], expect: str) -> dict[str, int]:
    """POST every batch on one keep-alive connection; returns byte counts; checks each receipt."""
    http = requests.Session()
    http.headers.update({"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                         "Content-Encoding": "gzip", "User-Agent": "voxbox-sync/1"})
    sizes = {"request_body": 0, "response_body": 0, "headers": 0}
    for body in bodies:
        resp = http.post(f"{url}/api/v1/responses", data=body, timeout=120, stream=True)
        raw = resp.raw.read(decode_content=False)  # the bytes on the wire (gzip'd when large)
        if resp.status_code != 200:
            raise SystemExit(f"the hub answered {resp.status_code}: {raw[:300]!r}")
        counts = json.loads(wire.inflate(raw) if resp.headers.get("Content-Encoding") == "gzip"
                            else raw)["counts"]
        if counts[expect] != sum(counts.values()):
            raise SystemExit(f"expected every item {expect}, got {counts}")
        sizes["request_body"] += len(body)
        sizes["response_body"] += len(raw)
        request_head = ("POST /api/v1/responses HTTP/1.1\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in resp.request.headers.items()) + "\r\n")
        response_head = ("HTTP/1.1 200 OK\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in resp.headers.items()) + "\r\n")
        sizes["headers"] += len(request_head) + len(response_head)
    http.close()
    return sizes


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def wait_for(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if server.poll() is not None:
            raise SystemExit("the hub did not start")
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise SystemExit("the hub did not answer")


def main() -> None:
    """Run the benchmark and print ingest and raw insert rates, their ratio and wire bytes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=20000, help="responses per round")
    parser.add_argument("--batch", type=int, default=500, help="responses per push batch")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each (median reported)")
    parser.add_argument("--threads", type=int, default=4, help="waitress threads on the hub")
    parser.add_argument("--database-url", default="", help="a PostgreSQL URL (default SQLite)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic answers")
    args = parser.parse_args()
    with database(args.database_url, "bench_sync") as url, tempfile.TemporaryDirectory() as tmp:
        run(args, Path(tmp), url)


def run(args: argparse.Namespace, tmp: Path, database_url: str) -> None:
    n, size = args.responses, args.batch
    print(f"making {n} synthetic responses on a kiosk…", file=sys.stderr)
    items = kiosk_items(tmp / "kiosk", n, args.seed)
    chunks = [items[i:i + size] for i in range(0, n, size)]
    bodies = [wire.gzip_json({"batch_id": str(uuid.uuid4()), "items": c}) for c in chunks]
    token = prepare_hub(tmp / "hub", database_url)
    database = Database(database_url, tmp / "hub")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    raw_batches = [[database.values(it, now) for it in c] for c in chunks]
    core_batches = [[{**wire.to_row(it["record"], it["hash"]), "received_at": now,
                      "sync_state": "synced", "synced_at": now, "sync_note": None} for it in c]
                    for c in chunks]
    engine = create_engine(engine_url(database_url) if database_url
                           else f"sqlite:///{tmp / 'hub' / 'voxbox.db'}")
    env = {**os.environ, "VOXBOX_ROLE": "hub", "VOXBOX_INSTANCE": str(tmp / "hub"),
           "VOXBOX_RATELIMIT_ENABLED": "false"}
    if database_url:
        env["VOXBOX_DATABASE_URL"] = database_url
    port = free_port()
    hub_url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([VOXBOX, "serve", "--port", str(port), "--threads",
                               str(args.threads)], env=env, stdout=subprocess.DEVNULL)
    times: dict[str, list[float]] = {"ingest": [], "raw": [], "core": []}
    try:
        wait_for(f"{hub_url}/staff/login", server)
        database.clear()
        push_all(hub_url, token, bodies[:2], "accepted")  # warm up: imports, caches, pools
        for r in range(args.rounds):  # rotate the order, so drift on a shared machine hits all
            order = ("ingest", "raw", "core")[r % 3:] + ("ingest", "raw", "core")[:r % 3]
            for what in order:
                database.clear()
                if what == "ingest":
                    seconds, sizes = timed(lambda: push_all(hub_url, token, bodies, "accepted"))
                elif what == "raw":
                    seconds, _ = timed(lambda: database.executemany(raw_batches))
                else:
                    seconds, _ = timed(lambda: database.core_executemany(engine, core_batches))
                times[what].append(seconds)
                stored = database.count()
                if stored != n:
                    raise SystemExit(f"{what}: {stored} rows stored, expected {n}")
        replay, _ = timed(lambda: push_all(hub_url, token, bodies, "duplicate"))
    finally:
        server.terminate()
        server.wait(timeout=10)
        database.close()
        engine.dispose()
    ingest, raw, core = (n / statistics.median(times[k]) for k in ("ingest", "raw", "core"))
    where = "PostgreSQL" if database_url else "SQLite (WAL, synchronous=FULL)"
    print(f"hub: voxbox serve (waitress, {args.threads} threads); database: {where}; "
          f"{n} responses in batches of {size}; {args.rounds} rounds each, median")
    print(f"raw executemany (DBAPI):  {raw:8.0f} responses/s")
    print(f"Core executemany (dicts): {core:8.0f} responses/s")
    print(f"ingest over HTTP:         {ingest:8.0f} responses/s")
    print(f"replay (all duplicates):  {n / replay:8.0f} responses/s")
    print(f"ratio raw / ingest: {raw / ingest:.2f}x (target <= 3x); "
          f"Core / ingest: {core / ingest:.2f}x")
    per = {k: v / n for k, v in sizes.items()}  # type: ignore[possibly-undefined]
    print(f"bytes on the wire per response: request body {per['request_body']:.0f} (gzip), "
          f"receipt body {per['response_body']:.0f} (gzip), with HTTP headers "
          f"{per['request_body'] + per['response_body'] + per['headers']:.0f}")


if __name__ == "__main__":
    main()
