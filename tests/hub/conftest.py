"""Hub fixtures: a resident's fresh browser, tracking codes, a PostgreSQL-backed hub."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk.outreach import tracking

PHONE_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture
def resident(app: Flask) -> FlaskClient:
    """A fresh phone browser: its own cookie jar, a phone User-Agent."""
    c = app.test_client()
    c.environ_base["HTTP_USER_AGENT"] = PHONE_UA
    return c


@pytest.fixture
def make_code(app: Flask) -> Callable[..., str]:
    """Create a tracking code for a consultation; returns the code."""

    def make(slug: str = "policing-priorities", kind: str = "bus_stop", label: str = "Stop 14") -> str:
        with app.app_context():
            return tracking.create(slug, kind, label).code

    return make


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A throwaway database on the local PostgreSQL server (skips locally without one)."""
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but PostgreSQL is not reachable: {exc}")
        pytest.skip(f"no PostgreSQL at 127.0.0.1:5432 ({exc})")
    name = f"voxbox_hub_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
