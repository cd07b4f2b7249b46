"""Reading free-text answers: filters, full-text search on either database, keyset pages.

SQLite searches an FTS5 table (``text_answers_fts``, external content over ``text_answers``,
kept in step by triggers); PostgreSQL a GIN index over ``to_tsvector('simple', …)`` of the
same text, lower-cased and with Welsh and other accents folded (``ACCENT_FREE``). Both are built
by migration 0021_i15ft. Pages go by answer id, newest first (``WHERE id < :after``): a page
deep in a million answers costs what the first one does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, exists, func, literal_column, select, text

from kiosk.core.db import db
from kiosk.core.problems import Problem

from . import vocabulary
from .models import AnswerTheme, TextAnswer

PAGE = 50
MAX_QUERY = 200
#: The accents folded on PostgreSQL, as SQLite's ``remove_diacritics 2`` folds them.
ACCENTED = "âêîôûŵŷáéíóúẃýàèìòùẁỳäëïöüẅÿ"
PLAIN = "aeiouwy" * 4
#: The indexed expression (the GIN index is on exactly this text; keep the two in step).
TSVECTOR = f"to_tsvector('simple', translate(lower(body), '{ACCENTED}', '{PLAIN}'))"
CHANNELS = ("kiosk", "web", "paper")
#: The theme filter value that means "no theme yet".
UNTAGGED = "none"


@dataclass(frozen=True)
class Filters:
    """What narrows a list of answers; None means any."""
    q: str = ""
    code: str | None = None
    event: str | None = None
    area: str | None = None
    channel: str | None = None
    version: int | None = None
    theme: int | str | None = None  # a theme id, or UNTAGGED
    question: str | None = None


def parse_filters(args: Mapping[str, str]) -> tuple[Filters, list[Problem]]:
    """Filters from a query string, and a problem for each value that cannot be used."""
    problems: list[Problem] = []
    got = {k: (args.get(k) or "").strip() or None for k in
           ("code", "event", "area", "channel", "version", "theme", "question")}
    q = (args.get("q") or "").strip()
    if len(q) > MAX_QUERY:
        problems.append(Problem("q", f"at most {MAX_QUERY} characters"))
        q = q[:MAX_QUERY]
    if q and not vocabulary.parse(q):
        problems.append(Problem("q", "has no words to search for"))
    if got["channel"] and got["channel"] not in CHANNELS:
        problems.append(Problem("channel", f"must be one of {', '.join(CHANNELS)}"))
        got["channel"] = None
    version = None
    if got["version"]:
        if got["version"].isdigit():
            version = int(got["version"])
        else:
            problems.append(Problem("version", "must be a whole number"))
    theme: int | str | None = None
    if got["theme"]:
        if got["theme"] == UNTAGGED or got["theme"].isdigit():
            theme = got["theme"] if got["theme"] == UNTAGGED else int(got["theme"])
        else:
            problems.append(Problem("theme", "must be a theme of this consultation"))
    return Filters(q=q, code=got["code"], event=got["event"], area=got["area"], channel=got["channel"],
                   version=version, theme=theme, question=got["question"]), problems


def matching(slug: str, f: Filters, *columns: Any) -> Select:
    """A SELECT of the answers of a consultation that pass the filters (default: whole rows)."""
    query = select(*(columns or (TextAnswer,))).where(TextAnswer.consultation_slug == slug)
    for column, value in ((TextAnswer.tracking_code, f.code), (TextAnswer.event_id, f.event),
                          (TextAnswer.area, f.area), (TextAnswer.channel, f.channel),
                          (TextAnswer.version, f.version), (TextAnswer.question_id, f.question)):
        if value is not None:
            query = query.where(column == value)
    tagged = exists().where(AnswerTheme.answer_id == TextAnswer.id)
    if f.theme == UNTAGGED:
        query = query.where(~tagged)
    elif f.theme is not None:
        query = query.where(tagged.where(AnswerTheme.theme_id == f.theme))
    terms = vocabulary.parse(f.q) if f.q else []
    if terms:
        query = query.where(_match(terms))
    return query


def _match(terms: list[vocabulary.Term]) -> Any:
    """The full-text condition, in the database's own dialect."""
    if db.session.get_bind().dialect.name == "postgresql":
        return literal_column(TSVECTOR).op("@@")(func.to_tsquery(text("'simple'"), vocabulary.tsquery(terms)))
    fts = text("SELECT rowid FROM text_answers_fts WHERE text_answers_fts MATCH :match").bindparams(
        match=vocabulary.fts5(terms))
    return TextAnswer.id.in_(fts)


@dataclass(frozen=True)
class Page:
    """One page of answers, newest first, and where the next one starts (None: the last)."""
    answers: list[TextAnswer]
    next_after: int | None


def page(slug: str, f: Filters, after: int | None = None, size: int = PAGE) -> Page:
    """The answers after (older than) answer id ``after`` that pass the filters."""
    query = matching(slug, f)
    if after is not None:
        query = query.where(TextAnswer.id < after)
    rows = list(db.session.execute(query.order_by(TextAnswer.id.desc()).limit(size + 1)).scalars())
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows, rows[-1].id if more and rows else None)


#: Answers counted at most for a page's "N answers match" (beyond it: "more than"), so a common
#: word costs the same at a million answers as at ten thousand.
COUNT_CAP = 10_000


def count(slug: str, f: Filters, cap: int | None = None) -> int:
    """How many answers pass the filters (counting stops at cap + 1 when a cap is given)."""
    found = matching(slug, f, TextAnswer.id)
    if cap is not None:
        found = found.limit(cap + 1)
    return int(db.session.execute(select(func.count()).select_from(found.subquery())).scalar_one())


def ids(slug: str, f: Filters) -> Select:
    """The ids of every answer passing the filters (for a bulk action, run in the database)."""
    return matching(slug, f, TextAnswer.id)
