"""Pull: what the hub hands a kiosk (open consultations with their versions, events, open prize
draws, the postcode-to-area table, its public key), and how a kiosk applies it without touching its queued responses."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from kiosk.areas import store as areas
from kiosk.consultations import store as consultations
from kiosk.consultations.definitions import canonical
from kiosk.consultations.models import Consultation, ConsultationVersion
from kiosk.core.db import db
from kiosk.core.models import Setting
from kiosk.core.states import ConsultationStatus
from kiosk.core.timeutil import iso, parse_iso, utcnow
from kiosk.events.models import Event
from sync import entries, keys

#: Events that ended longer ago than this are no longer sent to kiosks.
EVENT_GRACE = dt.timedelta(days=2)


def document(app: Flask) -> dict[str, Any]:
    """The pull document a hub serves; stable for unchanged content (no timestamps of its own)."""
    out = []
    for c in consultations.open_consultations():
        out.append({
            "slug": c.slug, "status": c.status, "title": c.title, "summary": c.summary,
            "opens": c.opens.isoformat() if c.opens else None,
            "closes": c.closes.isoformat() if c.closes else None,
            "results": c.results, "version": c.version,
            "versions": [{"version": v.version, "definition": v.definition,
                          "questions_hash": v.questions_hash}
                         for v in consultations.versions(c.slug)],
        })
    cutoff = utcnow() - EVENT_GRACE
    rows = db.session.execute(
        select(Event).where(func.coalesce(Event.ends_at, Event.starts_at) >= cutoff)
        .order_by(Event.starts_at, Event.id)
    ).scalars()
    events = [{"id": e.id, "name": e.name, "place": e.place, "place_cy": e.place_cy,
               "starts_at": iso(e.starts_at),
               "ends_at": iso(e.ends_at), "description": e.description,
               "consultations": e.consultations} for e in rows]
    public = keys.hub_public_key(app)
    assert public is not None  # the hub derives it from its own private key
    key = keys.encode_public(public)
    return {"consultations": out, "events": events, "draws": entries.draws_for_pull(),
            "areas": areas.for_pull(),
            "hub_public_key": {"algorithm": "X25519", "key": key}}


def etag(doc: dict[str, Any]) -> str:
    """A strong ETag for a pull document."""
    return '"' + hashlib.sha256(canonical(doc).encode()).hexdigest()[:32] + '"'


def apply(doc: dict[str, Any]) -> dict[str, int]:
    """Upsert a pulled document into the kiosk database in one transaction."""
    seen = set()
    versions = 0
    for item in doc["consultations"]:
        seen.add(item["slug"])
        c = db.session.execute(
            select(Consultation).filter_by(slug=item["slug"])).scalar_one_or_none()
        if c is None:
            c = Consultation(slug=item["slug"])
            db.session.add(c)
        c.status, c.title, c.summary = item["status"], item["title"], item["summary"]
        c.opens = dt.date.fromisoformat(item["opens"]) if item["opens"] else None
        c.closes = dt.date.fromisoformat(item["closes"]) if item["closes"] else None
        c.results, c.version = item["results"], item["version"]
        db.session.flush()
        for v in item["versions"]:
            row = db.session.execute(select(ConsultationVersion).filter_by(
                consultation_id=c.id, version=v["version"])).scalar_one_or_none()
            if row is None:
                row = ConsultationVersion(consultation_id=c.id, version=v["version"])
                db.session.add(row)
            if row.definition != v["definition"] or row.questions_hash != v["questions_hash"]:
                row.definition, row.questions_hash = v["definition"], v["questions_hash"]
                versions += 1
    # The hub no longer offers these: stop offering them here too (queued answers stay queued).
    gone = select(Consultation).where(Consultation.status == ConsultationStatus.OPEN)
    if seen:
        gone = gone.where(Consultation.slug.not_in(seen))
    for c in db.session.execute(gone).scalars():
        c.status = "closed"
    for e in doc["events"]:
        row = db.session.get(Event, e["id"]) or Event(id=e["id"])
        row.name, row.place, row.description = e["name"], e["place"], e["description"]
        row.place_cy = e.get("place_cy")  # an older hub sends no Welsh place
        # the hub always sends starts_at; a None would be refused by NOT NULL at flush, as before
        row.starts_at, row.ends_at = parse_iso(e["starts_at"]), parse_iso(e["ends_at"])  # type: ignore[assignment]
        row.consultations, row.source = e["consultations"] or [], "hub"
        db.session.add(row)
    # An older hub sends no "draws": then leave the kiosk's draws as they are.
    pulled_draws = entries.apply_pulled_draws(doc["draws"]) if "draws" in doc else 0
    # The postcode-to-area table, so postcode questions work offline (an older hub sends none).
    pulled_areas = areas.apply_pulled(doc["areas"]) if "areas" in doc else None
    _put(keys.SETTING, doc["hub_public_key"]["key"])
    db.session.commit()
    return {"consultations": len(seen), "versions_changed": versions, "events": len(doc["events"]),
            "draws": pulled_draws, **({"areas": pulled_areas} if pulled_areas is not None else {})}


def _put(key: str, value: Any) -> None:
    """Stage a setting in the current transaction (kiosk_state.set_setting commits at once)."""
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=value))
    else:
        row.value = value

