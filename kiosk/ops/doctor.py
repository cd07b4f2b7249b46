"""``voxbox doctor``: check a hub or kiosk as an operator would, naming each problem and its fix.

Each check gives ``ok``, ``warn`` (worth a look, the instance still works) or ``fail`` (residents or
data are at risk); the command exits non-zero when any check fails.
"""

from __future__ import annotations

import datetime as dt
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from sqlalchemy import text

from kiosk.core import clock
from kiosk.core.db import MIGRATIONS, db
from kiosk.core.stored_settings import get_setting
from kiosk.core.timeutil import utcnow
from kiosk.draws.retention import LAST_PURGE
from kiosk.ops import deployment

#: Instance files that hold secrets or personal data and must be readable by the owner only.
PRIVATE = ("config.py", "secret_key", "draw_dedupe.key", "hub_x25519.pem", "staff_pin",
           "demo_password", "voxbox.db", "voxbox.db-wal", "voxbox.db-shm")
STALE = dt.timedelta(days=2)


@dataclass(frozen=True)
class Check:
    """One finding: what was checked, ok/warn/fail, and what to do."""
    name: str
    status: str
    detail: str


def run(app: Flask, workers: int = 1) -> list[Check]:
    """Every check for this instance's role, in the order an operator would look."""
    database = _database(app)
    checks = [*_url(app), *_files(app), *database, *_limits(app, workers), _disk(app)]
    if any(c.status == "fail" for c in database):  # the clock and purge records live in it
        checks += [Check(name, "warn", "not checked: the database is not ready")
                   for name in ("clock", "last purge")]
    else:
        checks += [_clock(app), _purge(app)]
    return [*checks, _backup(app)]


def _url(app: Flask) -> list[Check]:
    if app.config["ROLE"] != "hub":
        return [Check("public URL", "ok", "a kiosk prints nothing; it reaches the hub it enrolled with")]
    problems = deployment.url_problems(app.config["PUBLIC_URL"])
    if not problems:
        return [Check("public URL", "ok", app.config["PUBLIC_URL"])]
    status = "warn" if deployment.allowed(app.config) else "fail"
    return [Check("public URL", status, p) for p in problems]


def _files(app: Flask) -> list[Check]:
    instance = Path(app.instance_path)
    found = []
    key = instance / "secret_key"
    if not app.config.get("SECRET_KEY") and not key.exists():
        found.append(Check("secret key", "fail", f"no SECRET_KEY and no {key}"))
    for name in PRIVATE:
        path = instance / name
        if path.exists() and stat.S_IMODE(path.stat().st_mode) & 0o077:
            found.append(Check("file permissions", "fail",
                               f"{path} is readable by others (mode {stat.S_IMODE(path.stat().st_mode):o});"
                               f" run: chmod 600 {path}"))
    return found or [Check("keys and files", "ok", "secret key present; private files 0600")]


def _database(app: Flask) -> list[Check]:
    from alembic.config import Config  # alembic is only needed by this check: deferred
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            current = set(MigrationContext.configure(conn).get_current_heads())
    except Exception as exc:  # noqa: BLE001 - any driver error means the same to the operator
        return [Check("database", "fail", f"cannot reach the database: {exc.__class__.__name__}: {exc}")]
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    heads = set(ScriptDirectory.from_config(config).get_heads())
    if current != heads:
        return [Check("database", "fail", f"not migrated (at {sorted(current) or 'nothing'}, "
                                          f"needs {sorted(heads)}): run voxbox db upgrade")]
    return [Check("database", "ok", f"{db.engine.dialect.name}, migrated to {', '.join(sorted(heads))}")]


def _limits(app: Flask, workers: int) -> list[Check]:
    uri = str(app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    found = []
    if uri.startswith(("redis://", "rediss://", "redis+")):
        from limits.storage import storage_from_string

        try:
            reachable = storage_from_string(uri).check()
        except Exception:  # noqa: BLE001 - the storage library raises driver-specific errors
            reachable = False
        found.append(Check("rate-limit storage", "ok" if reachable else "fail",
                           f"{uri} {'answers' if reachable else 'does not answer'}"))
    elif workers > 1:
        found.append(Check("rate-limit storage", "fail",
                           f"{uri} counts per process, so {workers} workers allow {workers}x the "
                           "limits: set RATELIMIT_STORAGE_URI to redis://…"))
    else:
        found.append(Check("rate-limit storage", "ok", f"{uri} (one worker)"))
    return found


def _disk(app: Flask) -> Check:
    free_mb = shutil.disk_usage(app.instance_path).free / 1e6
    floor = float(app.config["KIOSK_MIN_FREE_MB"])
    if free_mb < floor:
        return Check("disk", "fail", f"{free_mb:.0f} MB free in {app.instance_path}: below {floor:g} MB")
    if free_mb < 100:
        return Check("disk", "warn", f"only {free_mb:.0f} MB free in {app.instance_path}")
    return Check("disk", "ok", f"{free_mb:.0f} MB free")


def _clock(app: Flask) -> Check:
    if app.config["ROLE"] != "kiosk":
        return Check("clock", "ok", f"system time {utcnow():%Y-%m-%d %H:%M}Z")
    warning = clock.warning()
    if warning:
        return Check("clock", "warn", warning)
    skew = clock.skew()
    return Check("clock", "ok", "never compared with the hub yet (run voxbox sync pull)" if skew is None
                 else f"within {abs(skew):.0f} s of the hub's")


def _age(iso: str | None) -> dt.timedelta | None:
    if not iso:
        return None
    return utcnow() - dt.datetime.fromisoformat(iso).replace(tzinfo=None)


def _purge(app: Flask) -> Check:
    age = _age(get_setting(LAST_PURGE))
    if age is None:
        return Check("last purge", "warn", "never run: schedule voxbox purge daily (README Deployment)")
    status = "warn" if age > STALE else "ok"
    return Check("last purge", status, f"{age.total_seconds() / 3600:.0f} hours ago")


def _backup(app: Flask) -> Check:
    folder = str(app.config.get("BACKUP_DIR") or "")
    if not folder:
        return Check("last backup", "warn", "BACKUP_DIR is not set, so backups cannot be checked")
    path = Path(folder)
    # any file at any depth (voxbox backup writes dated folders); hidden ones are half-made
    newest = max((p.stat().st_mtime for p in path.rglob("*") if p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(path).parts)),
                 default=None) if path.is_dir() else None
    if newest is None:
        return Check("last backup", "fail", f"no backup in {path}")
    age = utcnow() - dt.datetime.fromtimestamp(newest, dt.UTC).replace(tzinfo=None)
    status = "warn" if age > STALE else "ok"
    return Check("last backup", status, f"{age.total_seconds() / 3600:.0f} hours ago in {path}")
