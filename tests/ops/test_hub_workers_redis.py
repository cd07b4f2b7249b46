"""A hub served by ``voxbox serve --workers 2`` with its rate limits in Redis: ten sign-in attempts a
minute hold across both gunicorn workers (issue 16, acceptance 6)."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import free_port
from tests.sync.conftest import Proc, deadline, run, wait_for

#: A Redis database index of this test's own; only it is flushed, before and after.
REDIS_DB = 13
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
POST = re.compile(r'"POST /staff/login HTTP/1\.[01]" (\d{3}) .* pid=<(\d+)>')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def redis_db() -> Iterator[str]:
    """This test's Redis database, empty; skipped locally (failed under CI=true) without Redis."""
    import redis

    conn = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        conn.ping()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but Redis at {REDIS_URL} is unreachable: {exc}")
        pytest.skip(f"Redis at {REDIS_URL} unreachable ({exc}); start redis-server to run this")
    conn.flushdb()
    yield REDIS_URL
    conn.flushdb()
    conn.close()


def test_ten_sign_in_attempts_a_minute_hold_across_two_gunicorn_workers(
        tmp_path: Path, redis_db: str) -> None:
    instance, port, log = tmp_path / "hub", free_port(), tmp_path / "hub.log"
    env = {"VOXBOX_RATELIMIT_STORAGE_URI": redis_db, "VOXBOX_LIMIT_SIGN_IN": "10 per minute",
           "VOXBOX_RATELIMIT_ENABLED": "true"}
    run(instance, "hub", "db", "upgrade", env=env)
    hub = Proc(instance, "hub", ["serve", "--workers", "2", "--port", str(port)], env=env,
               log=log).start()
    try:
        wait_for(f"http://127.0.0.1:{port}/staff/login", hub, timeout=60)
        assert "memory://" not in log.read_text(), "no per-process warning with Redis"
        http = requests.Session()
        form = http.get(f"http://127.0.0.1:{port}/staff/login", timeout=deadline(10))
        token = CSRF.search(form.text)
        assert token, form.text[:500]
        data = {"csrf_token": token.group(1), "email": "nobody@example.org",
                "password": "not the password"}
        served: list[tuple[int, str]] = []  # (status, worker pid) per attempt, in order
        while len(served) < 12 or len({pid for status, pid in served if status == 429}) < 2:
            assert len(served) < 40, f"after 40 attempts one worker had refused none: {served}"
            r = http.post(f"http://127.0.0.1:{port}/staff/login", data=data,
                          headers={"Connection": "close"}, timeout=deadline(10))
            served.append((r.status_code, _logged_attempt(log, len(served) + 1, r.status_code)))
            assert len(served) <= 10 or r.status_code == 429, (
                f"attempt {len(served)} was let through by worker {served[-1][1]}: {served}")
        statuses = [status for status, _pid in served]
        assert statuses[:10] == [401] * 10, served
        assert set(statuses[10:]) == {429}, served  # the 11th and every later attempt, any worker
        assert len({pid for _status, pid in served}) == 2, served
    finally:
        hub.stop()


def _logged_attempt(log: Path, n: int, status: int) -> str:
    """The pid of the worker that answered the n-th sign-in attempt, from the access log."""
    ends = time.monotonic() + deadline(10)
    while time.monotonic() < ends:
        lines = POST.findall(log.read_text())
        if len(lines) >= n:
            logged_status, pid = lines[n - 1]
            assert int(logged_status) == status, lines
            return pid
        time.sleep(0.02)
    raise AssertionError(f"attempt {n} never reached the access log:\n{log.read_text()[-3000:]}")


def test_a_kiosk_refuses_several_workers_with_a_clear_message(tmp_path: Path) -> None:
    done = run(tmp_path / "kiosk", "kiosk", "serve", "--workers", "2", check=False, timeout=60)
    assert done.returncode != 0
    assert "--workers 2 is for a hub" in done.stderr and "ROLE=kiosk" in done.stderr, done.stderr


def test_several_workers_on_memory_storage_warn_at_start_up(tmp_path: Path) -> None:
    instance, port, log = tmp_path / "hub", free_port(), tmp_path / "hub.log"
    env = {"VOXBOX_RATELIMIT_STORAGE_URI": "memory://", "VOXBOX_RATELIMIT_ENABLED": "true"}
    hub = Proc(instance, "hub", ["serve", "--workers", "2", "--port", str(port)], env=env,
               log=log).start()
    try:
        wait_for(f"http://127.0.0.1:{port}/staff/login", hub, timeout=60)
        text = log.read_text()
        assert "rate limits use memory:// with 2 worker processes" in text, text[-3000:]
        assert "RATELIMIT_STORAGE_URI" in text
    finally:
        hub.stop()
