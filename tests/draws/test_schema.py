"""Acceptance 2: nothing in the schema links a draw entry to a response."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import inspect

from kiosk.core.db import db

PERSONAL_TABLES = ("draw_entries",)


@pytest.mark.parametrize("role", ["hub", "kiosk"])
def test_entries_have_no_link_to_responses(make_app, role: str) -> None:
    app = make_app(role)
    with app.app_context():
        insp = inspect(db.engine)
        tables = insp.get_table_names()
        assert "draw_entries" in tables and "responses" in tables
        entry_fks = insp.get_foreign_keys("draw_entries")
        assert [(fk["referred_table"], fk["constrained_columns"]) for fk in entry_fks] == [
            ("draws", ["draw_id"])]
        columns = {c["name"]: c for c in insp.get_columns("draw_entries")}
        assert not [n for n in columns if any(w in n for w in ("response", "uuid", "device",
                                                               "event", "session", "consult"))]
        # only a date: no column that could order an entry next to a response by time
        timed = [n for n, c in columns.items() if "TIME" in str(c["type"]).upper()]
        assert timed == []
        assert str(columns["entered_on"]["type"]).upper() == "DATE"
        # and nothing points the other way, from any table to the entries or draws
        for table in tables:
            for fk in insp.get_foreign_keys(table):
                if fk["referred_table"] in ("draw_entries",):
                    pytest.fail(f"{table} references draw_entries")
                if table == "responses":
                    assert fk["referred_table"] not in ("draws", "draw_entries")
        response_columns = {c["name"] for c in insp.get_columns("responses")}
        assert not [n for n in response_columns if "draw" in n or "entry" in n]


def test_sqlite_stores_entries_in_random_id_order_not_insertion_order(make_app) -> None:
    """WITHOUT ROWID: no hidden sequential rowid lines the n-th entry up with the n-th response."""
    app = make_app("kiosk")
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        sql = conn.execute("select sql from sqlite_master where name='draw_entries'").fetchone()[0]
        assert "WITHOUT ROWID" in sql.upper()
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("select rowid from draw_entries")
