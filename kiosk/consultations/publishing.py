"""What the hub publishes: consultations by state, and the headline figures of published results."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction

from sqlalchemy import select

from kiosk.consultations import equality, results, versioning
from kiosk.consultations import store as consultations
from kiosk.consultations.models import Consultation
from kiosk.consultations.questions import registry as questions
from kiosk.consultations.types import Question
from kiosk.core.db import db
from kiosk.core.rounding import whole
from kiosk.core.states import ConsultationStatus
from kiosk.core.timeutil import london_today
from kiosk.responses import counting
from kiosk.responses.models import Response

#: A consultation is "closing soon" this many days before its closing date.
CLOSING_SOON_DAYS = 14


def upcoming(today: dt.date | None = None) -> list[Consultation]:
    """Open consultations whose opening date is still ahead, soonest first."""
    today = today or london_today()
    rows = [c for c in consultations.all_consultations()
            if c.status == ConsultationStatus.OPEN and c.opens is not None and c.opens > today]
    return sorted(rows, key=lambda c: (c.opens, c.slug))


def closed(today: dt.date | None = None) -> list[Consultation]:
    """Closed consultations (by status or past their closing date), most recently closed first."""
    today = today or london_today()
    rows = [c for c in consultations.all_consultations()
            if c.status == ConsultationStatus.CLOSED or (c.status == ConsultationStatus.OPEN and c.closes is not None and c.closes < today)]
    return sorted(rows, key=lambda c: (c.closes or dt.date.min, c.slug), reverse=True)


def results_published(c: Consultation, today: dt.date | None = None) -> dt.date | None:
    """The date a closed consultation's results were published, if they are out by today: the
    results editor's publication date once reached, else the definition's ``results.published``."""
    today = today or london_today()
    pub = results.live(c, today)
    if pub is not None:
        return pub.publish_on
    if c.status == ConsultationStatus.DRAFT or consultations.is_open(c, today) or not c.results:
        return None
    published = c.results.get("published")
    day = dt.date.fromisoformat(published) if published else None
    return day if day and day <= today else None


def closing_soon(c: Consultation, today: dt.date | None = None) -> bool:
    """Open and closing within CLOSING_SOON_DAYS."""
    today = today or london_today()
    return (consultations.is_open(c, today) and c.closes is not None
            and c.closes - today <= dt.timedelta(days=CLOSING_SOON_DAYS))


@dataclass
class Headline:
    """The figures shown beside a published results summary."""
    responses: int = 0
    channels: dict[str, int] = field(default_factory=dict)
    places: int = 0
    top: list[tuple[dict, dict | str, int]] = field(default_factory=list)  # prompt, option, share %
    #: who we heard from: each equality question with its tally, small cells suppressed
    equality: list[tuple[Question, dict]] = field(default_factory=list)


def headline(c: Consultation, threshold: int) -> Headline:
    """Responses, channels, places and each choice question's most chosen answer, counting every
    version that asked it; equality questions only as counts with those under threshold suppressed."""
    merged = consultations.merged_definition(c.slug)
    asked = merged["questions"] if merged else []
    q = select(Response.channel, Response.event_id, Response.tracking_code, Response.answers,
               Response.version).where(counting.counted(c.slug))
    rows = db.session.execute(q).all()
    out = Headline(responses=len(rows))
    out.channels = dict(Counter(r.channel for r in rows).most_common())
    out.places = len({r.event_id for r in rows if r.event_id}
                     | {r.tracking_code for r in rows if r.tracking_code})
    for question in asked:
        if question["type"] not in ("single", "multiple"):
            continue
        counts = questions.tally(question, [r.answers.get(question["id"]) for r in rows
                                            if versioning.asked(question, r.version)])
        if equality.is_equality(question):  # special category: never a "most chosen" headline
            out.equality.append((question, equality.suppress_tally(counts, threshold)))
            continue
        if not counts["answered"] or not counts["counts"]:
            continue
        value, n = max(counts["counts"].items(), key=lambda kv: kv[1])
        labels = {o["value"]: o["label"] for o in question["options"]}
        labels[questions.OTHER] = {"en": "Other", "cy": "Arall"}
        out.top.append((question["prompt"], labels.get(value, value),
                        whole(Fraction(100 * n, counts["answered"]))))
    return out
