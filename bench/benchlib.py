"""What the benchmarks share: a free port, waiting for a server, a throwaway PostgreSQL schema."""

from __future__ import annotations

import contextlib
import socket
import time
import uuid
from collections.abc import Callable, Iterator


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30, alive: Callable[[], bool] = lambda: True) -> None:
    """Wait until something accepts connections on the port (SystemExit if it never does)."""
    end = time.time() + timeout
    while time.time() < end:
        if not alive():
            raise SystemExit("the server exited before it answered")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing answered on port {port} within {timeout:g} s")


@contextlib.contextmanager
def database(url: str, prefix: str) -> Iterator[str]:
    """The URL to run against: empty (SQLite in the instance) stays empty; a PostgreSQL URL gets
    a fresh schema of its own for the run, dropped afterwards, so no earlier run's rows count."""
    if not url:
        yield ""
        return
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    base = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    try:
        sep = "&" if "?" in base else "?"
        yield f"{base}{sep}options=-csearch_path%3D{name}"
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {name} CASCADE")
