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

from sqlalchemy import Select, column, exists, func, literal_column, select, table, text

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


#: SQLite's full-text table, joined so that it drives a search newest first (FTS5 walks its rowids
#: in order and stops at the LIMIT; an ``id IN (matches)`` would read every match first).
FTS = table("text_answers_fts", column("rowid"))


def matching(slug: str, f: Filters, *columns: Any) -> Select:
    """A SELECT of the answers of a consultation that pass the filters (default: whole rows)."""
    terms = vocabulary.parse(f.q) if f.q else []
    fts = bool(terms) and db.session.get_bind().dialect.name == "sqlite"
    # with a search on SQLite, "+" keeps the consultation index out of the plan, so the FTS5 table
    # drives (probing it per answer instead re-runs the MATCH for each: slower as answers grow)
    own = literal_column("+text_answers.consultation_slug") if fts else TextAnswer.consultation_slug
    query = select(*(columns or (TextAnswer,))).where(own == slug)
    for col, value in ((TextAnswer.tracking_code, f.code), (TextAnswer.event_id, f.event),
                       (TextAnswer.area, f.area), (TextAnswer.channel, f.channel),
                       (TextAnswer.version, f.version), (TextAnswer.question_id, f.question)):
        if value is not None:
            query = query.where(col == value)
    tagged = exists().where(AnswerTheme.answer_id == TextAnswer.id)
    if f.theme == UNTAGGED:
        query = query.where(~tagged)
    elif f.theme is not None:
        query = query.where(tagged.where(AnswerTheme.theme_id == f.theme))
    if terms and not fts:
        query = query.where(literal_column(TSVECTOR).op("@@")(
            func.to_tsquery(text("'simple'"), vocabulary.tsquery(terms))))
    elif terms:
        query = query.join(FTS, FTS.c.rowid == TextAnswer.id).where(
            text("text_answers_fts MATCH :match").bindparams(match=vocabulary.fts5(terms)))
    return query


def _newest_first(query: Select, f: Filters) -> tuple[Select, Any]:
    """The query ordered newest first, and the id column to page on (SQLite: the full-text table's,
    so the search is walked in order rather than sorted)."""
    key = FTS.c.rowid if f.q and vocabulary.parse(f.q) and db.session.get_bind().dialect.name == "sqlite" \
        else TextAnswer.id
    return query.order_by(key.desc()), key


@dataclass(frozen=True)
class Page:
    """One page of answers, newest first, and where the next one starts (None: the last)."""
    answers: list[TextAnswer]
    next_after: int | None


def page(slug: str, f: Filters, after: int | None = None, size: int = PAGE) -> Page:
    """The answers after (older than) answer id ``after`` that pass the filters."""
    query, key = _newest_first(matching(slug, f), f)
    if after is not None:
        query = query.where(key < after)
    rows = list(db.session.execute(query.limit(size + 1)).scalars())
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
