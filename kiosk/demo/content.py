"""Demo content: consultations, a staff login, synthetic responses."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask
from sqlalchemy import insert, select

from kiosk.areas import store as areas
from kiosk.consultations import definitions
from kiosk.consultations import store as consultations
from kiosk.core import auth
from kiosk.core.db import db
from kiosk.core.models import User
from kiosk.core.private_files import read_or_create_text
from kiosk.core.states import ConsultationStatus
from kiosk.core.timeutil import london_today, utcnow
from kiosk.demo import hub as demo_hub
from kiosk.demo import responses as synthetic
from kiosk.responses.models import Response
from kiosk.tablet import state as kiosk_state

if TYPE_CHECKING:
    from kiosk.consultations.types import Definition
    pass

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
                        progress: Callable[[int], object] | None = None, batch: int = 500) -> int:
    """Add valid random responses across the open consultations, in bulk."""
    rng = random.Random(seed)
    targets = [(c, consultations.definition(c.slug)) for c in consultations.open_consultations()]
    if not targets:
        raise ValueError("no open consultations to answer")
    channel = "kiosk" if app.config["ROLE"] == "kiosk" else "web"
    device = kiosk_state.device_id()
    event = kiosk_state.current_event_id() if channel == "kiosk" else None
    done = 0
    while done < count:
        rows = []
        for _ in range(min(batch, count - done)):
            c, defn = rng.choice(targets)
            assert defn is not None  # an open consultation has its current version
            rows.append(_row(rng, c.slug, c.version, defn, channel, device, event))
        db.session.execute(insert(Response), rows)
        db.session.commit()
        done += len(rows)
        if progress:
            progress(len(rows))
    return done


def _row(rng: random.Random, slug: str, version: int, defn: Definition, channel: str,
         device: str | None, event: str | None) -> dict:
    return synthetic.row(rng, defn, slug=slug, version=version, channel=channel,
                         submitted=lambda: utcnow() - dt.timedelta(seconds=rng.randint(0, 86400 * 14)),
                         took=lambda: rng.randint(40, 600), device=device, event_id=event)
