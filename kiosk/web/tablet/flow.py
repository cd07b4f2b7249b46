"""The kiosk touch flow: start screen, one question per screen, thank-you, back to start."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.exc import OperationalError

from kiosk.consultations import routing
from kiosk.consultations import store as consultations
from kiosk.consultations.questions import registry as questions
from kiosk.core.auth import login_manager
from kiosk.core.db import db
from kiosk.core.problems import ProblemError
from kiosk.devices import health
from kiosk.responses import drafts
from kiosk.responses import store as responses
from kiosk.responses.answering import read_question
from kiosk.tablet import state as kiosk_state
from kiosk.web import visits
from kiosk.web.i18n import current_language
from kiosk.web.public import draws as draw_views
from kiosk.web.tablet import staff as kiosk_staff

if TYPE_CHECKING:
    from kiosk.consultations.types import Definition
    from kiosk.responses.models import Draft

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")
bp.register_blueprint(kiosk_staff.bp)  # the staff panel lives under /kiosk/staff/


def gate() -> ResponseReturnValue | None:
    """Serve the kiosk pages (under /kiosk/, prize-draw entry included) only where they belong:
    on a kiosk, in the demo, or on the hub to signed-in staff entering answers for a resident.

    A hub answering them to anyone would take unlimited anonymous "kiosk" responses.
    """
    if request.path != "/kiosk" and not request.path.startswith("/kiosk/"):
        return None
    if current_app.config["ROLE"] == "kiosk" or current_app.config["DEMO"]:
        return None
    if current_user.is_authenticated and current_user.has_role("staff"):
        return None
    return login_manager.unauthorized()


@bp.before_request
def load_kiosk_state() -> None:
    """Apply the kiosk's staff-chosen default language."""
    g.default_language = kiosk_state.default_language()


@bp.get("/")
def start() -> ResponseReturnValue:
    """Attract/start screen listing the consultations this kiosk offers."""
    visits.end(everything=False)  # reaching the start screen ends the previous person's visit
    drafts.purge_expired(current_app.config["DRAFT_MAX_AGE"])
    # Nothing to lose here, so no "Still there?": only a language left changed is quietly reset.
    changed = session.get("lang") not in (None, g.default_language)
    return render_template("kiosk/start.html", consultations=kiosk_state.offered(),
                           idle="changed", changed=changed, event=kiosk_state.current_event())


@bp.post("/c/<slug>")
def begin(slug: str) -> ResponseReturnValue:
    """Start a fresh draft for a consultation."""
    c = consultations.get(slug)
    if c is None or not consultations.is_open(c):
        abort(404)
    if not health.can_store(current_app._get_current_object()):  # type: ignore[attr-defined]  # current_app is typed as Flask, not its proxy
        # no room to keep answers durably (and still hand the queue over): say so before they start
        return render_template("kiosk/unavailable.html", idle=False), 503
    drafts.discard(session.pop("draft", None))
    draft = drafts.start(slug, c.version, current_language())
    session["draft"] = draft.token
    return redirect(url_for(".step", slug=slug, n=0), 303)


