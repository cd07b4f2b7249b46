"""Backups: a consistent copy of the database and the instance's key files, in one dated folder.

SQLite is copied with the online backup API (a consistent snapshot while the server keeps writing);
PostgreSQL with ``pg_dump --format=custom``. The key files travel with it: without ``secret_key``
every session and CSRF token dies, without ``hub_x25519.pem`` the sealed prize-draw entries cannot
be opened, and without ``draw_dedupe.key`` duplicates can no longer be matched. README "Deploying a
hub" has the restore procedure.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from flask import Flask
from sqlalchemy import text
from sqlalchemy.engine import URL

from kiosk.core.db import db
from kiosk.core.timeutil import utcnow

#: Instance files a restore needs, copied when present (a kiosk has device_id, a hub the keys).
KEY_FILES = ("config.py", "secret_key", "draw_dedupe.key", "hub_x25519.pem", "staff_pin",
             "device_id", "demo_password")
SQLITE_FILE = "voxbox.db"
PG_FILE = "voxbox.pgdump"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup that could not be made; nothing was left in the backup folder."""


def make(app: Flask, target: Path) -> Path:
    """Back up the app's database and key files into a new ``voxbox-<UTC time>`` folder under
    target (mode 0700, files 0600); returns the folder. Built under a hidden name and renamed
    when complete, so a half-made backup never looks like a backup."""
    target.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    final, n = target / f"voxbox-{stamp}", 1
    while final.exists():
        n += 1
        final = target / f"voxbox-{stamp}-{n}"
    work = target / f".{final.name}.partial"
    work.mkdir(mode=0o700)
    try:
        database = _database(app, work)
        files = [database, *(_copy_private(Path(app.instance_path) / name, work / name)
                             for name in KEY_FILES if (Path(app.instance_path) / name).is_file())]
        _write_private(work / MANIFEST, json.dumps({
            "made_at": utcnow().isoformat(timespec="seconds") + "Z",
            "role": app.config["ROLE"],
            "database": "postgresql" if database == PG_FILE else "sqlite",
            "migration": _revision(),
            "files": {name: _sha256(work / name) for name in files},
        }, indent=2).encode())
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final


def _database(app: Flask, work: Path) -> str:
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        _sqlite(str(url.database), work / SQLITE_FILE)
        return SQLITE_FILE
    if url.get_backend_name() == "postgresql":
        _pg_dump(url, work / PG_FILE)
        return PG_FILE
    raise BackupError(f"no backup method for a {url.get_backend_name()} database")


def _sqlite(source: str, dest: Path) -> None:
    """SQLite's online backup: one consistent snapshot, while other processes keep writing."""
    os.close(os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    src, dst = sqlite3.connect(source, timeout=30), sqlite3.connect(dest)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        status = dst.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        src.close()
        dst.close()
    if status != "ok":
        raise BackupError(f"the copy of {source} failed SQLite's integrity check: {status}")


def _pg_dump(url: URL, dest: Path) -> None:
    """pg_dump in its custom format (restore with pg_restore); the password goes by environment."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError("pg_dump not found: install the PostgreSQL client (Debian: "
                          "postgresql-client) matching the server's major version")
    env = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
    libpq = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    done = subprocess.run([pg_dump, "--format=custom", "--no-owner", f"--file={dest}", libpq],
                          capture_output=True, text=True, env=env, timeout=3600)
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    dest.chmod(0o600)


def _copy_private(source: Path, dest: Path) -> str:
    _write_private(dest, source.read_bytes())
    return dest.name


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _revision() -> str | None:
    try:
        return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        db.session.rollback()
