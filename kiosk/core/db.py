"""Database handle, SQLite pragmas and in-place migrations."""

from __future__ import annotations

import fcntl
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import DeclarativeBase

from kiosk.core.private_files import prepare_sqlite
from kiosk.core.revisions import MIGRATIONS, head_revision

if TYPE_CHECKING:
    from sqlalchemy.engine import CursorResult, Result

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)

_busy_timeout_ms = 5000


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL, full fsync, foreign keys and a busy timeout on every SQLite connection."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA secure_delete=ON")  # purged contacts are zeroed, not left in free pages
    cur.execute(f"PRAGMA busy_timeout={int(_busy_timeout_ms)}")
    # Checkpoint the WAL every ~800 KB and shrink it back to 1 MB after: on a small or nearly
    # full disk the log never grows into the room kept for marking a sync receipt.
    cur.execute("PRAGMA wal_autocheckpoint=200")
    cur.execute("PRAGMA journal_size_limit=1048576")
    cur.close()


def init_app(app: Flask) -> None:
    """Bind the database and migrations to the app."""
    global _busy_timeout_ms
    _busy_timeout_ms = app.config["SQLITE_BUSY_TIMEOUT_MS"]

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgresql"):  # psycopg and its bounded waits only where they are used
        from kiosk.core import db_waits  # noqa: F401  (its listeners bound every wait on PostgreSQL)
    _private_sqlite_file(url)
    db.init_app(app)


def with_migrations(app: Flask) -> None:
    """Attach Flask-Migrate (Alembic) to the app, once. Deferred on purpose: Alembic is loaded only
    by ``voxbox db …`` and by a start-up that has a migration to apply."""
    if "migrate" not in app.extensions:
        from flask_migrate import Migrate

        Migrate(app, db, directory=MIGRATIONS, render_as_batch=True)


def _private_sqlite_file(url: str) -> None:
    """An SQLite database holds residents' answers: create it (and so its WAL) mode 0600."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        prepare_sqlite(Path(parsed.database))


def upgrade_in_place(app: Flask, revision: str = "head") -> None:
    """Apply pending migrations so a kiosk upgrades with its queue intact; one process at a time,
    so every worker of a multi-worker hub may start on a fresh instance (the first migrates, the
    others wait, then find nothing to do)."""
    with app.app_context():
        if revision == "head" and _current_revision() == head_revision():
            return  # nothing to do: no Alembic run (it costs a kiosk command a tenth of a second)
        from flask_migrate import upgrade

        with_migrations(app)
        with migration_lock(app):
            upgrade(directory=MIGRATIONS, revision=revision)


def _current_revision() -> str | None:
    """The revision this database is at (None: a new database, or one Alembic never stamped)."""
    try:
        with db.engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (OperationalError, ProgrammingError):
        return None


#: Any fixed number: the PostgreSQL advisory lock that serialises migrations across processes.
MIGRATION_LOCK_ID = 0x766F78626F78  # "voxbox"


@contextmanager
def migration_lock(app: Flask) -> Iterator[None]:
    """Hold a lock shared by every process of this instance (a lock file in the instance folder)
    and, on PostgreSQL, of every machine using its database (an advisory lock)."""
    path = Path(app.instance_path) / "migrate.lock"
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            if db.engine.dialect.name != "postgresql":
                yield
                return
            with db.engine.connect() as conn:
                # another process may migrate for longer than the usual statement/lock bounds
                conn.execute(text("SET statement_timeout = 0"))
                conn.execute(text("SET lock_timeout = 0"))
                conn.execute(text("SELECT pg_advisory_lock(:id)"), {"id": MIGRATION_LOCK_ID})
                try:
                    yield
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": MIGRATION_LOCK_ID})
                    conn.execute(text("RESET statement_timeout"))
                    conn.execute(text("RESET lock_timeout"))
                    conn.commit()
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def dialect_insert(table: Any, bind: Any = None) -> Any:
    """The database's own INSERT (it has ON CONFLICT) for a table or model: the one place that
    picks PostgreSQL's or SQLite's. ``bind`` is an engine or connection (default: the session's)."""
    from sqlalchemy.dialects import postgresql, sqlite

    name = (bind if bind is not None else db.session.get_bind()).dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise RuntimeError(f"voxbox supports SQLite and PostgreSQL, not {name}")


def rowcount(result: Result[Any]) -> int:
    """Rows a bulk UPDATE or DELETE run in the session matched.

    The session returns a CursorResult for those but types every result as Result
    (sqlalchemy/sqlalchemy#12913), so this only narrows the type."""
    return cast("CursorResult[Any]", result).rowcount