@bp.route("/c/<slug>/<int:n>", methods=["GET", "POST"])
def step(slug: str, n: int) -> ResponseReturnValue:
    """One question per screen; Back, Next, Check (budget) and Submit."""
    draft = drafts.get(session.get("draft"), current_app.config["DRAFT_MAX_AGE"])
    if draft is None or draft.consultation_slug != slug:
        return redirect(url_for(".start"), 303)
    defn = consultations.definition(slug, draft.version) or abort(404)
    qs = defn["questions"]
    if not 0 <= n < len(qs):
        return redirect(url_for(".step", slug=slug, n=0), 303)
    q = qs[n]
    answers = dict(draft.answers)
    if request.method == "GET" and q not in routing.shown(defn, answers):
        # Routed past (an earlier answer changed): go on to the next question shown.
        later = _next(defn, answers, n)
        return redirect(url_for(".step", slug=slug, n=later if later is not None else 0), 303)
    error = None
    if request.method == "POST":
        action = request.form.get("action", "next")
        error = read_question(q, request.form, answers)
        lang = action.removeprefix("lang:")
        if action.startswith("lang:") and lang in current_app.config["LANGUAGES"]:
            # The language toggle submits this screen too, so what was typed here survives.
            session["lang"] = lang
            drafts.save(draft, answers, lang)
            return redirect(url_for(".step", slug=slug, n=n), 303)
        if action == "back":
            kept = answers if error is None else draft.answers
            drafts.save(draft, kept, current_language())
            return redirect(url_for(".step", slug=slug, n=_previous(defn, kept, n)), 303)
        later = _next(defn, answers, n)
        if error is None and action == "submit" and later is None:
            return _submit(draft, defn, answers)
        drafts.save(draft, answers, current_language())
        if error is None and action in ("next", "submit") and later is not None:
            return redirect(url_for(".step", slug=slug, n=later), 303)
    status = 422 if error else 200
    shown = routing.shown(defn, answers)
    position = sum(1 for s in shown if qs.index(s) < n)
    return render_template("kiosk/question.html", defn=defn, q=q, n=n, position=position,
                           total=len(shown), last=_next(defn, answers, n) is None,
                           value=answers.get(q["id"]), other=answers.get(f"{q['id']}.other"),
                           error=error, checked=request.method == "POST"), status


def _next(defn: Definition, answers: dict, n: int) -> int | None:
    """The index of the next question shown after n, or None when n is the last."""
    shown = routing.shown(defn, answers)
    return next((i for i, q in enumerate(defn["questions"]) if i > n and q in shown), None)


def _previous(defn: Definition, answers: dict, n: int) -> int:
    """The index of the question shown before n (0 at the start)."""
    shown = routing.shown(defn, answers)
    before = [i for i, q in enumerate(defn["questions"]) if i < n and q in shown]
    return before[-1] if before else 0


def _submit(draft: Draft, defn: Definition, answers: dict) -> ResponseReturnValue:
    """Store the response and drop the draft in one commit; else back to the first bad answer."""
    answers = routing.prune(defn, answers)  # answers to questions routed past are dropped
    errors = questions.check_answers(defn, answers)
    if errors:
        drafts.save(draft, answers, current_language())
        first = next((i for i, q in enumerate(defn["questions"]) if q["id"] in errors), 0)
        return redirect(url_for(".step", slug=defn["slug"], n=first), 303)
    try:
        r = responses.submit(defn, draft.version, answers, language=current_language(),
                             channel="kiosk", device_id=kiosk_state.device_id(),
                             event_id=kiosk_state.current_event_id(),
                             tracking_code=draft.tracking_code, started_at=draft.started_at,
                             draft_token=draft.token)
    except ProblemError:
        drafts.save(draft, answers, current_language())
        return redirect(url_for(".step", slug=defn["slug"], n=0), 303)
    except OperationalError:  # disk full, database locked or damaged: say so, keep the draft
        current_app.logger.exception("storing a kiosk response failed")
        return not_saved()
    session.pop("draft", None)
    session["thanked"] = r.uuid
    draw_views.grant(defn["slug"])  # one prize-draw entry for this committed response
    return redirect(url_for(".thanks"), 303)


def not_saved() -> ResponseReturnValue:
    """The bilingual "not saved yet" page, whose Retry posts the same answers again."""
    db.session.rollback()  # the draft (and the earlier screens' answers) stay as they were
    fields = [(k, v) for k, v in request.form.items(multi=True)]
    return render_template("kiosk/not_saved.html", retry_url=request.path, fields=fields,
                           idle=False), 503


@bp.get("/thanks")
def thanks() -> ResponseReturnValue:
    """Thank-you screen; shown only once the response is read back from the database."""
    uuid = session.pop("thanked", None)
    r = responses.by_uuid(uuid) if uuid else None
    if r is None:
        return redirect(url_for(".start"), 303)
    return render_template("kiosk/thanks.html", response=r)


@bp.post("/reset")
def reset() -> ResponseReturnValue:
    """Idle reset or "start again": forget this person (draft, language, staff PIN sign-in)."""
    visits.end()
    return redirect(url_for(".start"), 303)
