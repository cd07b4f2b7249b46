"""Bounded waits on PostgreSQL: no request waits on the database for longer than it should.

libpq's keepalives and ``tcp_user_timeout`` end a connection whose packets vanish, and the server's
``statement_timeout`` and ``lock_timeout`` end slow work; but a server (or a path) that takes the
bytes and never answers would still hold a thread for ever. So each connection also bounds how long
it waits for an answer: briefly for the pool's pre-ping of an idle connection (a dead one is
replaced at once), and a little beyond ``statement_timeout`` for real work. A connection that
times out is closed, so the pool never hands it out again, and the request gets a fast 503.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import errors
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect
    from sqlalchemy.engine.interfaces import DBAPIConnection
    from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

#: Keys in connect_args that are ours, not libpq's (taken out before connecting).
PING_KEY, ANSWER_KEY = "voxbox_ping_timeout", "voxbox_answer_timeout"


class BoundedConnection(psycopg.Connection):
    """A psycopg connection that gives up on a server that does not answer in time."""

    ping_timeout: float = 5.0
    answer_timeout: float = 20.0
    waiting_for: float = 20.0

    def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
        """Wait for the server as psycopg does, but never longer than this connection's bound."""
        bound = self.waiting_for if timeout is None else min(timeout, self.waiting_for)
        try:
            return super().wait(gen, interval, bound)
        except errors._WaitTimeout:  # noqa: SLF001  (psycopg's own timeout signal)
            self.pgconn.finish()  # closed: SQLAlchemy sees a disconnect and drops it from the pool
            raise psycopg.OperationalError(
                f"no answer from PostgreSQL within {bound:g} s; connection dropped") from None


@event.listens_for(Engine, "do_connect")
def _bounded_connect(dialect: Dialect, _record: ConnectionPoolEntry, cargs: list[Any],
                     cparams: dict[str, Any]) -> BoundedConnection | None:
    """Open PostgreSQL connections as BoundedConnection when the app asked for bounds."""
    if dialect.name != "postgresql" or ANSWER_KEY not in cparams:
        return None
    ping, answer = cparams.pop(PING_KEY), cparams.pop(ANSWER_KEY)
    conn = BoundedConnection.connect(*cargs, **cparams)
    conn.ping_timeout, conn.answer_timeout = float(ping), float(answer)
    conn.waiting_for = conn.answer_timeout
    return conn


@event.listens_for(Pool, "checkin")
def _idle(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    """Back in the pool: the next wait on it is the pre-ping, so use the short bound."""
    if isinstance(dbapi_connection, BoundedConnection):
        dbapi_connection.waiting_for = dbapi_connection.ping_timeout


@event.listens_for(Pool, "checkout")
def _busy(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry,
          _proxy: PoolProxiedConnection) -> None:
    """Pinged and handed to a request: real work gets the full bound."""
    if isinstance(dbapi_connection, BoundedConnection):
        dbapi_connection.waiting_for = dbapi_connection.answer_timeout
