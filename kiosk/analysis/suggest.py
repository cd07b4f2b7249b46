"""Suggested themes, computed on the hub with no network: TF-IDF over the answers, then k-means.

Each cluster's strongest words name the suggestion. Nothing is applied: a suggestion is stored
(its words and its answers' ids, never text) until a person confirms it, giving the theme its
English and Welsh names, which creates the theme and tags the cluster's answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select

from kiosk.core.db import db
from kiosk.core.problems import Problem, ProblemError

from . import search, themes
from .models import TextAnswer, Theme, ThemeSuggestion

#: The most answers clustered at once (the newest; a sample is enough to suggest themes).
SAMPLE = 5000
TOP_TERMS = 4
MAX_CLUSTERS = 12
#: Welsh words too common to name a theme (scikit-learn knows the English ones).
WELSH_STOP = frozenset(
    "a ac am ar at bod bydd byddai chi dan drwy dros dy e ei eich ein eu fe fi fy gan gyda hefyd "
    "hi hwn hyn hynny i iawn mae mi mwy na nad neu ni nid nhw o oedd oes os pan pob rhaid sy sydd "
    "ti trwy un wedi y yma yn yr yw ydy ydi dim ddim fel beth ond mwyaf llawer angen".split())


@dataclass(frozen=True)
class Suggested:
    """A stored suggestion with its size and a few of its answers to read."""
    suggestion: ThemeSuggestion
    examples: list[TextAnswer]


def compute(slug: str, clusters: int = 5, f: search.Filters | None = None,
            seed: int = 0) -> list[ThemeSuggestion]:
    """Cluster the answers passing the filters (default: those with no theme yet) and store one
    suggestion per cluster, replacing this consultation's earlier suggestions."""
    from sklearn.cluster import KMeans  # slow to import: only when asked
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    if not 2 <= clusters <= MAX_CLUSTERS:
        raise ProblemError([Problem("clusters", f"between 2 and {MAX_CLUSTERS}")])
    f = f or search.Filters(theme=search.UNTAGGED)
    rows = db.session.execute(search.matching(slug, f, TextAnswer.id, TextAnswer.body)
                              .where(TextAnswer.redacted_at.is_(None))
                              .order_by(TextAnswer.id.desc()).limit(SAMPLE)).all()
    if len(rows) < clusters * 2:
        raise ProblemError([Problem("clusters", f"too few answers ({len(rows)}) for {clusters} themes")])
    vectorizer = TfidfVectorizer(stop_words=sorted(ENGLISH_STOP_WORDS | WELSH_STOP), min_df=2,
                                 max_df=0.5, sublinear_tf=True, token_pattern=r"(?u)\b[^\W\d_]{3,}\b")
    try:
        matrix = vectorizer.fit_transform([r.body for r in rows])
    except ValueError:  # no word appears twice
        raise ProblemError([Problem("clusters", "the answers share too few words to group")]) from None
    model = KMeans(n_clusters=clusters, n_init=10, random_state=seed).fit(matrix)
    words = vectorizer.get_feature_names_out()
    db.session.execute(delete(ThemeSuggestion).filter_by(consultation_slug=slug))
    made = []
    for k in range(clusters):
        members = [int(rows[i].id) for i, label in enumerate(model.labels_) if label == k]
        if not members:
            continue
        top = [str(words[j]) for j in model.cluster_centers_[k].argsort()[::-1][:TOP_TERMS]]
        made.append(ThemeSuggestion(consultation_slug=slug, terms=top, answer_ids=members))
    made.sort(key=lambda s: -len(s.answer_ids))
    db.session.add_all(made)
    db.session.commit()
    return made


def pending(slug: str, examples: int = 3) -> list[Suggested]:
    """This consultation's stored suggestions, largest first, each with a few answers."""
    rows = db.session.execute(select(ThemeSuggestion).filter_by(consultation_slug=slug)
                              .order_by(ThemeSuggestion.id)).scalars()
    out = []
    for s in sorted(rows, key=lambda s: -len(s.answer_ids)):
        shown = db.session.execute(select(TextAnswer).where(TextAnswer.id.in_(s.answer_ids[:examples]))
                                   .where(TextAnswer.redacted_at.is_(None))).scalars()
        out.append(Suggested(s, list(shown)))
    return out


def confirm(slug: str, suggestion_id: int, name_en: str, name_cy: str, actor: str) -> tuple[Theme, int]:
    """A person accepts a suggestion: make the theme and tag its answers; the suggestion goes."""
    s = db.session.get(ThemeSuggestion, suggestion_id)
    if s is None or s.consultation_slug != slug:
        raise ProblemError([Problem("suggestion", "is not a suggestion for this consultation")])
    answer_ids = list(s.answer_ids)
    theme = themes.create(slug, name_en, name_cy, actor)
    theme_id = theme.id
    db.session.execute(delete(ThemeSuggestion).filter_by(id=suggestion_id))
    added = themes.tag(slug, theme_id, answer_ids, actor)
    return theme, added


def dismiss(slug: str, suggestion_id: int) -> None:
    """Drop a suggestion nobody wants."""
    db.session.execute(delete(ThemeSuggestion).filter_by(id=suggestion_id, consultation_slug=slug))
    db.session.commit()
