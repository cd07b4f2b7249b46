"""A fresh hub starts with several gunicorn workers: migrations run once, under a lock, and every
worker boots and serves (SQLite in the instance folder, and PostgreSQL)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.conftest import free_port
from tests.sync.conftest import deadline
from tests.sync.deploy import engine_url

WORKERS = 3


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str | None:
    return request.getfixturevalue("pg_schema") if request.param == "postgresql" else None


def test_a_fresh_hub_starts_with_three_gunicorn_workers(tmp_path: Path, database_url) -> None:
    instance, port, log = tmp_path / "hub", free_port(), tmp_path / "gunicorn.log"
    env = {**os.environ, "VOXBOX_INSTANCE": str(instance), "VOXBOX_ROLE": "hub"}
    if database_url:
        env["VOXBOX_DATABASE_URL"] = database_url
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS), "--bind",
             f"127.0.0.1:{port}", "--timeout", str(int(deadline(60))), "kiosk:create_app()"],
            stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        booted = wait_for_workers(proc, log, deadline(60))
        assert len(booted) == WORKERS, log.read_text()[-3000:]
        for _ in range(60):  # requests spread over the workers; each one answers
            r = requests.get(f"http://127.0.0.1:{port}/", timeout=deadline(10),
                             headers={"Connection": "close"})
            assert r.status_code == 200, r.text[:500]
        assert proc.poll() is None, f"the master stopped:\n{log.read_text()[-3000:]}"
        text_log = log.read_text()
        for bad in ("already exists", "UniqueViolation", "Worker failed to boot", "Traceback"):
            assert bad not in text_log, text_log[-3000:]
        url = engine_url(database_url) if database_url else f"sqlite:///{instance / 'voxbox.db'}"
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                versions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
        finally:
            engine.dispose()
        assert len(versions) == 1, versions
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(deadline(20))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)


def wait_for_workers(proc: subprocess.Popen, log: Path, timeout: float) -> set[str]:
    """The pids of workers that booted and loaded the app; fails if the master exits first."""
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        if proc.poll() is not None:
            pytest.fail(f"gunicorn exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        booted = set(re.findall(r"Booting worker with pid: (\d+)", log.read_text()))
        if len(booted) >= WORKERS and _answers(proc, log):
            return booted
        time.sleep(0.1)
    pytest.fail(f"{WORKERS} workers did not start within {timeout} s:\n{log.read_text()[-3000:]}")


def _answers(proc: subprocess.Popen, log: Path) -> bool:
    port = re.search(r"Listening at: http://127.0.0.1:(\d+)", log.read_text())
    if not port:
        return False
    try:
        requests.get(f"http://127.0.0.1:{port.group(1)}/", timeout=2)
    except requests.RequestException:
        return False
    return True
