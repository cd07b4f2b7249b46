"""A kiosk's own health for staff: its clock against the hub's, and the room left on its disk."""

from __future__ import annotations

import shutil
from pathlib import Path

from flask import Flask
from flask_babel import gettext as _

from kiosk.core import clock

#: Below this many times KIOSK_MIN_FREE_MB, the staff panel warns that the disk is filling.
WARN_FACTOR = 4


def free_bytes(app: Flask) -> int:
    """Bytes free on the filesystem holding the kiosk's database (its instance folder)."""
    return shutil.disk_usage(Path(app.instance_path)).free


def can_store(app: Flask) -> bool:
    """Whether there is room to take a new resident's answers durably (and still sync them)."""
    return free_bytes(app) >= app.config["KIOSK_MIN_FREE_MB"] * 1024 * 1024


def warnings(app: Flask) -> list[str]:
    """Staff-facing warnings: a clock far from the hub's, a disk filling or full."""
    found = []
    skew = clock.skew()
    if skew is not None and abs(skew) > clock.WARN_SKEW_SECONDS:
        found.append(_("This kiosk's clock is %(skew)s (measured at the last pull). Dates here "
                       "follow the hub's clock; please correct the kiosk's clock.",
                       skew=clock.describe(skew)))
    free, floor = free_bytes(app), app.config["KIOSK_MIN_FREE_MB"] * 1024 * 1024
    if free < floor:
        found.append(_("The disk is full: this kiosk is not taking new answers. Sync now, then "
                       "free some space."))
    elif free < WARN_FACTOR * floor:
        found.append(_("The disk is nearly full (%(mb)s MB free). Sync soon.",
                       mb=f"{free / 1048576:.1f}"))
    return found
