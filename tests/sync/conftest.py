"""Sync fixtures: hubs on SQLite and PostgreSQL, enrolled kiosks, push items, hub processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import select

from kiosk.core.db import db
from kiosk.demo import content as demo
from kiosk.devices import store as devices
from kiosk.responses.models import Response
from sync import client, wire
from tests.conftest import LiveServer, free_port, load_demo

PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
VOXBOX = str(Path(sys.executable).with_name("voxbox"))
#: Multiplies every deadline in these tests: raise it on a slow or busy machine (CI uses 1, or
#: what the environment says), so a wait fails only when something is really stuck.
SLOWDOWN = max(1.0, float(os.environ.get("VOXBOX_TEST_SLOWDOWN") or 1))


def deadline(seconds: float) -> float:
    """A wait of ``seconds`` on a quiet machine, scaled by VOXBOX_TEST_SLOWDOWN."""
    return seconds * SLOWDOWN


def postgres_or_skip() -> None:
    """Skip (locally) or fail (CI=true) when the local PostgreSQL server is not reachable."""
    import psycopg

    try:
        psycopg.connect(PG_URL, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but PostgreSQL at {PG_URL} is unreachable: {exc}")
        pytest.skip(f"PostgreSQL at {PG_URL} unreachable ({exc}); sync PostgreSQL tests skipped")


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """A fresh PostgreSQL schema for one test, dropped afterwards; yields the database URL."""
    import psycopg

    postgres_or_skip()
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    yield f"{PG_URL}?options=-csearch_path%3D{name}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {name} CASCADE")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def hub(request: pytest.FixtureRequest, make_app: Callable[..., Flask]) -> Iterator[Flask]:
    """A hub with the demo consultations, on SQLite and on PostgreSQL (a fresh schema)."""
    config: dict[str, Any] = {}
    if request.param == "postgresql":
        config["DATABASE_URL"] = request.getfixturevalue("pg_schema")
    app = make_app("hub", **config)
    with app.app_context():
        load_demo()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


class Server(LiveServer):
    """A LiveServer that stops from inside its own loop, so no thread polls a closed socket."""

    def stop(self) -> None:
        from waitress import wasyncore

        srv = self.server
        srv.trigger.pull_trigger(lambda: wasyncore.close_all(srv._map))  # type: ignore[attr-defined]
        self.thread.join(10)
        srv.task_dispatcher.shutdown()


@pytest.fixture
def live_hub(hub: Flask) -> Iterator[LiveServer]:
    """The hub served by waitress on loopback."""
    server = Server(hub)
    yield server
    server.stop()


def add_device(hub_app: Flask, name: str = "kiosk-1") -> tuple[str, str]:
    """Create and enroll a device on the hub; returns (device id, token)."""
    with hub_app.app_context():
        _device, code = devices.create(name, 3600)
        enrolled = devices.enroll(code)
        assert enrolled is not None
        return enrolled[0].id, enrolled[1]


@pytest.fixture
def make_kiosk(make_app: Callable[..., Flask]) -> Callable[..., Flask]:
    """Kiosk apps enrolled with a live hub through the real enroll endpoint."""

    def factory(hub_server: LiveServer, name: str | None = None, **config: Any) -> Flask:
        app = make_app("kiosk", **{"SYNC_RETRIES": 3, "SYNC_BACKOFF_MAX": 0.2, **config})
        with hub_server.app.app_context():
            _device, code = devices.create(name or f"k-{uuid.uuid4().hex[:6]}", 3600)
        with app.app_context():
            load_demo()
            client.enroll(app, hub_server.url, code)
        return app

    return factory


def queue(app: Flask, n: int, seed: int = 1) -> None:
    """Add n valid synthetic responses to an app's database (loading the demo first)."""
    with app.app_context():
        load_demo()
        demo.synthetic_responses(app, n, seed)


def items_of(app: Flask, state: str | None = "queued") -> list[dict]:
    """Push items for the app's responses (in a given sync state), oldest first."""
    with app.app_context():
        q = select(Response).order_by(Response.id)
        if state:
            q = q.filter_by(sync_state=state)
        return [wire.item(r) for r in db.session.execute(q).scalars()]


def hub_hashes(app: Flask) -> dict[str, str]:
    """{uuid: content hash} of every response the app holds."""
    with app.app_context():
        return dict(db.session.execute(select(Response.uuid, Response.content_hash)).all())


