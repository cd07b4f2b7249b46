"""Attribution columns for exports: which placement, event and channel brought each response,
and the themes staff gave its free-text answers."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from kiosk.analysis import themes
from kiosk.consultations import equality
from kiosk.consultations import store as consultations
from kiosk.consultations.types import Definition
from kiosk.core.db import db
from kiosk.core.text import tr
from kiosk.events import store as events
from kiosk.outreach.models import TrackingCode
from kiosk.reports.filters import Filters, response_query
from kiosk.responses import quality, xlsx
from kiosk.responses import store as responses
from kiosk.responses.models import Response


@dataclass(frozen=True)
class Column:
    """One attribution column: a name and how to read it from a response."""
    name: str
    value: Callable[[Response], Any]


def columns(slug: str) -> list[Column]:
    """Placement label and kind, event name, seconds to complete, quality flags and themes."""
    codes = {t.code: t for t in db.session.execute(select(TrackingCode)).scalars()}
    names = {e.id: e.name for e in events.all_events()}
    light = response_query(slug, Filters(), Response.uuid, Response.device_id,
                           Response.tracking_code, Response.started_at, Response.submitted_at)
    flags = quality.flags(db.session.execute(light).all(),
                          quality.too_fast_seconds(consultations.definition(slug)))
    tagged = themes.by_response(slug)

    def placement(r: Response) -> str | None:
        return codes[r.tracking_code].label if r.tracking_code in codes else None

    def kind(r: Response) -> str | None:
        return codes[r.tracking_code].kind if r.tracking_code in codes else None

    def event_name(r: Response) -> str | None:
        return tr(names[r.event_id], "en") if r.event_id in names else None

    def seconds(r: Response) -> int | None:
        value = quality.seconds_to_complete(r)
        return None if value is None else int(value)

    return [Column("placement", placement), Column("placement_kind", kind),
            Column("event_name", event_name), Column("seconds_to_complete", seconds),
            Column("flags", lambda r: " ".join(flags.get(r.uuid, []))),
            Column("themes", lambda r: tagged.get(r.id, ""))]


def rows(slug: str, f: Filters) -> Iterator[Response]:
    """The responses a filtered report covers, oldest first, streamed."""
    q = response_query(slug, f).execution_options(yield_per=1000)
    yield from db.session.execute(q).scalars()


def csv_lines(defn: Definition, slug: str, f: Filters, *, labels: bool = False,
              lang: str = "en") -> Iterator[str]:
    """Filtered responses as formula-safe CSV with the attribution columns."""
    return responses.export_csv(defn, rows(slug, f), columns(slug), labels=labels, lang=lang)


def xlsx_chunks(defn: Definition, slug: str, f: Filters, *, labels: bool = True,
                lang: str = "en") -> Iterator[bytes]:
    """Filtered responses as an XLSX workbook with the attribution columns."""
    return xlsx.export(defn, rows(slug, f), columns(slug), labels=labels, lang=lang)


def json_chunks(slug: str, f: Filters, hidden: frozenset[str] = frozenset()) -> Iterator[str]:
    """Filtered responses as a JSON array of wire records, each with its attribution, without
    the answers to the hidden questions (equality questions, for anyone but an officer)."""
    cols = columns(slug)
    yield "["
    for i, r in enumerate(rows(slug, f)):
        record = responses.wire(r)
        record["answers"] = equality.strip_answers(record["answers"], hidden)
        record["attribution"] = {c.name: c.value(r) for c in cols}
        yield ("," if i else "") + "\n" + json.dumps(record, ensure_ascii=False)
    yield "\n]\n"
