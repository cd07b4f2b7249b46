"""Settings kept in the database: a small key/value store (a kiosk's event, offer and keys; the
hub's last purge), read and written the same way everywhere."""

from __future__ import annotations

from typing import Any

from kiosk.core.db import db
from kiosk.core.models import Setting


def get_setting(key: str, default: Any = None) -> Any:
    """A stored setting, or default."""
    row = db.session.get(Setting, key)
    return default if row is None else row.value


def set_setting(key: str, value: Any) -> None:
    """Store a setting (committed)."""
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=value))
    else:
        row.value = value
    db.session.commit()
