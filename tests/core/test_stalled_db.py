"""A hub whose PostgreSQL connections are black-holed answers every request within seconds (503
while the database is away) and serves normally again within seconds of its return, by itself."""

from __future__ import annotations

import time

import pytest
import requests

from tests.sync.conftest import deadline
from tests.sync.deploy import Deployment
from tests.sync.tcpproxy import Blackhole

HOLD = 60  # seconds the database is away, as in the acceptance test
#: Any request must be answered within this (the hub's bounds below add up to about 5 s).
ANSWER_WITHIN = 12


@pytest.mark.postgres
@pytest.mark.slow
def test_a_black_holed_database_gives_fast_503s_and_the_hub_recovers(tmp_path, pg_schema) -> None:
    hole = Blackhole(5432)
    url = pg_schema.replace("127.0.0.1:5432", f"127.0.0.1:{hole.port}", 1)
    assert url != pg_schema, "the test database URL must name 127.0.0.1:5432"
    d = Deployment(tmp_path, url)
    d.hub_env.update({"VOXBOX_DB_CONNECT_TIMEOUT": "2", "VOXBOX_DB_STATEMENT_TIMEOUT_MS": "2000",
                      "VOXBOX_DB_TCP_USER_TIMEOUT_MS": "2000"})
    page, spec = "/c/policing-priorities", "/api/v1/openapi.json"
    try:
        d.set_up_hub()
        d.start_hub()
        for path in (page, spec):
            assert requests.get(d.hub_url + path, timeout=deadline(10)).status_code == 200
        hole.hold()
        away_until = time.monotonic() + HOLD
        seen: list[tuple[str, int, float]] = []
        while time.monotonic() < away_until:
            for path in (page, spec, "/"):
                began = time.monotonic()
                try:
                    r = requests.get(d.hub_url + path, timeout=deadline(ANSWER_WITHIN))
                except requests.Timeout:
                    pytest.fail(f"{path} got no answer within {deadline(ANSWER_WITHIN)} s with the "
                                f"database away; answers so far: {seen}")
                seen.append((path, r.status_code, round(time.monotonic() - began, 1)))
        statuses = {status for _path, status, _s in seen}
        assert statuses <= {200, 503}, seen
        assert any(p == page and s == 503 for p, s, _ in seen), f"never a 503: {seen}"
        assert all(s == 200 for p, s, _ in seen if p == spec), f"the spec needs no database: {seen}"
        hole.release()
        back_by = time.monotonic() + deadline(15)
        while True:
            r = requests.get(d.hub_url + page, timeout=deadline(ANSWER_WITHIN))
            if r.status_code == 200:
                break
            assert time.monotonic() < back_by, f"the hub did not recover: {r.status_code}"
            time.sleep(0.2)
        assert "Submit my answers" in r.text
    finally:
        d.stop()
        hole.close()
