"""A consultation's codebook of themes (English and Welsh names) and the answers tagged with them.

Tags are many-to-many: an answer can carry several themes. Bulk tagging runs in the database
(``INSERT … SELECT`` over the filtered answers), so "tag all 40,000 matching" is one statement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, literal, select

from kiosk.core import audit
from kiosk.core.db import db, dialect_insert
from kiosk.core.problems import Problem, ProblemError

from . import search
from .models import THEME_NAME_MAX, AnswerTheme, TextAnswer, Theme


def codebook(slug: str) -> list[Theme]:
    """A consultation's themes, by English name."""
    return list(db.session.execute(select(Theme).filter_by(consultation_slug=slug)
                                   .order_by(Theme.name_en)).scalars())


def get(slug: str, theme_id: int) -> Theme:
    """One theme of this consultation; ProblemError (404-like, field ``theme``) otherwise."""
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.consultation_slug != slug:
        raise ProblemError([Problem("theme", "is not a theme of this consultation")])
    return theme


def check_names(name_en: str, name_cy: str) -> tuple[str, str]:
    """Both names, trimmed; ProblemError naming each one missing or too long."""
    problems = []
    names = {"name_en": " ".join(name_en.split()), "name_cy": " ".join(name_cy.split())}
    for field, value in names.items():
        if not value:
            problems.append(Problem(field, "is required (the codebook is bilingual)"))
        elif len(value) > THEME_NAME_MAX:
            problems.append(Problem(field, f"at most {THEME_NAME_MAX} characters"))
    if problems:
        raise ProblemError(problems)
    return names["name_en"], names["name_cy"]


def create(slug: str, name_en: str, name_cy: str, actor: str) -> Theme:
    """Add a theme to the codebook; ProblemError if a name is missing or already used."""
    name_en, name_cy = check_names(name_en, name_cy)
    taken = db.session.execute(select(Theme.id).filter_by(consultation_slug=slug)
                               .where(func.lower(Theme.name_en) == name_en.lower())).first()
    if taken:
        raise ProblemError([Problem("name_en", "this consultation already has a theme of that name")])
    theme = Theme(consultation_slug=slug, name_en=name_en, name_cy=name_cy, created_by=actor)
    db.session.add(theme)
    db.session.flush()
    audit.record("theme.create", slug, actor, theme=name_en)
    return theme


def tag(slug: str, theme_id: int, answer_ids: Iterable[int], actor: str) -> int:
    """Give a theme to the chosen answers of this consultation; returns how many were new."""
    get(slug, theme_id)
    wanted = sorted(set(answer_ids))
    if not wanted:
        raise ProblemError([Problem("answer", "choose at least one answer")])
    chosen = select(TextAnswer.id, literal(theme_id)).where(
        TextAnswer.consultation_slug == slug, TextAnswer.id.in_(wanted))
    return _tag_from(slug, theme_id, chosen, actor)


def tag_matching(slug: str, theme_id: int, f: search.Filters, actor: str) -> int:
    """Give a theme to every answer passing the filters (a search, a placement, …)."""
    get(slug, theme_id)
    return _tag_from(slug, theme_id, search.ids(slug, f).add_columns(literal(theme_id)), actor)


def _tag_from(slug: str, theme_id: int, chosen: object, actor: str) -> int:
    insert = dialect_insert(AnswerTheme).from_select(["answer_id", "theme_id"], chosen)
    # RETURNING counts what was new on both databases (rowcount of INSERT … SELECT is not portable)
    added = len(db.session.execute(insert.on_conflict_do_nothing().returning(AnswerTheme.answer_id)).all())
    audit.record("theme.tag", slug, actor, theme=theme_id, answers=added)
    return added


def untag(slug: str, theme_id: int, answer_id: int) -> None:
    """Take a theme off one answer (not audited: nothing is lost)."""
    get(slug, theme_id)
    db.session.execute(delete(AnswerTheme).filter_by(theme_id=theme_id, answer_id=answer_id))
    db.session.commit()


def of_answers(answer_ids: Iterable[int]) -> dict[int, list[Theme]]:
    """The themes of each listed answer."""
    wanted = list(answer_ids)
    out: dict[int, list[Theme]] = {i: [] for i in wanted}
    if wanted:
        for answer_id, theme in db.session.execute(
                select(AnswerTheme.answer_id, Theme).join(Theme, Theme.id == AnswerTheme.theme_id)
                .where(AnswerTheme.answer_id.in_(wanted)).order_by(Theme.name_en)):
            out[answer_id].append(theme)
    return out


@dataclass(frozen=True)
class ThemeCount:
    """A theme and how many answers, and how many responses, carry it."""
    theme: Theme
    answers: int
    responses: int


def theme_counts(slug: str, f: search.Filters | None = None) -> list[ThemeCount]:
    """Each theme of the codebook with its answers and responses (narrowed by filters, if given),
    most used first; themes nobody has used yet count 0. Reports and exports read this."""
    query = (select(AnswerTheme.theme_id, func.count(), func.count(TextAnswer.response_id.distinct()))
             .join(TextAnswer, TextAnswer.id == AnswerTheme.answer_id).group_by(AnswerTheme.theme_id))
    if f is None or f == search.Filters():  # every answer: read the tags, not every answer's id
        query = query.where(TextAnswer.consultation_slug == slug)
    else:
        found = search.ids(slug, f).subquery()
        query = query.where(AnswerTheme.answer_id.in_(select(found.c.id)))
    counted = {t: (int(a), int(r)) for t, a, r in db.session.execute(query)}
    out = [ThemeCount(t, *counted.get(t.id, (0, 0))) for t in codebook(slug)]
    return sorted(out, key=lambda c: (-c.answers, c.theme.name_en.lower()))


def by_response(slug: str, language: str = "en") -> dict[int, str]:
    """Response id → its themes' names joined with "; " (for the export's themes column)."""
    names: dict[int, set[str]] = {}
    column = Theme.name_cy if language == "cy" else Theme.name_en
    for response_id, name in db.session.execute(
            select(TextAnswer.response_id, column).join(AnswerTheme, AnswerTheme.answer_id == TextAnswer.id)
            .join(Theme, Theme.id == AnswerTheme.theme_id).where(TextAnswer.consultation_slug == slug)):
        names.setdefault(response_id, set()).add(name)
    return {k: "; ".join(sorted(v)) for k, v in names.items()}
