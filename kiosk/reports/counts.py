"""Counts of one consultation's responses by where residents live (their postcode's area),
grouped in the database."""

from __future__ import annotations

from sqlalchemy import func, select

from kiosk.areas import store as areas
from kiosk.consultations.types import Definition
from kiosk.core.db import db
from kiosk.responses import counting
from kiosk.responses.models import Response


def counts_by_area(slug: str, defn: Definition) -> list[tuple[str, dict, int]]:
    """(area code, bilingual name, responses) from the first postcode question, most first and
    "outside" last; empty when the consultation asks no postcode."""
    asked = [q for q in defn["questions"] if q["type"] == "postcode"]
    if not asked:
        return []
    area = Response.answers[(asked[0]["id"], "area")].as_string()
    rows = db.session.execute(select(area, func.count()).where(
        counting.counted(slug), area.is_not(None)).group_by(area))
    counted: dict[str, int] = {str(code): int(n) for code, n in rows}
    names = areas.names()
    inside = sorted(((c, n) for c, n in counted.items() if c != areas.OUTSIDE),
                    key=lambda cn: (-cn[1], cn[0]))
    outside = [(areas.OUTSIDE, counted[areas.OUTSIDE])] if areas.OUTSIDE in counted else []
    return [(code, names.get(code, {"en": code}), n) for code, n in inside + outside]
