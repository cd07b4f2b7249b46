"""Cross-tabs: one closed question's answers by a channel, event, placement, kiosk, version, area or
any other closed question (equality questions included, with small cells suppressed), counted by the
database with GROUP BY on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Select, func, select, true

from kiosk.areas import store as areas
from kiosk.consultations import equality
from kiosk.consultations.types import Definition, Question
from kiosk.core.db import db
from kiosk.core.problems import Problem, ProblemError
from kiosk.core.rounding import divide
from kiosk.core.text import tr
from kiosk.devices import store as devices
from kiosk.events import store as events
from kiosk.outreach.models import TrackingCode
from kiosk.reports import atoms, tallies
from kiosk.reports.filters import Filters, response_query
from kiosk.responses.models import Response

#: Question types whose answers fall into a fixed set of values (a postcode counts by its area).
CLOSED = atoms.CLOSED
#: What a cross-tab can split answers by, besides another closed question (``q:<id>``).
DIMENSIONS = {"channel": Response.channel, "event": Response.event_id,
              "placement": Response.tracking_code, "device": Response.device_id,
              "version": Response.version}
NONE = ""  # the column of responses with no event, placement or kiosk, and of blank answers


@dataclass
class CrossTab:
    """Counts of one question's answers (rows) by another variable (columns)."""
    question: Question
    by: str
    rows: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    columns: list[tuple[str, str]] = field(default_factory=list)
    cells: dict[tuple[str, str], int | None] = field(default_factory=dict)
    totals: dict[str, int | None] = field(default_factory=dict)  # per column
    suppressed_under: int | None = None  # the threshold, when small cells were suppressed

    def percent(self, row: str, column: str, places: int = 0) -> Decimal | None:
        """The cell as a percentage of its column's answers, under the rounding rule (None when
        either is suppressed or the column is empty)."""
        n, total = self.cells.get((row, column)), self.totals.get(column)
        return divide(100 * n, total, places) if n is not None and total else None

    def csv_rows(self) -> Iterator[list[Any]]:
        """Header, then per answer its count and column share in each column (blank when suppressed)."""
        yield ["answer", *[f"{label} ({kind})" for _v, label in self.columns for kind in ("n", "%")]]
        for value, label in self.rows:
            cells: list[Any] = [label]
            for col, _label in self.columns:
                n, share = self.cells.get((value, col)), self.percent(value, col, 1)
                cells += ["" if n is None else n, "" if share is None else share]
            yield cells
        yield ["total", *[x for col, _l in self.columns
                          for x in ("" if self.totals.get(col) is None else self.totals[col], "")]]


def closed_questions(defn: Definition) -> list[Question]:
    """The questions a cross-tab can count."""
    return [q for q in defn["questions"] if q["type"] in CLOSED]


def _question(defn: Definition, qid: str) -> Question:
    for q in closed_questions(defn):
        if q.get("key", q["id"]) == qid or q["id"] == qid:
            return q
    raise ProblemError([Problem("q", f"{qid!r} is not a closed question of this consultation")])


def _values(q: Question) -> Any:
    """A table-valued SQL expression of q's answer values (one row per chosen option for multiple
    choice), for a lateral join; or a scalar expression."""
    dialect = db.session.get_bind().dialect.name
    if q["type"] == "multiple":
        if dialect == "postgresql":
            return func.json_array_elements_text(Response.answers[q["id"]]).table_valued("value")
        return func.json_each(Response.answers, f'$."{q["id"]}"').table_valued("value")
    path = (q["id"], "area") if q["type"] == "postcode" else (q["id"],)
    return Response.answers[path].as_string() if len(path) > 1 else Response.answers[q["id"]].as_string()


def _variable(q: Question, query: Select, *, split: bool = False) -> tuple[Select, Any]:
    """query joined to q's values, and the column to group by; a split keeps the responses that
    did not answer (their column is NONE)."""
    if "asked_in" in q and not split:  # an older version's answer under this id may be of another type
        query = query.where(Response.version.in_(q["asked_in"]))
    values = _values(q)
    if q["type"] == "multiple":
        return (query.outerjoin if split else query.join)(values, true()), values.c.value
    return query, values


def _labels(q: Question, lang: str | None) -> dict[str, str]:
    if q["type"] == "scale":
        return {str(v): str(v) for v in range(q["min"], q["max"] + 1)}
    if q["type"] == "postcode":
        return {code: tr(name, lang) for code, name in areas.names().items()}
    return {str(o["value"]): tr(o["label"], lang) for o in q["options"]}


def _dimension_labels(by: str, values: set[str], lang: str | None) -> dict[str, str]:
    if by == "event":
        return {k: tr(v, lang) for k, v in events.names(values).items()}
    if by == "device":
        return devices.names(values)
    if by == "placement":
        return dict(db.session.execute(select(TrackingCode.code, TrackingCode.label)
                                       .where(TrackingCode.code.in_(values))).all())
    if by == "version":
        return {v: f"v{v}" for v in values}
    return {}


