"""Public pages on the hub: home, consultation pages, results, events."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import refresh

from kiosk.consultations import publishing, routing
from kiosk.consultations import results as publication
from kiosk.consultations import store as consultations
from kiosk.core import limits
from kiosk.core.problems import ProblemError
from kiosk.core.states import ConsultationStatus
from kiosk.core.timeutil import parse_iso, utcnow
from kiosk.draws import claims as draw_claims
from kiosk.events import store as events
from kiosk.outreach import scans, tracking
from kiosk.responses import store as responses
from kiosk.responses.answering import read_all
from kiosk.web import errors as errors_view
from kiosk.web.i18n import current_language
from kiosk.web.public import draws as draw_views
from kiosk.web.public import resume

if TYPE_CHECKING:
    import datetime as dt

    from flask import Response

    from kiosk.consultations.models import Consultation
    from kiosk.consultations.types import Definition

bp = Blueprint("public", __name__)


@bp.get("/")
def home() -> ResponseReturnValue:
    """Home: open, upcoming and closed consultations and the next events (kiosks go to their start)."""
    if current_app.config["ROLE"] == "kiosk":
        return redirect(url_for("kiosk.start"))
    return render_template("public/home.html", consultations=consultations.open_consultations(),
                           upcoming=publishing.upcoming(), closed=publishing.closed(),
                           events=events.upcoming()[:3], titles=_titles(),
                           published=publishing.results_published)


@bp.route("/c/<slug>", methods=["GET", "POST"])
@limits.submit
def answer(slug: str) -> ResponseReturnValue:
    """The whole consultation on one mobile-first page."""
    c = _open_or_abort(slug)
    if not consultations.is_open(c):
        return render_template("public/closed.html", c=c,
                               published=publishing.results_published(c)), 410
    defn = consultations.definition(slug) or abort(404)
    code = _code(request.values.get("code"))
    answers, saved_key = resume.saved_answers(slug)
    errors: dict[str, str] = {}
    response_id = _response_id()
    if request.method == "POST":
        kept: dict = {}
        answers, errors = read_all(defn, request.form, kept)
        action = request.form.get("action", "submit")
        if action.startswith("lang:"):
            # the header's language button submits the answers too, so nothing typed is lost
            _switch_language(action.removeprefix("lang:"))
            return _page(c, defn, {**answers, **kept}, {}, 200, code, response_id)
        if action == "save" and resume.offered(defn):
            return resume.save(slug, c.version, answers, code)
        if action == "route":  # without JavaScript: show what answers lead to
            errors = {}
        elif not errors and action != "check":
            resent = responses.by_uuid(response_id) is not None  # its entry was offered once
            try:
                r = responses.submit(defn, c.version, answers, language=current_language(),
                                     channel="web", tracking_code=code,
                                     started_at=_started(_started_value()), uuid=response_id,
                                     draft_token=saved_key)
            except ProblemError as exc:
                errors = {p.path: p.message for p in exc.problems}
            else:
                resume.forget()
                session["thanked"] = r.uuid
                if not resent:  # one prize-draw entry per committed response
                    draw_views.grant(slug)
                return redirect(url_for(".thanks", slug=slug), 303)
        answers = {**answers, **kept}
    page = _page(c, defn, answers, errors, 422 if errors else 200, code, response_id)
    if request.method == "GET" and current_app.config["ROLE"] == "hub":
        _count_start(page, slug, code)
    return page


def _open_or_abort(slug: str) -> Consultation:
    c = consultations.get(slug)
    if c is None or c.status == ConsultationStatus.DRAFT:
        abort(404)
    return c


def _response_id() -> str:
    """Minted when the form is served, so every post of this form names the same response."""
    response_id = request.form.get("response_id")
    if not responses.is_response_id(response_id):
        response_id = responses.new_response_id()
    return str(response_id)


def _started_value() -> str:
    return request.form.get("started") or utcnow().isoformat()


def _switch_language(lang: str) -> None:
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        refresh()  # Flask-Babel caches the locale per request


def _page(c: Consultation, defn: Definition, answers: dict, errors: dict[str, str], status: int,
          code: str | None, response_id: str) -> Response:
    """The consultation page with the given answers and problems shown."""
    return make_response(render_template(
        "public/answer.html", c=c, defn=defn, answers=answers, errors=errors, code=code,
        started=_started_value(), response_id=response_id, checked=request.form.get("action") == "check",
        shown={q["id"] for q in routing.shown(defn, answers)}, routed=routing.is_routed(defn),
        events=events.upcoming(slug=c.slug), carry_form="questions", can_save=resume.offered(defn),
        resumed=session.pop("resumed", False),
        questions_by_id={q["id"]: q for q in defn["questions"]}), status)


def refused(message: str, status: int) -> ResponseReturnValue:
    """A submission refused before the view ran (a rate limit): the same page, answers kept."""
    slug = (request.view_args or {}).get("slug", "")
    c = _open_or_abort(slug)
    defn = consultations.definition(slug) or abort(404)
    kept: dict = {}
    answers, _errors = read_all(defn, request.form, kept)
    return _page(c, defn, {**answers, **kept}, {"form": message}, status,
                 _code(request.values.get("code")), _response_id())


errors_view.REFUSALS["public.answer"] = refused


def _count_start(page: Response, slug: str, code: str | None) -> None:
    """Record the first time this browser opens the consultation (from this code), for reports."""
    seen = scans.remembered(request.cookies.get(scans.STARTED_COOKIE))
    token = scans.start_token(slug, code)
    if token in seen:
        return
    scans.record("start", slug, code, scans.device_class(request.headers.get("User-Agent")), True)
    page.set_cookie(scans.STARTED_COOKIE, scans.remember(seen, token), max_age=scans.COOKIE_MAX_AGE,
                    httponly=True, samesite="Lax", secure=request.is_secure)


@bp.get("/c/<slug>/thanks")
def thanks(slug: str) -> ResponseReturnValue:
    """Thank-you page, shown once the response has been read back from the database."""
    uuid = session.pop("thanked", None)
    r = responses.by_uuid(uuid) if uuid else None
    if r is None or r.consultation_slug != slug:
        return redirect(url_for(".answer", slug=slug), 303)
    return render_template("public/thanks.html", c=consultations.get(slug), response=r)


@bp.get("/c/<slug>/results")
def results(slug: str) -> ResponseReturnValue:
    """We asked, you said, we did: the published summary and figures of a closed consultation
    (the results editor's, from its publication date; before that, the definition's own)."""
    c = consultations.get(slug)
    published = publishing.results_published(c) if c else None
    if c is None or published is None:
        abort(404)
    pub = publication.live(c)
    return render_template("public/results.html", c=c, published=published, pub=pub,
                           figures=publishing.headline(c, current_app.config["SMALL_CELL_THRESHOLD"]),
                           shown=publication.figures(slug, pub) if pub else None,
                           made_draws=draw_claims.made_for(slug))


@bp.get("/events")
def events_page() -> ResponseReturnValue:
    """Upcoming street stalls and meetings where residents can answer in person."""
    return render_template("public/events.html", events=events.upcoming(), titles=_titles())


def _titles() -> dict[str, dict]:
    """Titles of the consultations residents may see, by slug (for event listings)."""
    return {c.slug: c.title for c in consultations.all_consultations() if c.status != ConsultationStatus.DRAFT}


def _code(value: str | None) -> str | None:
    """A known tracking code attached to the link, else None (unknown codes are not stored)."""
    row = tracking.get(value)
    return row.code if row else None


def _started(value: str) -> dt.datetime | None:
    try:
        started = parse_iso(value)
    except ValueError:
        return None
    return started if started and started <= utcnow() else None
