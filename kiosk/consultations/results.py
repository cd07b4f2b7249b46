"""We asked, you said, we did: what staff choose to publish about a consultation's results, when,
and the figures the public page shows (all counted in the database)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from kiosk.consultations import store as consultations
from kiosk.consultations.models import Consultation, ResultsPublication
from kiosk.consultations.types import Definition, Question
from kiosk.core.db import db
from kiosk.core.problems import Problem, ProblemError
from kiosk.core.states import ConsultationStatus
from kiosk.core.timeutil import london_today
from kiosk.reports import tallies
from kiosk.reports.counts import counts_by_area
from kiosk.responses import counting
from kiosk.responses import store as responses
from kiosk.responses.models import Response

#: The charts staff may publish, in the order the page shows them.
CHARTS = ("budget", "channels", "areas")
TEXTS = ("we_asked", "you_said", "we_did")
LANGUAGES = ("en", "cy")
MAX_TEXT = 5000
MAX_QUOTES = 20
#: Free-text answers offered as quotes on one editor page.
CANDIDATES = 50


@dataclass
class Content:
    """What the editor holds: bilingual texts, charts and quote references, publication day."""

    texts: dict[str, dict[str, str]] = field(default_factory=lambda: {k: {} for k in TEXTS})
    charts: list[str] = field(default_factory=lambda: list(CHARTS))
    quotes: list[dict[str, str]] = field(default_factory=list)
    publish_on: dt.date | None = None


def get(slug: str) -> ResultsPublication | None:
    """The stored publication of a consultation's results, if staff have written one."""
    return db.session.execute(select(ResultsPublication).filter_by(consultation_slug=slug)
                              ).scalar_one_or_none()


def content(slug: str) -> Content:
    """The editor's content: what is stored, or a fresh page with every chart ticked."""
    pub = get(slug)
    if pub is None:
        return Content()
    return Content({"we_asked": pub.we_asked, "you_said": pub.you_said, "we_did": pub.we_did},
                   list(pub.charts), list(pub.quotes), pub.publish_on)


def check(c: Content) -> list[Problem]:
    """What is wrong with the editor's content (text too long, unknown charts, too many quotes)."""
    out = [Problem(f"{k}_{lang}", f"at most {MAX_TEXT} characters")
           for k in TEXTS for lang, v in c.texts.get(k, {}).items() if len(v) > MAX_TEXT]
    out += [Problem("charts", f"unknown chart {name!r}") for name in c.charts if name not in CHARTS]
    if len(c.quotes) > MAX_QUOTES:
        out.append(Problem("quotes", f"at most {MAX_QUOTES} quotes"))
    if c.publish_on is not None and any(not c.texts.get(k, {}).get("en") for k in TEXTS):
        out.append(Problem("publish_on", "write each part in English before choosing a date"))
    return out


def save(slug: str, c: Content, actor: str) -> ResultsPublication:
    """Store the editor's content (ProblemError if it does not pass check)."""
    problems = check(c)
    if problems:
        raise ProblemError(problems)
    pub = get(slug) or ResultsPublication(consultation_slug=slug)
    pub.we_asked, pub.you_said, pub.we_did = (
        {lang: c.texts.get(k, {}).get(lang, "") for lang in LANGUAGES} for k in TEXTS)
    pub.charts = [name for name in CHARTS if name in c.charts]
    pub.quotes = c.quotes
    pub.publish_on = c.publish_on
    pub.updated_by = actor
    db.session.add(pub)
    db.session.commit()
    return pub


def live(c: Consultation, today: dt.date | None = None) -> ResultsPublication | None:
    """The publication the public page shows today: closed, with its date reached."""
    today = today or london_today()
    if c.status == ConsultationStatus.DRAFT or consultations.is_open(c, today):
        return None
    pub = get(c.slug)
    return pub if pub is not None and pub.publish_on is not None and pub.publish_on <= today else None


# --- quotes ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    """One resident's words, found by reference when the page is shown."""

    response: str
    question: str
    text: str
    language: str


def text_questions(defn: Definition) -> list[Question]:
    """The free-text questions a quote can come from."""
    return [q for q in defn["questions"] if q["type"] == "text"]


def quotable(answer: Any) -> str | None:
    """The text of an answer that may be quoted, else None (a redacted answer has no text left)."""
    return answer.strip() if isinstance(answer, str) and answer.strip() else None


def withheld(slug: str, refs: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which (response, question) answers staff have hidden from public quotes: the one place
    that decides (nothing is hidden until the free-text workspace records it)."""
    return set()


def candidates(slug: str, defn: Definition, offset: int = 0) -> list[Quote]:
    """Recent free-text answers staff can pick quotes from, newest first, a page at a time."""
    out: list[Quote] = []
    for q in text_questions(defn):
        value = Response.answers[q["id"]].as_string()
        rows = db.session.execute(select(Response.uuid, value, Response.language).where(
            counting.counted(slug), value.is_not(None))
            .order_by(Response.id.desc()).limit(CANDIDATES).offset(offset))
        out += [Quote(uuid, q["id"], text, lang) for uuid, raw, lang in rows
                if (text := quotable(raw)) is not None]
    hidden = withheld(slug, [(q.response, q.question) for q in out])
    return [q for q in out if (q.response, q.question) not in hidden]


def resolve(slug: str, refs: list[dict[str, str]]) -> list[Quote]:
    """The quotes behind the references, as the answers stand now (one gone or hidden is left out)."""
    uuids = [ref["response"] for ref in refs]
    found = {r.uuid: r for r in db.session.execute(select(Response).where(
        Response.uuid.in_(uuids), Response.consultation_slug == slug)).scalars()} if uuids else {}
    hidden = withheld(slug, [(ref["response"], ref["question"]) for ref in refs])
    out = []
    for ref in refs:
        r = found.get(ref["response"])
        text = quotable(r.answers.get(ref["question"])) if r is not None else None
        if r is not None and text is not None and (r.uuid, ref["question"]) not in hidden:
            out.append(Quote(r.uuid, ref["question"], text, r.language))
    return out


# --- the public page ------------------------------------------------------------------------------


@dataclass
class Figures:
    """What the public results page shows beside the text, each only if its chart is chosen."""

    channels: dict[str, int]
    areas: list[tuple[str, dict, int]]
    budgets: list[tuple[Question, dict]]
    quotes: list[Quote]


def figures(slug: str, pub: ResultsPublication) -> Figures:
    """The chosen charts' figures and the chosen quotes, counted in the database."""
    defn = consultations.merged_definition(slug)
    asked = defn["questions"] if defn else []
    budgets = [(q, tallies.summary(slug, q)) for q in asked
               if q["type"] == "budget"] if "budget" in pub.charts else []
    return Figures(
        channels=responses.counts_by_channel(slug) if "channels" in pub.charts else {},
        areas=counts_by_area(slug, defn) if defn and "areas" in pub.charts else [],
        budgets=budgets,
        quotes=resolve(slug, pub.quotes))
