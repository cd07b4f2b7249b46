"""Save and come back later, on a phone: a resume link, no account, answers only."""

from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue

from kiosk.consultations import store as consultations
from kiosk.consultations.types import Definition
from kiosk.core.states import ConsultationStatus
from kiosk.core.timeutil import utcnow
from kiosk.responses import drafts
from kiosk.web.i18n import current_language

bp = Blueprint("resume", __name__)


def max_age() -> int:
    """Seconds a resume link keeps its answers."""
    return current_app.config["RESUME_DAYS"] * 86400


def offered(defn: Definition) -> bool:
    """Long consultations on the hub offer "Save and come back later"."""
    return (current_app.config["ROLE"] == "hub"
            and len(defn["questions"]) >= current_app.config["RESUME_MIN_QUESTIONS"])


def save(slug: str, version: int, answers: dict, code: str | None) -> ResponseReturnValue:
    """Keep the answers so far and show the resident their link (POST, then redirect, then GET)."""
    token = drafts.save_for_later(slug, version, current_language(), answers, code,
                                  session.get("resume_link"), max_age())
    session["resume_link"] = token
    return redirect(url_for("resume.saved", slug=slug), 303)


@bp.get("/c/<slug>/saved")
def saved(slug: str) -> ResponseReturnValue:
    """The resume link, shown once after saving."""
    c = consultations.get(slug)
    token = session.get("resume_link")
    if c is None or not token:
        return redirect(url_for("public.answer", slug=slug), 303)
    link = url_for("resume.back", slug=slug, token=token, _external=False)
    until = (utcnow() + dt.timedelta(seconds=max_age())).date()
    return render_template("public/saved.html", c=c, link=current_app.config["PUBLIC_URL"] + link,
                           path=link, until=until)


@bp.get("/c/<slug>/resume/<token>")
def back(slug: str, token: str) -> ResponseReturnValue:
    """Follow a resume link: the consultation page opens with the saved answers filled in."""
    c = consultations.get(slug)
    if c is None or c.status == ConsultationStatus.DRAFT:
        abort(404)
    if drafts.resume(token, slug, max_age()) is None:
        return render_template("public/resume_gone.html", c=c), 410
    session["resume_link"] = token  # the page's own address then carries no token
    session["resumed"] = True
    return redirect(url_for("public.answer", slug=slug), 303)


def saved_answers(slug: str) -> tuple[dict, str | None]:
    """Answers saved under this browser's resume link, and the draft's key to delete on submit."""
    token = session.get("resume_link")
    draft = drafts.resume(token, slug, max_age()) if token else None
    if draft is None:
        return {}, None
    return dict(draft.answers), draft.token


def forget() -> None:
    """The answers were sent: this browser no longer has anything saved."""
    session.pop("resume_link", None)
