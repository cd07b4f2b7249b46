"""Reports are counted alike on both databases: a hub on each."""

from __future__ import annotations

import pytest

from tests.conftest import load_demo


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def hub_on(request, make_app):  # type: ignore[no-untyped-def]
    """A hub with the demo content, on SQLite or on a fresh PostgreSQL schema."""
    config = {"DATABASE_URL": request.getfixturevalue("pg_schema")} if request.param == "postgresql" else {}
    application = make_app("hub", **config)
    with application.app_context():
        load_demo()
    return application
