"""Migrations: a kiosk database made at the first revision upgrades with its queue intact."""

from __future__ import annotations

import sqlite3
import uuid

from sqlalchemy import text

from kiosk.core.db import db, upgrade_in_place


def test_first_revision_to_head_keeps_every_response(make_app) -> None:
    app = make_app("kiosk", AUTO_MIGRATE=False)
    ids = [str(uuid.uuid4()) for _ in range(25)]
    with app.app_context():
        upgrade_in_place(app, "0001")
        for i, u in enumerate(ids):
            db.session.execute(text(
                "insert into responses (uuid, consultation_slug, version, answers, language, channel,"
                " submitted_at, content_hash, received_at, sync_state) values (:u, 'c', 1, :a, 'en',"
                " 'kiosk', '2026-11-01 10:00:00', :h, '2026-11-01 10:00:00', 'queued')"),
                {"u": u, "a": f'{{"q": {i}}}', "h": f"{i:064d}"})
        db.session.commit()
        upgrade_in_place(app, "head")
        got = db.session.execute(text("select uuid, answers, content_hash, sync_state from responses"
                                      " order by id")).all()
    assert [g[0] for g in got] == ids
    assert all(g[3] == "queued" for g in got)
    assert [g[2] for g in got] == [f"{i:064d}" for i in range(25)]


def test_sqlite_pragmas_are_set(app) -> None:
    with app.app_context():
        conn = db.engine.raw_connection()
        try:
            cur = conn.cursor()
            assert cur.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cur.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
            assert cur.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            assert cur.execute("PRAGMA busy_timeout").fetchone()[0] > 0
        finally:
            conn.close()
    assert isinstance(sqlite3.sqlite_version, str)


def test_db_upgrade_command_is_idempotent(app) -> None:
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output


def test_the_migrations_build_exactly_the_models(app) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with app.app_context(), db.engine.connect() as conn:
        # The SQLite full-text index (FTS5 and its shadow tables) is made by SQL, not by a model.
        context = MigrationContext.configure(conn, opts={"render_as_batch": True, "include_name": lambda name, kind, _p: not (
            kind == "table" and name.startswith("text_answers_fts"))})
        assert compare_metadata(context, db.metadata) == []  # a model changed without a migration
