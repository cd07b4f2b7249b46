"""Staff free-text workspace: read, search and filter answers, tag themes, suggestions, redaction."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.analysis import redaction, search, suggest, texts, themes
from kiosk.areas import store as areas
from kiosk.consultations import store as consultations
from kiosk.core import auth
from kiosk.core.problems import Problem, ProblemError
from kiosk.events import store as events
from kiosk.outreach import tracking
from kiosk.web.staff.audit import actor

bp = Blueprint("answers", __name__, url_prefix="/staff/c/<slug>")


def _consultation(slug: str) -> Any:
    c = consultations.get(slug)
    if c is None:
        abort(404)
    texts.fill(slug)  # answers stored before this feature, once
    return c


def _int(name: str) -> int:
    value = (request.form.get(name) or "").strip()
    if not value.isdigit():
        raise ProblemError([Problem(name, "must be chosen")])
    return int(value)


def _query(args: dict[str, str]) -> str:
    return "?" + urlencode(args) if args else ""


def _workspace(slug: str, problems: list[Problem] | None = None, status: int = 200) -> ResponseReturnValue:
    c = _consultation(slug)
    f, found = search.parse_filters(request.args)
    after = request.args.get("after", "")
    if after and not after.isdigit():
        found.append(Problem("after", "must be an answer number"))
    page = search.page(slug, f, int(after) if after.isdigit() else None)
    problems = found + (problems or [])
    return render_template(
        "staff/answers.html", c=c, f=f, page=page, total=search.count(slug, f, search.COUNT_CAP), cap=search.COUNT_CAP,
        tags=themes.of_answers(a.id for a in page.answers), codebook=themes.codebook(slug),
        counts=themes.theme_counts(slug), problems=problems,
        codes=tracking.for_consultation(slug), events=events.all_events(), areas=areas.all_areas(),
        versions=consultations.versions(slug), after=after,
        filter_args={k: v for k, v in request.args.items() if k != "after" and v},
        can_redact=current_user.has_role("officer", "admin")), 400 if problems else status


@bp.get("/answers")
@auth.staff_required
def index(slug: str) -> ResponseReturnValue:
    """Every free-text answer, newest first, searched and filtered, a page at a time."""
    return _workspace(slug)


@bp.post("/answers/tag")
@auth.staff_required
def tag(slug: str) -> ResponseReturnValue:
    """Tag the ticked answers, or every answer matching the current search, with a theme."""
    _consultation(slug)
    try:
        theme_id = _int("tag_theme")
        if request.form.get("scope") == "matching":
            f, problems = search.parse_filters(request.form)
            if problems:
                raise ProblemError(problems)
            themes.tag_matching(slug, theme_id, f, actor())
        else:
            chosen = [int(v) for v in request.form.getlist("answer") if v.isdigit()]
            themes.tag(slug, theme_id, chosen, actor())
    except ProblemError as exc:
        return _workspace(slug, exc.problems)
    back = {k: v for k, v in request.form.items() if k in ("q", "code", "event", "area", "channel",
                                                             "version", "theme", "question") and v}
    return redirect(url_for("answers.index", slug=slug) + _query(back), 303)


@bp.post("/answers/<int:answer_id>/untag/<int:theme_id>")
@auth.staff_required
def untag(slug: str, answer_id: int, theme_id: int) -> ResponseReturnValue:
    """Take one theme off one answer."""
    _consultation(slug)
    try:
        themes.untag(slug, theme_id, answer_id)
    except ProblemError:
        abort(404)
    return redirect(url_for("answers.index", slug=slug), 303)


@bp.post("/answers/<int:answer_id>/quote")
@auth.staff_required
def quote(slug: str, answer_id: int) -> ResponseReturnValue:
    """Hide an answer from public quotes, or let it be quoted again."""
    _consultation(slug)
    try:
        redaction.set_hidden(slug, answer_id, request.form.get("hidden") == "yes", actor(),
                             request.remote_addr or "")
    except ProblemError:
        abort(404)
    return redirect(url_for("answers.index", slug=slug), 303)


@bp.route("/answers/<int:answer_id>/redact", methods=["GET", "POST"])
@auth.role_required("officer", "admin")
def redact(slug: str, answer_id: int) -> ResponseReturnValue:
    """Redact personal data from one answer, once the officer ticks that the original is destroyed."""
    c = _consultation(slug)
    try:
        answer = redaction.answer(slug, answer_id)
    except ProblemError:
        abort(404)
    problems: list[Problem] = []
    if request.method == "POST":
        redacted, reason = request.form.get("redacted", ""), request.form.get("reason", "")
        try:
            if request.form.get("confirm") != "yes":
                raise ProblemError([Problem("confirm", _("Tick the box to confirm the original "
                                                         "text is destroyed"))])
            redaction.redact(slug, answer_id, redacted, reason, actor(), request.remote_addr or "")
        except ProblemError as exc:
            problems = exc.problems
        else:
            return redirect(url_for("answers.index", slug=slug), 303)
    return render_template("staff/answer_redact.html", c=c, answer=answer, problems=problems,
                           mark=redaction.MARK, form=request.form), 400 if problems else 200


@bp.get("/themes")
@auth.staff_required
def codebook(slug: str) -> ResponseReturnValue:
    """The consultation's codebook with counts, and the pending suggestions."""
    return _codebook(slug)


def _codebook(slug: str, problems: list[Problem] | None = None) -> ResponseReturnValue:
    c = _consultation(slug)
    return render_template("staff/themes.html", c=c, counts=themes.theme_counts(slug),
                           suggestions=suggest.pending(slug), problems=problems or [],
                           form=request.form), 400 if problems else 200


@bp.post("/themes")
@auth.staff_required
def create_theme(slug: str) -> ResponseReturnValue:
    """Add a theme (English and Welsh names) to the codebook."""
    _consultation(slug)
    try:
        themes.create(slug, request.form.get("name_en", ""), request.form.get("name_cy", ""), actor())
    except ProblemError as exc:
        return _codebook(slug, exc.problems)
    return redirect(url_for("answers.codebook", slug=slug), 303)


@bp.post("/themes/suggest")
@auth.staff_required
def suggest_themes(slug: str) -> ResponseReturnValue:
    """Group the untagged answers into suggested themes (nothing is tagged until confirmed)."""
    _consultation(slug)
    clusters = (request.form.get("clusters") or "5").strip()
    try:
        suggest.compute(slug, int(clusters) if clusters.isdigit() else 0)
    except ProblemError as exc:
        return _codebook(slug, exc.problems)
    return redirect(url_for("answers.codebook", slug=slug), 303)


@bp.post("/themes/suggestions/<int:suggestion_id>")
@auth.staff_required
def confirm_suggestion(slug: str, suggestion_id: int) -> ResponseReturnValue:
    """Confirm a suggestion as a theme (tagging its answers), or dismiss it."""
    _consultation(slug)
    try:
        if request.form.get("action") == "dismiss":
            suggest.dismiss(slug, suggestion_id)
        else:
            suggest.confirm(slug, suggestion_id, request.form.get("name_en", ""),
                            request.form.get("name_cy", ""), actor())
    except ProblemError as exc:
        return _codebook(slug, exc.problems)
    return redirect(url_for("answers.codebook", slug=slug), 303)
