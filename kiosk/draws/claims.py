"""After a draw: each prize's claim (drawn → contacted → claimed, declined or expired), and the
next reserve in draw order promoted when a prize goes unclaimed, on record in the verification file.

Claims name entries by their published hash only. The original result in the verification file is
never touched (the draw stays reproducible); what happened since is appended as its ``history``,
which ``algorithm.verify`` replays. A winner who declined or let the claim expire no longer needs
to be reached, so their sealed contact is deleted there and then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select

from kiosk.core.db import db
from kiosk.core.timeutil import iso, utcnow
from kiosk.draws import algorithm as draw_algorithm
from kiosk.draws import store as draws
from kiosk.draws.models import Draw, DrawClaim, DrawRun, Entry

STATES = ("drawn", "contacted", "claimed", "declined", "expired")
#: The states a claim may move to from each state; claimed, declined and expired are final.
NEXT = {"drawn": ("contacted", "claimed", "declined", "expired"),
        "contacted": ("claimed", "declined", "expired")}
UNCLAIMED = draw_algorithm.UNCLAIMED


class ClaimError(ValueError):
    """A change of claim that cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class Change:
    """What a change of claim did: the claim changed and the reserve promoted (if any)."""

    claim: DrawClaim
    promoted: DrawClaim | None
    #: True when the prize was unclaimed and no reserve was left to take it.
    exhausted: bool = False


def start(draw: Draw, result: dict[str, list[str]], now: dt.datetime) -> None:
    """A new run stands: its winners hold the prizes, as drawn (no commit)."""
    db.session.execute(delete(DrawClaim).where(DrawClaim.draw_id == draw.id))
    for prize, entry_hash in enumerate(result["winners"], 1):
        db.session.add(DrawClaim(draw_id=draw.id, prize=prize, entry_hash=entry_hash,
                                 state="drawn", changed_at=now))


def all_claims(draw: Draw) -> list[DrawClaim]:
    """Every claim of the run that stands: by prize, each prize's holders in the order they held it."""
    return list(db.session.execute(select(DrawClaim).filter_by(draw_id=draw.id)
                                   .order_by(DrawClaim.prize, DrawClaim.id)).scalars())


def holders(draw: Draw) -> dict[int, DrawClaim]:
    """The current claim on each prize (the last entry to hold it), by prize."""
    return {c.prize: c for c in all_claims(draw)}


def change(draw: Draw, prize: int, state: str, now: dt.datetime | None = None) -> Change:
    """Move a prize's current claim to ``state``; an unclaimed prize passes to the next reserve."""
    now = now or utcnow()
    run = _standing(draw)
    claim = holders(draw).get(prize)
    if claim is None:
        raise ClaimError("This draw has no such prize.")
    if state not in STATES:
        raise ClaimError("Choose contacted, claimed, declined or expired.")
    if state not in NEXT.get(claim.state, ()):
        raise ClaimError(f"This prize is already {claim.state}; it cannot become {state}.")
    claim.state, claim.changed_at = state, now
    if state not in UNCLAIMED:
        db.session.commit()
        return Change(claim, None)
    taken = {c.entry_hash for c in all_claims(draw)}
    reserves = list(run.verification["result"]["reserves"])
    rank, reserve = next(((n, h) for n, h in enumerate(reserves, 1) if h not in taken), (None, None))
    promoted = None
    if reserve is not None:
        promoted = DrawClaim(draw_id=draw.id, prize=prize, entry_hash=reserve, reserve=rank,
                             state="drawn", changed_at=now)
        db.session.add(promoted)
    history = [*run.verification.get("history", []),
               {"at": iso(now), "prize": prize, "entry": claim.entry_hash, "event": state,
                "promoted": reserve, "reserve": rank}]
    run.verification = {**run.verification, "history": history}  # a new dict: the JSON is saved
    _forget(draw, claim.entry_hash)
    db.session.commit()
    return Change(claim, promoted, exhausted=reserve is None)


def _standing(draw: Draw) -> DrawRun:
    found = draws.runs(draw)
    if not found:
        raise ClaimError("The draw has not been made yet.")
    return found[-1]


def _forget(draw: Draw, entry_hash: str) -> None:
    """Delete the sealed contact of an entry that will not be reached again (no commit)."""
    for entry in db.session.execute(select(Entry).where(
            Entry.draw_id == draw.id, Entry.outcome.in_(("winner", "reserve")))).scalars():
        if draw_algorithm.entry_hash(entry.id) == entry_hash:
            entry.sealed, entry.contact_hash = None, None


def made_for(slug: str) -> list[Draw]:
    """Draws made for this consultation, latest first (for its public results page)."""
    rows = db.session.execute(select(Draw).where(Draw.drawn_at.is_not(None))
                              .order_by(Draw.drawn_at.desc())).scalars()
    return [d for d in rows if slug in (d.consultations or [])]


def public_result(draw: Draw) -> dict[str, Any] | None:
    """What the public page shows: when, how many entries, each prize's winning reference and the
    prizes passed on; None before the draw is made. No names, no contacts, no claim states."""
    found = draws.runs(draw)
    if not found or draw.drawn_at is None:
        return None
    run, ref = found[-1], draw_algorithm.reference
    current = holders(draw)
    winners = [(prize, ref(current[prize].entry_hash) if prize in current
                and current[prize].state not in UNCLAIMED else None)
               for prize in range(1, len(run.verification["result"]["winners"]) + 1)]
    passed = [{"prize": h["prize"], "from": ref(h["entry"]),
               "to": ref(h["promoted"]) if h.get("promoted") else None}
              for h in run.verification.get("history", [])]
    return {"drawn_at": draw.drawn_at, "run": run.run, "entries": run.entries, "winners": winners,
            "passed": passed}
