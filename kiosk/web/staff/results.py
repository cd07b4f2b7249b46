"""The hub's results editor: "we asked, you said, we did" in English and Welsh side by side, the
charts and quotes to publish, a preview, and the day the public page shows it."""

from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from kiosk.consultations import publishing
from kiosk.consultations import results as publication
from kiosk.consultations import store as consultations
from kiosk.consultations.models import Consultation, ResultsPublication
from kiosk.core import auth
from kiosk.core.problems import ProblemError
from kiosk.responses import store as responses
from kiosk.web.staff.audit import actor, log

bp = Blueprint("results_editor", __name__, url_prefix="/staff/c")


def _consultation(slug: str) -> Consultation:
    return consultations.get(slug) or abort(404)


def _read_form() -> tuple[publication.Content, list[str]]:
    """The editor's fields as content, and what could not be read (a malformed date)."""
    texts = {k: {lang: request.form.get(f"{k}_{lang}", "").strip() for lang in publication.LANGUAGES}
             for k in publication.TEXTS}
    quotes = []
    for ref in request.form.getlist("quote"):
        response, _sep, question = ref.partition("|")
        if responses.is_response_id(response) and question:
            quotes.append({"response": response, "question": question})
    problems, day = [], None
    raw = request.form.get("publish_on", "").strip()
    if raw:
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError:
            problems.append(_("The publication date must be a date, like 2027-03-31."))
    return publication.Content(texts, request.form.getlist("chart"), quotes, day), problems


def _editor(c: Consultation, content: publication.Content, problems: list[str],
            status: int = 200) -> ResponseReturnValue:
    defn = consultations.merged_definition(c.slug) or abort(404)
    offset = max(request.args.get("from", 0, type=int), 0)
    offered = publication.candidates(c.slug, defn, offset)
    chosen = publication.resolve(c.slug, content.quotes)
    seen = {(q.response, q.question) for q in offered}
    prompts = {q["id"]: q["prompt"] for q in publication.text_questions(defn)}
    return render_template("staff/results_editor.html", c=c, content=content, problems=problems,
                           offered=[q for q in chosen if (q.response, q.question) not in seen] + offered,
                           chosen={(q["response"], q["question"]) for q in content.quotes},
                           prompts=prompts, charts=publication.CHARTS, offset=offset,
                           page_size=publication.CANDIDATES, live=publication.live(c)), status


@bp.get("/<slug>/results")
@auth.role_required("admin")
def edit(slug: str) -> ResponseReturnValue:
    """The results editor for one consultation."""
    c = _consultation(slug)
    return _editor(c, publication.content(slug), [])


@bp.post("/<slug>/results")
@auth.role_required("admin")
def save(slug: str) -> ResponseReturnValue:
    """Save the editor's content (action=save) or show the public page as it would look (preview)."""
    c = _consultation(slug)
    content, problems = _read_form()
    problems += [f"{p.path}: {p.message}" for p in publication.check(content)]
    if problems:
        return _editor(c, content, problems, 422)
    if request.form.get("action") == "preview":
        return _preview(c, content)
    try:
        pub = publication.save(slug, content, actor())
    except ProblemError as exc:  # pragma: no cover - check() above refuses the same content
        return _editor(c, content, [str(p) for p in exc.problems], 422)
    log("results.publish", slug, publish_on=pub.publish_on.isoformat() if pub.publish_on else "none",
        charts=",".join(pub.charts) or "none", quotes=len(pub.quotes))
    flash(_("Results saved.") if pub.publish_on is None else
          _("Results saved; the public page shows them from %(date)s.", date=pub.publish_on.isoformat()),
          "ok")
    return redirect(url_for(".edit", slug=slug), 303)


def _preview(c: Consultation, content: publication.Content) -> ResponseReturnValue:
    """The public results page drawn from unsaved content, marked as a preview."""
    draft = ResultsPublication(consultation_slug=c.slug, we_asked=content.texts["we_asked"],
                               you_said=content.texts["you_said"], we_did=content.texts["we_did"],
                               charts=content.charts, quotes=content.quotes,
                               publish_on=content.publish_on)
    return render_template("public/results.html", c=c, pub=draft, preview=True,
                           published=content.publish_on,
                           figures=publishing.headline(c, current_app.config["SMALL_CELL_THRESHOLD"]),
                           shown=publication.figures(c.slug, draft))
