"""Synthetic responses for the demo and benchmarks: one builder for the kiosk's and the hub's.

Rows come out ready for a Core ``insert(Response)``: answers sampled through each question type,
hashed as sync hashes them, queued, and marked synthetic (kiosk.responses.counting leaves them out
of a consultation that has real responses). Random draws happen in a fixed order, so a seed gives
the same rows every time.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, cast

from kiosk.consultations.questions import registry as questions
from kiosk.consultations.types import Definition, Question
from kiosk.core.states import SyncState
from kiosk.core.timeutil import utcnow
from kiosk.responses import store as responses
from kiosk.responses.models import Response

#: A choice for one question instead of a sampled one (the demo's story needs some skew).
Pick = Callable[[Question, random.Random], Any]


#: Question types whose answers are slow to sample (a budget's random walk, a postcode's area
#: lookup): at scale they are drawn from a pool sampled once (see ``pools``).
POOLED_TYPES = ("budget", "postcode")
Pools = dict[str, list[tuple[Any, Any]]]


def pools(rng: random.Random, defn: Definition, size: int = 200) -> Pools:
    """Pre-sampled (answer, other) pairs for each slow question, by question id."""
    return {q["id"]: [questions.sample(q, rng) for _ in range(size)]
            for q in defn["questions"] if q["type"] in POOLED_TYPES}


def answers(rng: random.Random, defn: Definition, pick: Pick | None = None,
            pooled: Pools | None = None) -> dict[str, Any]:
    """A random valid answer to every question (some optional ones left out); a question with a
    pool draws from it."""
    out: dict[str, Any] = {}
    for q in defn["questions"]:
        pool = pooled.get(q["id"]) if pooled else None
        value, other = rng.choice(pool) if pool else questions.sample(q, rng)
        chosen = pick(q, rng) if pick is not None else None
        if chosen is not None:
            value = chosen
        if value is not None:
            out[q["id"]] = value
        if other is not None:
            out[f"{q['id']}.other"] = other
    return out


def row(rng: random.Random, defn: Definition, *, slug: str, version: int, channel: str,
        submitted: dt.datetime | Callable[[], dt.datetime], took: int | Callable[[], int],
        device: str | None = None, event_id: str | None = None, code: str | None = None,
        pick: Pick | None = None, pooled: Pools | None = None) -> dict[str, Any]:
    """One queued synthetic response row: answers, then the time, id, language and time taken."""
    given = answers(rng, defn, pick, pooled)
    when = submitted() if callable(submitted) else submitted
    out: dict[str, Any] = {
        "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "consultation_slug": slug,
        "version": version, "answers": given, "language": rng.choice(["en", "en", "en", "cy"]),
        "channel": channel, "device_id": device, "event_id": event_id, "tracking_code": code,
        "submitted_at": when}
    out["started_at"] = when - dt.timedelta(seconds=took() if callable(took) else took)
    # wire() reads attributes: a namespace of the row's fields, not an ORM object (5x the cost)
    record = responses.wire(cast(Response, SimpleNamespace(**out)))
    out.update(content_hash=responses.content_hash(record), received_at=utcnow(),
               sync_state=SyncState.QUEUED, synthetic=True)
    return out
