"""Where a placement's code sends residents, and how that changes safely.

A printed code can be re-pointed only at an open consultation or at the hub's holding page (which
lists the open consultations), so a resident never lands on a draft or a closed page. Each change
is kept in the code's destination history with who made it. A retired code sends its scans to the
holding page for good, and those scans are still counted.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from kiosk.consultations import store as consultations
from kiosk.core.db import db
from kiosk.outreach import scans, tracking
from kiosk.outreach.models import CodeDestination, Scan, TrackingCode
from kiosk.outreach.tracking import HOLDING

#: What the history records for a change made on the command line.
CLI = "cli"
RETIRED = "retired"


class Refused(ValueError):
    """A re-point or retirement that would leave residents somewhere they should not be."""


@dataclass(frozen=True)
class Day:
    """Scans of one code on one day (UTC)."""
    day: str
    scans: int


def _code(code: str) -> TrackingCode:
    row = tracking.get(code)
    if row is None:
        raise LookupError(f"no tracking code {code!r}")
    return row


def check_target(target: str) -> None:
    """Refuse any destination but an open consultation or the holding page, with the reason."""
    if target == HOLDING:
        return
    c = consultations.get(target)
    if c is None:
        raise LookupError(f"no consultation {target!r}")
    if not consultations.is_open(c):
        state = "a draft" if c.status == "draft" else "not open for answers"
        raise Refused(f"consultation {target} is {state}: a code may point only at an open "
                      "consultation or the holding page")


def repoint(code: str, target: str, by: str) -> TrackingCode:
    """Send a code's future scans to an open consultation or the holding page, and record it.

    LookupError for an unknown code or consultation; Refused for a draft or closed consultation,
    a retired code, or the place the code already points at."""
    row = _code(code)
    if row.retired:
        raise Refused(f"tracking code {row.code} is retired: its scans go to the holding page")
    check_target(target)
    if row.consultation_slug == target:
        raise Refused(f"tracking code {row.code} already points there")
    db.session.add(CodeDestination(code=row.code, from_target=row.consultation_slug,
                                   to_target=target, by=by[:320]))
    row.consultation_slug = target
    db.session.commit()
    scans.live_codes().forget(row.code)
    return row


def retire(code: str, by: str) -> TrackingCode:
    """Retire a code for good: its scans land on the holding page and are still counted."""
    row = _code(code)
    if row.retired:
        raise Refused(f"tracking code {row.code} is already retired")
    db.session.add(CodeDestination(code=row.code, from_target=row.consultation_slug,
                                   to_target=RETIRED, by=by[:320]))
    row.retired = True
    db.session.commit()
    scans.live_codes().forget(row.code)
    return row


def history(code: str) -> list[CodeDestination]:
    """A code's destination changes, newest first."""
    q = (select(CodeDestination).where(CodeDestination.code == code)
         .order_by(CodeDestination.at.desc(), CodeDestination.id.desc()))
    return list(db.session.execute(q).scalars())


def timeline(code: str) -> list[Day]:
    """Scans of a code per day (UTC), oldest first, counted by the database."""
    scans.flush()  # this process's scans wait in a buffer: store them before counting
    day = func.date(Scan.at)
    q = (select(day, func.count()).where(Scan.stage == "scan", Scan.code == code)
         .group_by(day).order_by(day))
    return [Day(str(d), n) for d, n in db.session.execute(q)]