def build(defn: Definition, slug: str, qid: str, by: str, f: Filters | None = None, *,
          officer: bool = False, threshold: int = 10, lang: str | None = None) -> CrossTab:
    """The cross-tab of question qid by a dimension or ``q:<question id>``, under the report filters;
    equality cells under threshold are suppressed unless the viewer is an officer."""
    q = _question(defn, qid)
    if (f is None or f == Filters()) and by in DIMENSIONS:
        counts = _kept(slug, q, by)  # the whole consultation by one dimension: from kept counts
        col_labels: dict[str, str] = {}
        col_equality = False
    else:
        counts, col_labels, col_equality = _grouped(defn, slug, q, by, f or Filters(), lang)
    return _table(q, by, counts, col_labels, col_equality, officer=officer, threshold=threshold, lang=lang)


def _kept(slug: str, q: Question, by: str) -> Counter[tuple[str, str]]:
    """(answer, column) counts of q by a dimension over every response, from kiosk.reports.tallies."""
    versions = set(q.get("asked_in") or [])
    out: Counter[tuple[str, str]] = Counter()
    for (v, qid, atom), n in tallies.counts(slug, "splits").items():
        dim, where, token = cast(tuple[str, str, str], atom)
        if qid == atoms.SPLIT + q["id"] and (not versions or v in versions) and dim == (
                "channel" if by == "version" else by):
            out[(token, str(v) if by == "version" else where)] += n
    return out


def _grouped(defn: Definition, slug: str, q: Question, by: str, f: Filters,
             lang: str | None) -> tuple[Counter[tuple[str, str]], dict[str, str], bool]:
    """(answer, column) counts grouped by the database, the columns' labels when they are a
    question's options, and whether that question is an equality one."""
    query = response_query(slug, f, func.count()).order_by(None)
    query, row_col = _variable(q, query)
    if by.startswith("q:"):
        other = _question(defn, by[2:])
        if other is q:
            raise ProblemError([Problem("by", "a question cannot be split by itself")])
        query, col_col = _variable(other, query, split=True)
        col_labels = _labels(other, lang)
        col_equality = equality.is_equality(other)
    elif by in DIMENSIONS:
        col_col, col_labels, col_equality = DIMENSIONS[by], {}, False
    else:
        raise ProblemError([Problem("by", f"{by!r} is not one of {', '.join(DIMENSIONS)} or q:<id>")])
    counts: Counter[tuple[str, str]] = Counter()
    for n, row, col in db.session.execute(query.add_columns(row_col, col_col).group_by(row_col, col_col)):
        if row is None:
            continue  # not answered: a cross-tab counts answers
        counts[(str(row), NONE if col is None else str(col))] += int(n)
    return counts, col_labels, col_equality


def _table(q: Question, by: str, counts: Counter[tuple[str, str]], col_labels: dict[str, str],
           col_equality: bool, *, officer: bool, threshold: int, lang: str | None) -> CrossTab:
    out = CrossTab(q, by)
    row_labels = _labels(q, lang)
    seen_rows = {r for r, _c in counts}
    out.rows = [(v, label) for v, label in row_labels.items()] + \
        [(v, v) for v in sorted(seen_rows - set(row_labels))]
    seen_cols = {c for _r, c in counts}
    if not col_labels:
        col_labels = _dimension_labels(by, seen_cols - {NONE}, lang)
        out.columns = sorted(((c, col_labels.get(c, c) or c) for c in seen_cols if c != NONE),
                             key=lambda pair: pair[1].lower())
    else:
        out.columns = [(v, label) for v, label in col_labels.items() if v in seen_cols] + \
            [(c, c) for c in sorted(seen_cols - set(col_labels) - {NONE})]
    if NONE in seen_cols:
        out.columns.append((NONE, "—"))
    out.cells = {(r, c): counts.get((r, c), 0) for r, _rl in out.rows for c, _cl in out.columns}
    out.totals = {c: sum(counts.get((r, c), 0) for r, _rl in out.rows) for c, _cl in out.columns}
    if not officer and (equality.is_equality(q) or col_equality):
        _suppress(out, threshold, cols_equality=col_equality)
    return out


def _suppress(t: CrossTab, threshold: int, *, cols_equality: bool) -> None:
    """Suppress small cells column by column (and small column totals of an equality column)."""
    for col, _label in t.columns:
        column = {r: t.cells[(r, col)] or 0 for r, _l in t.rows}
        for r, n in equality.suppress_counts(column, threshold).items():
            t.cells[(r, col)] = n
    if cols_equality:
        t.totals = equality.suppress_counts({c: n or 0 for c, n in t.totals.items()}, threshold)
    t.suppressed_under = threshold
