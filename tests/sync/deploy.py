"""A hub and a kiosk as real ``voxbox`` processes, each in its own instance folder.

The end-to-end and fault tests drive them only through their CLIs and HTTP; the test process opens
the databases directly (plain SQLAlchemy engines) to check what is stored, and sets up the few things
that have no CLI (a prize draw, sealed entries) with a short-lived app on the same instance.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from kiosk import create_app
from kiosk.core.db import db
from tests.conftest import free_port
from tests.sync.conftest import Proc, run, serve

DEMO = Path(__file__).resolve().parents[2] / "kiosk" / "demo"
CODE = re.compile(r"enrollment code: (\S+)")
PIN = "4321"


def engine_url(url: str) -> str:
    """The SQLAlchemy URL voxbox would use for a DATABASE_URL (psycopg 3 for PostgreSQL)."""
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


class Deployment:
    """One hub (SQLite in its instance folder, or PostgreSQL) and one kiosk, as real processes."""

    def __init__(self, root: Path, database_url: str | None, sync: dict[str, Any] | None = None):
        self.root = root
        self.hub_dir, self.kiosk_dir = root / "hub", root / "kiosk"
        self.database_url = database_url
        self.hub_env = {"VOXBOX_DATABASE_URL": database_url} if database_url else {}
        self.kiosk_env = {"VOXBOX_STAFF_PIN": PIN,
                          **{f"VOXBOX_{k}": str(v) for k, v in (sync or {}).items()}}
        self.hub_port = free_port()
        self.hub: Proc | None = None
        self.procs: list[Proc] = []  # everything started, stopped at the end
        self._engines: dict[str, Engine] = {}

    # --- processes ---------------------------------------------------------------------------

    @property
    def hub_url(self) -> str:
        return f"http://127.0.0.1:{self.hub_port}"

    def hub_cli(self, *args: str, **kw: Any):  # type: ignore[no-untyped-def]
        """Run a voxbox command in the hub's instance."""
        return run(self.hub_dir, "hub", *args, env=self.hub_env, **kw)

    def kiosk_cli(self, *args: str, **kw: Any):  # type: ignore[no-untyped-def]
        """Run a voxbox command in the kiosk's instance."""
        return run(self.kiosk_dir, "kiosk", *args, env=self.kiosk_env, **kw)

    def kiosk_proc(self, *args: str) -> Proc:
        """A kiosk command as a process the test can kill (not started)."""
        proc = Proc(self.kiosk_dir, "kiosk", list(args), env=self.kiosk_env,
                    log=self.root / "kiosk-cli.log")
        self.procs.append(proc)
        return proc

    def set_up_hub(self) -> None:
        """Import the demo consultations on the hub (no demo responses: the hub starts empty)."""
        self.hub_cli("consultations", "import", *map(str, sorted(DEMO.glob("*.yaml"))))

    def start_hub(self) -> Proc:
        """Serve the hub on its fixed port (again after a kill) and wait until it answers."""
        self.hub, _port = serve(self.hub_dir, "hub", self.hub_port, env=self.hub_env,
                                log=self.root / "hub.log")
        self.procs.append(self.hub)
        return self.hub

    def serve_kiosk(self) -> tuple[Proc, str]:
        """Serve the kiosk's own pages (touch flow, staff panel); returns (process, base URL)."""
        proc, port = serve(self.kiosk_dir, "kiosk", env=self.kiosk_env,
                           log=self.root / "kiosk-server.log")
        self.procs.append(proc)
        return proc, f"http://127.0.0.1:{port}"

    def enroll(self, hub_url: str | None = None, name: str = "stall-tablet") -> str:
        """`voxbox devices add` on the hub, `voxbox sync enroll` on the kiosk; returns the code."""
        added = self.hub_cli("devices", "add", name)
        code = CODE.search(added.stdout)
        assert code, added.stdout
        self.kiosk_cli("sync", "enroll", hub_url or self.hub_url, code.group(1))
        return code.group(1)

    def stop(self) -> None:
        """Stop every process started and close the test's own connections."""
        for proc in self.procs:
            proc.stop()
        for engine in self._engines.values():
            engine.dispose()

    # --- what is stored -------------------------------------------------------------------------

    def engine(self, side: str) -> Engine:
        """A plain engine on the hub's or the kiosk's database."""
        if side not in self._engines:
            if side == "hub" and self.database_url:
                url = engine_url(self.database_url)
            else:
                url = f"sqlite:///{(self.hub_dir if side == 'hub' else self.kiosk_dir) / 'voxbox.db'}"
            self._engines[side] = create_engine(url)
        return self._engines[side]

    def scalar(self, side: str, sql: str, **params: Any) -> Any:
        with self.engine(side).connect() as conn:
            return conn.execute(text(sql), params).scalar()

    def rows(self, side: str, sql: str, **params: Any) -> list[Any]:
        with self.engine(side).connect() as conn:
            return list(conn.execute(text(sql), params))

    def hub_hashes(self) -> dict[str, str]:
        """{uuid: content hash} of every response on the hub."""
        return dict(self.rows("hub", "SELECT uuid, content_hash FROM responses"))

    def hub_rehashed(self) -> dict[str, str]:
        """{uuid: SHA-256 of the wire record rebuilt from the hub's stored columns}."""
        from sqlalchemy import select

        from kiosk.responses.models import Response
        from kiosk.responses.store import content_hash, wire

        with self.app("hub"):
            return {r.uuid: content_hash(wire(r))
                    for r in db.session.execute(select(Response)).scalars()}

    def kiosk_hashes(self) -> dict[str, str]:
        """{uuid: content hash} of every response on the kiosk."""
        return dict(self.rows("kiosk", "SELECT uuid, content_hash FROM responses"))

    def kiosk_states(self, table: str = "responses") -> dict[str, int]:
        """Kiosk rows by sync state."""
        return dict(self.rows("kiosk", f"SELECT sync_state, count(*) FROM {table} "
                                       "GROUP BY sync_state"))

    def progress(self) -> tuple[int, int]:
        """(responses stored on the hub, responses marked synced on the kiosk)."""
        return (self.scalar("hub", "SELECT count(*) FROM responses"),
                self.scalar("kiosk", "SELECT count(*) FROM responses WHERE sync_state = 'synced'"))

    # --- set-up with no CLI ---------------------------------------------------------------------

    @contextmanager
    def app(self, side: str) -> Iterator[Flask]:
        """A short-lived app on the hub's or kiosk's instance, inside its app context."""
        config: dict[str, Any] = {"ROLE": side, "TESTING": True}
        if side == "hub" and self.database_url:
            config["DATABASE_URL"] = self.database_url
        application = create_app(config, instance_path=str(
            self.hub_dir if side == "hub" else self.kiosk_dir))
        with application.app_context():
            try:
                yield application
            finally:
                db.session.remove()
                db.engine.dispose()

    def make_draw(self) -> str:
        """Define an open prize draw on the hub for the demo consultations; returns its id."""
        from kiosk.core.timeutil import utcnow
        from kiosk.draws import store as draws

        with self.app("hub"):
            return draws.define({
                "prize": {"en": "A £50 voucher"}, "rules": {"en": "One entry per person."},
                "consultations": ["policing-priorities", "police-budget-2027"], "winners": 3,
                "reserves": 2, "claim_days": 28,
                "closes_at": utcnow() + dt.timedelta(days=7)}).id

    def queue_entries(self, draw_id: str, n: int, start: int = 0) -> set[str]:
        """Seal n entries on the kiosk (after its pull brought the draw and key); returns ids."""
        from kiosk.draws import store as draws
        from sync import keys

        with self.app("kiosk") as kiosk:
            draw, key = draws.get(draw_id), keys.hub_public_key(kiosk)
            assert draw is not None and key is not None, "pull the hub's draws and key first"
            records = [draws.seal_entry(draw, f"Resident {i}", f"resident{i}@example.org", key,
                                        "kiosk")[0] for i in range(start, start + n)]
            stored = draws.insert_entries(records, "queued")
            db.session.commit()
        assert len(stored) == n
        return stored

    def entry_hashes(self, side: str) -> dict[str, str]:
        """{entry id: content hash} of the prize-draw entries on one side."""
        return dict(self.rows(side, "SELECT id, content_hash FROM draw_entries"))


