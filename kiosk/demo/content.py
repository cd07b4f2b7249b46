"""Demo content: consultations, a staff login, synthetic responses."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from kiosk.areas import store as areas
from kiosk.consultations import definitions
from kiosk.consultations import store as consultations
from kiosk.core import auth
from kiosk.core.db import db
from kiosk.core.models import User
from kiosk.core.private_files import read_or_create_text
from kiosk.core.states import ConsultationStatus
from kiosk.core.timeutil import london_today
from kiosk.demo import hub as demo_hub
from kiosk.demo import scale
from kiosk.tablet import state as kiosk_state

DEMO_DIR = Path(__file__).parent
DEMO_EMAIL = "demo@voxbox.example"
DEMO_AREAS = DEMO_DIR / "areas" / "avonbridge-areas.csv"


def load(app: Flask, history: bool = False) -> Iterator[str]:
    """Import every demo definition and make sure the demo staff login exists; on the hub, the
    demo events too, and with history a seeded record of scans and responses for the reports."""
    today = london_today()
    for path in sorted(DEMO_DIR.glob("*.yaml")):
        defn = definitions.load_file(path)
        if defn["status"] == ConsultationStatus.OPEN:  # keep the demo open whenever it is run
            defn["opens"] = (today - dt.timedelta(days=30)).isoformat()
            defn["closes"] = (today + dt.timedelta(days=90)).isoformat()
        result = consultations.import_definition(defn)
        yield f"consultation {result.slug}: {result.action} (version {result.version})"

    line = areas.load_demo(DEMO_AREAS.read_text(encoding="utf-8"))  # unless a table is loaded
    if line:
        yield line
    if app.config["ROLE"] == "hub":
        yield from demo_hub.load(today, history)
    password = _demo_password(app)
    if db.session.execute(select(User).filter_by(email=DEMO_EMAIL)).scalar_one_or_none() is None:
        auth.create_user(DEMO_EMAIL, "Demo admin", password, role="admin")
    yield f"staff login: {DEMO_EMAIL} / {password}"
    if app.config["ROLE"] == "kiosk":
        yield f"kiosk staff PIN: {auth.staff_pin(app)}"


def _demo_password(app: Flask) -> str:

    return read_or_create_text(Path(app.instance_path) / "demo_password",
                               lambda: secrets.token_urlsafe(9))


def synthetic_responses(app: Flask, count: int, seed: int | None = None,
                        progress: Callable[[int], object] | None = None, batch: int = scale.BATCH,
                        slug: str | None = None, force: bool = False) -> int:
    """Add valid random responses, marked synthetic, in bulk: to one consultation, or across the
    open ones without real responses (scale.Refused when that would mix with real ones, unforced)."""
    found = scale.targets(slug, force)
    kiosk = app.config["ROLE"] == "kiosk"
    return scale.add_responses(found, count, seed, channel="kiosk" if kiosk else "web",
                               device=kiosk_state.device_id(),
                               event=kiosk_state.current_event_id() if kiosk else None,
                               batch=batch, progress=progress)
