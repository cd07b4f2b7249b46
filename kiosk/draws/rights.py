"""Data-subject requests: find and delete a person's draw entries by email or phone, on record."""

from __future__ import annotations

import logging

from sqlalchemy import delete, select, update

from kiosk.core.db import db, rowcount
from kiosk.draws import contacts, scrub
from kiosk.draws import inbox as draw_inbox
from kiosk.draws.models import Draw, Entry, RightsRequest

log = logging.getLogger("voxbox.rights")


def find(contact: str, secret: bytes) -> list[tuple[Draw, Entry]]:
    """Every entry whose contact hashes the same as this one (under the hub's secret key), in any
    draw that still holds it; web entries waiting in the inbox are moved to their draws first."""
    kind, normalised = contacts.normalise(contact)
    draw_inbox.flush()
    found = []
    for draw in db.session.execute(select(Draw).order_by(Draw.closes_at.desc())).scalars():
        digest = contacts.dedupe_hash(secret, draw.id, kind, normalised)
        entry = db.session.execute(select(Entry).filter_by(draw_id=draw.id, contact_hash=digest)
                                   ).scalar_one_or_none()
        if entry is not None:
            found.append((draw, entry))
    return found


def record_search(reference: str, matched: int, actor: str) -> RightsRequest:
    """Record that a search was made (the reference, never the contact searched for)."""
    row = RightsRequest(reference=_reference(reference), action="find", matched=matched,
                        actor=actor)
    db.session.add(row)
    db.session.commit()
    log.info("rights request %s: search by %s found %d entries", row.reference, actor, matched)
    return row


def erase(contact: str, secret: bytes, reference: str, actor: str) -> RightsRequest:
    """Delete this person's entries: undrawn ones entirely, drawn ones' contact details."""
    hits = find(contact, secret)
    deleted = 0
    for draw, entry in hits:
        if draw.drawn_at is None:
            deleted += rowcount(db.session.execute(delete(Entry).where(Entry.id == entry.id)))
        else:  # keep the id: it is in the published verification file
            deleted += rowcount(db.session.execute(update(Entry).where(Entry.id == entry.id)
                                          .values(sealed=None, contact_hash=None)))
    row = RightsRequest(reference=_reference(reference), action="delete", matched=len(hits),
                        deleted=deleted, actor=actor)
    db.session.add(row)
    db.session.commit()
    log.info("rights request %s: erasure by %s deleted %d entries", row.reference, actor, deleted)
    scrub.wipe_free_space()
    return row


def history(limit: int = 200) -> list[RightsRequest]:
    """Recent rights requests, newest first."""
    return list(db.session.execute(select(RightsRequest).order_by(RightsRequest.id.desc())
                                   .limit(limit)).scalars())


def _reference(text: str) -> str:
    ref = " ".join((text or "").split())[:100]
    if not ref:
        raise ValueError("Give the request's reference (e.g. your case number).")
    if "@" in ref or sum(ch.isdigit() for ch in ref) >= 9:
        raise ValueError("The reference must not be the person's email or phone number.")
    return ref
