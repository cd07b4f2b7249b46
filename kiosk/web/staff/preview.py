"""Draft preview: staff see a consultation's resident pages (phone and kiosk look) behind a
"nothing you enter is kept" banner; answers are checked and shown, never stored."""

from __future__ import annotations

import json

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from kiosk.consultations import routing
from kiosk.consultations import store as consultations
from kiosk.core import auth
from kiosk.core.timeutil import utcnow
from kiosk.responses.answering import read_all, read_question

bp = Blueprint("preview", __name__, url_prefix="/staff/c")


def _definition(slug: str) -> tuple:
    c = consultations.get(slug) or abort(404)
    return c, consultations.definition(slug)


@bp.route("/<slug>/preview", methods=["GET", "POST"])
@auth.staff_required
def phone(slug: str) -> ResponseReturnValue:
    """The phone page of any consultation (draft, open or closed); a submit only checks."""
    c, defn = _definition(slug)
    answers: dict = {}
    errors: dict[str, str] = {}
    finished = False
    if request.method == "POST":
        answers, errors = read_all(defn, request.form)
        if request.form.get("action") == "route":
            errors = {}
        finished = not errors and request.form.get("action") == "submit"
    return render_template(
        "public/answer.html", c=c, defn=defn, answers=answers, errors=errors, code=None,
        started=utcnow().isoformat(), response_id="", checked=False, events=[], preview=True,
        preview_finished=finished, shown={q["id"] for q in routing.shown(defn, answers)},
        routed=routing.is_routed(defn), questions_by_id={q["id"]: q for q in defn["questions"]}), 422 if errors else 200


@bp.route("/<slug>/preview/kiosk/<int:n>", methods=["GET", "POST"])
@auth.staff_required
def kiosk(slug: str, n: int) -> ResponseReturnValue:
    """The kiosk's one-question screens; answers travel in the page, never in the database."""
    c, defn = _definition(slug)
    qs = defn["questions"]
    if not 0 <= n < len(qs):
        return redirect(url_for(".kiosk", slug=slug, n=0), 303)
    answers = _carried(request.form.get("preview_answers"))
    q, error = qs[n], None
    if request.method == "POST":
        action = request.form.get("action", "next")
        error = read_question(q, request.form, answers)
        shown = routing.shown(defn, answers)
        later = [i for i, x in enumerate(qs) if i > n and x in shown]
        if action == "back":
            before = [i for i, x in enumerate(qs) if i < n and x in shown]
            n = before[-1] if before else 0
            q, error = qs[n], None
        elif error is None and later:
            n, q = later[0], qs[later[0]]
        elif error is None and action == "submit":
            return render_template("staff/preview_done.html", c=c, preview=True, idle=False)
    shown = routing.shown(defn, answers)
    return render_template(
        "kiosk/question.html", defn=defn, q=q, n=n, total=len(shown), idle=False,
        position=sum(1 for s in shown if qs.index(s) < n), preview=True,
        last=not any(i > n and x in shown for i, x in enumerate(qs)),
        preview_answers=json.dumps(answers), value=answers.get(q["id"]),
        other=answers.get(f"{q['id']}.other"), error=error, checked=error is not None,
        preview_url=url_for(".kiosk", slug=slug, n=n)), 422 if error else 200


def _carried(raw: str | None) -> dict:
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