# --- a resident and a staff member at the kiosk's own server --------------------------------------

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
STEPS = [{"safe_day": "3"}, {"top_concern": "drugs"}, {"contact": ["social"]},
         {"rank_priorities.visible": "1", "rank_priorities.victims": "2",
          "rank_priorities.roads": "3", "rank_priorities.online": "4"},
         {"comments": ""}]


def csrf(http: requests.Session, url: str) -> str:
    """GET a page and return its CSRF token."""
    page = http.get(url, timeout=10)
    found = CSRF.search(page.text)
    assert found, f"no CSRF token on {url} ({page.status_code})"
    return found.group(1)


def resident_visit(base: str, draw_id: str | None, contact: str) -> None:
    """Answer policing-priorities on the kiosk's pages, then enter the draw the thank-you offers."""
    http = requests.Session()
    token = csrf(http, f"{base}/kiosk/")
    r = http.post(f"{base}/kiosk/c/policing-priorities", data={"csrf_token": token},
                  allow_redirects=False, timeout=10)
    for i, answers in enumerate(STEPS):
        assert r.status_code == 303, r.text[:500]
        action = "submit" if i == len(STEPS) - 1 else "next"
        r = http.post(urljoin(base, r.headers["Location"]), allow_redirects=False, timeout=10,
                      data={"csrf_token": token, "action": action, **answers})
    assert r.status_code == 303 and r.headers["Location"].endswith("/kiosk/thanks"), r.text[:500]
    thanks = http.get(urljoin(base, r.headers["Location"]), timeout=10)
    assert thanks.status_code == 200
    if draw_id:
        assert f"/kiosk/draw/{draw_id}" in thanks.text, "the thank-you page offers the draw"
        entered = http.post(f"{base}/kiosk/draw/{draw_id}", timeout=10, data={
            "csrf_token": token, "opt_in": "yes", "name": "A Resident", "contact": contact})
        assert entered.status_code == 200, entered.text[:500]
    http.get(f"{base}/kiosk/", timeout=10)  # back to the start screen: the visit is over


def staff_session(base: str) -> tuple[requests.Session, str]:
    """A session signed in to the kiosk's staff panel with the PIN; returns (session, token)."""
    http = requests.Session()
    token = csrf(http, f"{base}/kiosk/staff/pin")
    r = http.post(f"{base}/kiosk/staff/pin", data={"csrf_token": token, "pin": PIN},
                  allow_redirects=False, timeout=10)
    assert r.status_code == 303, r.text[:500]
    return http, token