def states(app: Flask) -> dict[str, int]:
    """Count of responses by sync state."""
    with app.app_context():
        info = client.status(app)
    return {k: info[k] for k in ("queued", "synced", "conflict", "rejected")}


def post_items(url: str, token: str, items: list[dict], session: requests.Session | None = None,
               gzip: bool = True) -> requests.Response:
    """POST a push batch as a kiosk would."""
    body = {"batch_id": str(uuid.uuid4()), "items": items}
    http = session or requests
    if gzip:
        return http.post(f"{url}/api/v1/responses", data=wire.gzip_json(body), timeout=60,
                         headers={"Authorization": f"Bearer {token}",
                                  "Content-Type": "application/json", "Content-Encoding": "gzip"})
    return http.post(f"{url}/api/v1/responses", json=body, timeout=60,
                     headers={"Authorization": f"Bearer {token}"})


# --- real server processes ------------------------------------------------------------------------


class Proc:
    """A ``voxbox`` process in its own instance folder (a hub or kiosk server, or a CLI run)."""

    def __init__(self, instance: Path, role: str, args: list[str], env: dict[str, str] | None = None,
                 log: Path | None = None) -> None:
        self.instance, self.role, self.args = instance, role, args
        self.env = {**os.environ, "VOXBOX_ROLE": role, **(env or {})}
        self.env.pop("VOXBOX_INSTANCE", None)
        self.log = log or instance.parent / f"{instance.name}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> Proc:
        """Start the process, appending its output to the log."""
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen([VOXBOX, "--instance", str(self.instance), *self.args],
                                         stdout=out, stderr=subprocess.STDOUT, env=self.env,
                                         start_new_session=True)
        return self

    def kill(self) -> None:
        """kill -9, as a power cut or a crash would."""
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            try:
                self.proc.wait(deadline(10))
            except subprocess.TimeoutExpired:
                raise AssertionError(f"voxbox {' '.join(self.args)} (pid {self.proc.pid}) did not "
                                     f"die within {deadline(10)} s of SIGKILL") from None

    def stop(self) -> None:
        """Terminate politely, then kill."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(deadline(10))
            except subprocess.TimeoutExpired:
                self.kill()


def run(instance: Path, role: str, *args: str, env: dict[str, str] | None = None,
        check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run one voxbox CLI command to completion (killed, and the test failed, after ``timeout``
    seconds scaled by VOXBOX_TEST_SLOWDOWN)."""
    full_env = {**os.environ, "VOXBOX_ROLE": role, **(env or {})}
    full_env.pop("VOXBOX_INSTANCE", None)
    try:
        done = subprocess.run([VOXBOX, "--instance", str(instance), *args], capture_output=True,
                              text=True, env=full_env, timeout=deadline(timeout))
    except subprocess.TimeoutExpired as exc:  # subprocess.run has killed the child already
        raise AssertionError(f"voxbox {' '.join(args)} did not finish within "
                             f"{deadline(timeout)} s:\n{exc.stdout}\n{exc.stderr}") from None
    if check and done.returncode != 0:
        raise AssertionError(f"voxbox {' '.join(args)} failed ({done.returncode}):\n"
                             f"{done.stdout}\n{done.stderr}")
    return done


def serve(instance: Path, role: str, port: int | None = None, **kw: Any) -> tuple[Proc, int]:
    """Start ``voxbox serve`` and wait until it answers."""
    port = port or free_port()
    proc = Proc(instance, role, ["serve", "--port", str(port)], **kw).start()
    wait_for(f"http://127.0.0.1:{port}/staff/login", proc)
    return proc, port


def wait_for(url: str, proc: Proc | None = None, timeout: float = 30) -> None:
    """Poll a URL until it answers (any status), for ``timeout`` seconds scaled by the slowdown."""
    timeout = deadline(timeout)
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        if proc and proc.proc and proc.proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.log.read_text()[-3000:]}")
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.05)
    raise AssertionError(f"{url} did not answer in {timeout}s")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def deploy(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """A factory of a real hub (SQLite, or PostgreSQL in a fresh schema) and kiosk deployment;
    keyword arguments are kiosk settings (``SYNC_BATCH_SIZE=200``…)."""
    from tests.sync.deploy import Deployment

    url = request.getfixturevalue("pg_schema") if request.param == "postgresql" else None
    made: list[Deployment] = []

    def factory(**sync: Any) -> Deployment:
        made.append(Deployment(tmp_path, url, sync))
        return made[-1]

    yield factory
    for d in made:
        d.stop()
