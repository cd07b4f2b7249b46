"""Private instance files: secrets and databases only the service account may read (mode 0600).

Every file in the instance folder that holds a secret or residents' data is made here: the
secret key, the staff PIN, the demo password, the hub's private key, the device id and the SQLite
database with its ``-wal`` and ``-shm`` files. One function creates them, so none is ever
world-readable for a moment, whatever the umask.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

MODE = 0o600
#: What SQLite writes beside a database: its write-ahead log and shared-memory index.
SQLITE_SIDECARS = ("-wal", "-shm", "-journal")


def create(path: Path, data: bytes) -> bool:
    """Write a new private file (0600, fsynced); False if it already existed (it is left alone)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, MODE)
    except FileExistsError:  # another process made it first: theirs stands
        return False
    with os.fdopen(fd, "wb") as fh:
        os.fchmod(fh.fileno(), MODE)
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return True


def read_or_create(path: Path, make: Callable[[], bytes]) -> bytes:
    """The file's bytes, creating it privately from make() on first use."""
    if not path.exists():
        create(path, make())
    tighten(path)
    return path.read_bytes()


def read_or_create_text(path: Path, make: Callable[[], str]) -> str:
    """The file's text (stripped), creating it privately from make() on first use."""
    return read_or_create(path, lambda: make().encode()).decode().strip()


def tighten(path: Path) -> None:
    """Take group and world access away from an existing file (made by an older version)."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if mode & 0o077:
        path.chmod(mode & 0o700)


def prepare_sqlite(database: Path) -> None:
    """Create an SQLite database file 0600 before SQLite opens it; SQLite then gives its -wal and
    -shm files the database's own mode. Files left by an older version are tightened."""
    database.parent.mkdir(parents=True, exist_ok=True)
    create(database, b"")
    for path in (database, *(Path(f"{database}{suffix}") for suffix in SQLITE_SIDECARS)):
        tighten(path)
