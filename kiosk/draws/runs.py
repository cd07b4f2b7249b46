"""Making a draw on the hub: pick, record the run, delete losers' contacts, export winners once."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from typing import Any

from sqlalchemy import select, update

from kiosk.core.db import db, rowcount
from kiosk.core.timeutil import iso, utcnow
from kiosk.draws import algorithm as draw_algorithm
from kiosk.draws import claims, scrub
from kiosk.draws import inbox as draw_inbox
from kiosk.draws import store as draws
from kiosk.draws.models import Draw, DrawRun, Entry
from kiosk.responses.store import safe_cell

log = logging.getLogger("voxbox.draws")


class DrawError(ValueError):
    """A draw that cannot be made (or exported) as asked; the message says why."""


def run(draw: Draw, seed: str, actor: str, reason: str | None = None,
        now: dt.datetime | None = None) -> DrawRun:
    """Draw winners and reserves from a public seed; a re-run needs a reason and is recorded."""
    now = now or utcnow()
    seed = (seed or "").strip()
    reason = (reason or "").strip() or None
    if not seed:
        raise DrawError("Enter the public seed.")
    if now < draw.closes_at:
        raise DrawError("The draw closes at {}; it can be made after that.".format(
            draw.closes_at.isoformat(sep=" ", timespec="minutes")))
    earlier = draws.runs(draw)
    if earlier and not reason:
        raise DrawError("This draw has been made before: give the reason for running it again.")
    draw_inbox.flush()  # web entries still waiting for their batch are in the draw too
    ids = list(db.session.execute(select(Entry.id).filter_by(draw_id=draw.id)).scalars())
    by_hash = {draw_algorithm.entry_hash(i): i for i in ids}
    number = len(earlier) + 1
    doc = draw_algorithm.verification(
        seed, list(by_hash), draw.winners, draw.reserves,
        draw={"id": draw.id, "prize": draw.prize, "closes_at": iso(draw.closes_at)},
        run={"number": number, "made_at": iso(now), "reason": reason,
             "earlier": [{"number": r.run, "seed": r.seed, "made_at": iso(r.created_at),
                          "reason": r.reason} for r in earlier]})
    db.session.execute(update(Entry).where(Entry.draw_id == draw.id)
                       .values(outcome="none", rank=None))
    for outcome, picked in (("winner", doc["result"]["winners"]),
                            ("reserve", doc["result"]["reserves"])):
        for rank, h in enumerate(picked, 1):
            db.session.execute(update(Entry).where(Entry.id == by_hash[h])
                               .values(outcome=outcome, rank=rank))
    row = DrawRun(draw_id=draw.id, run=number, seed=seed, reason=reason, actor=actor,
                  entries=len(ids), verification=doc, created_at=now)
    db.session.add(row)
    claims.start(draw, doc["result"], now)
    draw.drawn_at = now
    draw.claim_until = now + dt.timedelta(days=draw.claim_days)
    losers = rowcount(db.session.execute(
        update(Entry).where(Entry.draw_id == draw.id, Entry.outcome == "none",
                            Entry.sealed.is_not(None))
        .values(sealed=None, contact_hash=None)))
    db.session.commit()
    log.info("draw %s run %d: %d entries, %d winners, %d reserves; contact details deleted for"
             " %d entries not drawn%s", draw.id, number, len(ids), len(doc["result"]["winners"]),
             len(doc["result"]["reserves"]), losers, " (a re-run, reason recorded)" if reason else "")
    scrub.wipe_free_space()
    return row


def latest(draw: Draw) -> DrawRun | None:
    """The run that stands (the last one), or None before the draw is made."""
    found = draws.runs(draw)
    return found[-1] if found else None


def picked(draw: Draw) -> list[Entry]:
    """Winners then reserves, each in draw order."""
    rows = db.session.execute(select(Entry).where(Entry.draw_id == draw.id,
                                                  Entry.outcome.in_(("winner", "reserve")))).scalars()
    return sorted(rows, key=lambda e: (e.outcome != "winner", e.rank or 0))


def export_winners(draw: Draw, private_key: Any, actor: str) -> str:
    """Winners' and reserves' contact details as CSV, once; the export itself is recorded."""
    if draw.drawn_at is None:
        raise DrawError("The draw has not been made yet.")
    if draw.exported_at is not None:
        raise DrawError("The winners were exported on {}; they can be exported only once.".format(
            draw.exported_at.isoformat(sep=" ", timespec="minutes")))
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["outcome", "rank", "entry_hash", "name", "contact"])
    for entry in picked(draw):
        contact = draws.open_contact(private_key, entry) or {}
        writer.writerow([entry.outcome, entry.rank, draw_algorithm.entry_hash(entry.id),
                         _cell(contact.get("name")), _cell(contact.get("contact"))])
    draw.exported_at = utcnow()
    db.session.commit()
    log.info("draw %s: winners exported once by %s", draw.id, actor)
    return buf.getvalue()


def _cell(value: Any) -> str:

    return safe_cell(value if value is not None else "(deleted)")
