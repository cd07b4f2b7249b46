"""Staff review of a flagged response: mark it reviewed, or exclude it from results with a reason.

Nothing is deleted: an excluded response stays in the database, left out of every figure and
export by kiosk.responses.counting unless a report asks for excluded ones; each decision is
audit-logged (the decision, never the reason's text or an answer).
"""

from __future__ import annotations

from kiosk.core import audit
from kiosk.core.db import db
from kiosk.core.problems import Problem, ProblemError
from kiosk.core.states import ReviewState
from kiosk.core.timeutil import utcnow
from kiosk.reports import kept
from kiosk.responses import counting
from kiosk.responses import store as responses
from kiosk.responses.models import Response

#: The longest reason staff may give for excluding a response.
REASON_MAX = 500
#: What a review form may ask for: the two decisions, or undoing one.
DECISIONS = (ReviewState.REVIEWED, ReviewState.EXCLUDED, "clear")


def review(slug: str, uuid: str, decision: str, reason: str, actor: str, address: str = "") -> Response:
    """Record a staff decision on one of a consultation's responses; an exclusion needs a reason."""
    r = responses.by_uuid(uuid)
    if r is None or r.consultation_slug != slug:
        raise ProblemError([Problem("response", "no such response to this consultation")])
    if decision not in DECISIONS:
        raise ProblemError([Problem("decision", "must be reviewed, excluded or clear")])
    reason = " ".join(reason.split())
    if decision == ReviewState.EXCLUDED and not reason:
        raise ProblemError([Problem("reason", "say why this response is excluded from results")])
    if len(reason) > REASON_MAX:
        raise ProblemError([Problem("reason", f"at most {REASON_MAX} characters")])
    was_counted = r.review != ReviewState.EXCLUDED
    r.review = None if decision == "clear" else decision
    r.review_reason = reason or None if decision == ReviewState.EXCLUDED else None
    r.reviewed_by, r.reviewed_at = actor, utcnow()
    now_counted = r.review != ReviewState.EXCLUDED
    if was_counted != now_counted and (not r.synthetic or counting.with_synthetic(slug)):
        kept.adjust(slug, r.id, 1 if now_counted else -1)  # the kept counts follow, exactly
    db.session.commit()
    audit.record("response.review", r.uuid, actor, address, decision=decision, consultation=slug)
    return r
