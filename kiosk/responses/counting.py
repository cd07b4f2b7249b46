"""Which responses count in a consultation's results: the one rule every figure and export uses.

A response staff excluded (kiosk.responses.review) is left out unless asked for; synthetic rows
(``voxbox demo --responses``) are left out of a consultation that has real responses, and counted
in one that has only synthetic ones (a demo or a benchmark), unless the caller says otherwise.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, case, exists, false, func, or_, select

from kiosk.core.db import db
from kiosk.core.states import ReviewState
from kiosk.outreach.models import Scan
from kiosk.responses.models import Response


def has_real(slug: str) -> bool:
    """Whether a consultation has any response that is not synthetic (an index lookup)."""
    return bool(db.session.execute(select(exists().where(
        Response.consultation_slug == slug, Response.synthetic.is_(false())))).scalar())


def with_synthetic(slug: str, synthetic: bool | None = None) -> bool:
    """Whether synthetic rows count: as asked, else only while the consultation has no real ones."""
    return (not has_real(slug)) if synthetic is None else synthetic


def not_excluded() -> ColumnElement[bool]:
    """Responses staff have not excluded from results."""
    return or_(Response.review.is_(None), Response.review != ReviewState.EXCLUDED)


def counted(slug: str, *, synthetic: bool | None = None, excluded: bool = False) -> ColumnElement[bool]:
    """The WHERE clause for a consultation's responses that count: without excluded ones (unless
    excluded=True) and without synthetic ones when it has real ones (synthetic=True/False to say)."""
    clauses = [Response.consultation_slug == slug]
    if not excluded:
        clauses.append(not_excluded())
    if not with_synthetic(slug, synthetic):
        clauses.append(Response.synthetic.is_(false()))
    return and_(*clauses)


def counted_scans(slug: str, *, synthetic: bool | None = None) -> ColumnElement[bool]:
    """The WHERE clause for a consultation's scans that count (synthetic ones by the same rule)."""
    if with_synthetic(slug, synthetic):
        return Scan.consultation_slug == slug
    return and_(Scan.consultation_slug == slug, Scan.synthetic.is_(false()))


def counts_by_consultation() -> dict[str, int]:
    """Counted responses per consultation slug, by the rule above (consultations with none are absent)."""
    real: dict[str, int] = {}
    made: dict[str, int] = {}
    q = (select(Response.consultation_slug, Response.synthetic,
                func.sum(case((not_excluded(), 1), else_=0)))
         .group_by(Response.consultation_slug, Response.synthetic))
    for slug, synthetic, n in db.session.execute(q):
        (made if synthetic else real)[slug] = int(n or 0)
    out = {slug: real.get(slug, made.get(slug, 0)) for slug in set(real) | set(made)}
    return {slug: n for slug, n in out.items() if n}
