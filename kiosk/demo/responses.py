"""Synthetic responses for the demo and benchmarks: one builder for the kiosk's and the hub's.

Rows come out ready for a Core ``insert(Response)``: answers sampled through each question type,
hashed as sync hashes them, queued. Random draws happen in a fixed order, so a seed gives the
same rows every time.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable
from typing import Any

from kiosk.consultations.questions import registry as questions
from kiosk.consultations.types import Definition, Question
from kiosk.core.states import SyncState
from kiosk.core.timeutil import utcnow
from kiosk.responses import store as responses
from kiosk.responses.models import Response

FIELDS = ("uuid", "consultation_slug", "version", "answers", "language", "channel", "device_id",
          "event_id", "tracking_code", "started_at", "submitted_at")
#: A choice for one question instead of a sampled one (the demo's story needs some skew).
Pick = Callable[[Question, random.Random], Any]


def answers(rng: random.Random, defn: Definition, pick: Pick | None = None) -> dict[str, Any]:
    """A random valid answer to every question (some optional ones left out)."""
    out: dict[str, Any] = {}
    for q in defn["questions"]:
        value, other = questions.sample(q, rng)
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
        pick: Pick | None = None) -> dict[str, Any]:
    """One queued response row: answers, then the time, id, language and time taken."""
    given = answers(rng, defn, pick)
    when = submitted() if callable(submitted) else submitted
    r = Response(uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)), consultation_slug=slug,
                 version=version, answers=given, language=rng.choice(["en", "en", "en", "cy"]),
                 channel=channel, device_id=device, event_id=event_id, tracking_code=code,
                 submitted_at=when)
    r.started_at = when - dt.timedelta(seconds=took() if callable(took) else took)
    out = {k: getattr(r, k) for k in FIELDS}
    out.update(content_hash=responses.content_hash(responses.wire(r)), received_at=utcnow(),
               sync_state=SyncState.QUEUED)
    return out
