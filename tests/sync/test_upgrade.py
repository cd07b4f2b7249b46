"""Upgrade in place: a kiosk whose queue (and sync settings, and pull ETag) were written by the
first release of the schema is upgraded by the current code, pushes every response exactly once,
and its first pull fetches what it newly understands (the hub's open prize draw)."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from sqlalchemy import func, select, text

from kiosk import create_app
from kiosk.core.db import db, upgrade_in_place
from kiosk.core.timeutil import utcnow
from kiosk.draws import store as draws
from kiosk.responses.models import Response
from kiosk.responses.store import content_hash
from sync import client
from sync import pull as pull_mod
from tests.sync.conftest import add_device, hub_hashes

ANSWERS = {"safe_day": 4, "top_concern": "drugs", "contact": ["email"],
           "rank_priorities": ["victims", "visible", "online", "roads"]}
N = 30


def old_release_kiosk(make_app, hub_url: str, device_id: str, token: str,  # type: ignore[no-untyped-def]
                      etag: str) -> tuple[object, dict[str, str]]:
    """A kiosk database built by the first migration only, holding N queued responses and the
    settings the old release kept (hub, token, device, the ETag of its last pull)."""
    app = make_app("kiosk", AUTO_MIGRATE=False)
    hashes = {}
    with app.app_context():
        upgrade_in_place(app, "0001")
        for i in range(N):
            record = {"uuid": str(uuid.uuid4()), "consultation": "policing-priorities",
                      "version": 1, "answers": {**ANSWERS, "safe_day": 1 + i % 5},
                      "language": "en", "channel": "kiosk", "device_id": device_id,
                      "event_id": None, "tracking_code": None, "started_at": None,
                      "submitted_at": f"2026-11-0{1 + i % 9}T10:{i:02d}:00Z"}
            hashes[record["uuid"]] = content_hash(record)
            db.session.execute(text(
                "INSERT INTO responses (uuid, consultation_slug, version, answers, language, channel,"
                " device_id, submitted_at, content_hash, received_at, sync_state) VALUES (:u, "
                "'policing-priorities', 1, :a, 'en', 'kiosk', :d, :s, :h, :s, 'queued')"),
                {"u": record["uuid"], "a": json.dumps(record["answers"]), "d": device_id,
                 "s": record["submitted_at"].replace("T", " ").rstrip("Z"),
                 "h": hashes[record["uuid"]]})
        for key, value in (("hub_url", hub_url), ("sync_token", token), ("device_id", device_id),
                           ("pull_etag", etag)):
            db.session.execute(text("INSERT INTO settings (key, value) VALUES (:k, :v)"),
                               {"k": key, "v": json.dumps(value)})
        db.session.commit()
        db.engine.dispose()
    return app, hashes


def test_a_kiosk_from_the_first_schema_upgrades_syncs_once_and_gets_the_open_draw(
        hub, live_hub, make_app) -> None:
    with hub.app_context():
        draw = draws.define({
            "prize": {"en": "A £50 voucher", "cy": "Taleb £50"},
            "rules": {"en": "One entry per person.", "cy": "Un cais y person."},
            "consultations": ["policing-priorities"], "winners": 1, "reserves": 0,
            "claim_days": 28, "closes_at": utcnow() + dt.timedelta(days=7)})
        draw_id = draw.id
        # the hub's pull as the old release last fetched it (the draw was there; it ignored it)
        etag = pull_mod.etag(pull_mod.document(hub))
    device_id, token = add_device(hub)
    old, hashes = old_release_kiosk(make_app, live_hub.url, device_id, token, etag)

    kiosk = create_app({"TESTING": True, "ROLE": "kiosk", "SECRET_KEY": "test",
                        "STAFF_PIN": "4321", "SYNC_RETRIES": 2, "SYNC_BACKOFF_MAX": 0.2},
                       instance_path=old.instance_path)  # the current code, migrating in place
    with kiosk.app_context():
        assert db.session.execute(select(func.count()).select_from(Response)
                                  .filter_by(sync_state="queued")).scalar() == N
        assert client.pull(kiosk)["changed"] is True  # one pull, despite the old ETag
        assert [d.id for d in draws.open_for("policing-priorities")] == [draw_id]
        first = client.push(kiosk)
        again = client.push(kiosk)
        states = dict(db.session.execute(select(Response.sync_state, func.count())
                                         .group_by(Response.sync_state)).all())
    assert first["accepted"] == N and again["accepted"] == again["duplicate"] == 0
    assert states == {"synced": N}
    assert hub_hashes(hub) == hashes  # every response once, unchanged
    with kiosk.app_context():
        assert client.pull(kiosk)["changed"] is False  # and the next pull is a cheap 304 again
