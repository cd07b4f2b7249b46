"""Paper responses on the hub: staff key in one form, or import a CSV of many (all or nothing)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.consultations import store as consultations
from kiosk.core import auth
from kiosk.core.problems import ProblemError
from kiosk.responses import paper
from kiosk.responses.answering import read_all

bp = Blueprint("paper", __name__, url_prefix="/staff/c")
MAX_CSV_BYTES = 5_000_000


def _who() -> str:
    return f"{current_user.name} (user {current_user.get_id()})"


@bp.route("/<slug>/paper", methods=["GET", "POST"])
@auth.staff_required
def enter(slug: str) -> ResponseReturnValue:
    """Key in one paper form: its answers, the date written on it and an optional batch."""
    c = consultations.get(slug) or abort(404)
    defn = consultations.definition(slug) or abort(404)
    answers: dict = {}
    errors: dict[str, str] = {}
    problems: list[str] = []
    form = request.form
    if request.method == "POST":
        answers, errors = read_all(defn, form)
        try:
            meta = paper.parse_meta(form.get("form_date", ""), form.get("batch"),
                                    form.get("language"))
        except ValueError as exc:
            problems.append(str(exc))
        if not errors and not problems:
            try:
                paper.enter(defn, c.version, answers, meta, _who())
            except ProblemError as exc:
                errors = {p.path: p.message for p in exc.problems}
            else:
                flash(_("Paper response saved. Key in the next form."), "ok")
                return redirect(url_for(".enter", slug=slug, batch=meta.batch or None,
                                        form_date=meta.form_date.isoformat()), 303)
    status = 422 if errors or problems else 200
    return render_template("staff/paper.html", c=c, defn=defn, answers=answers, errors=errors,
                           problems=problems, form=form if request.method == "POST" else request.args,
                           csv_problems=[]), status


@bp.post("/<slug>/paper.csv")
@auth.staff_required
def import_csv(slug: str) -> ResponseReturnValue:
    """Import a CSV of paper responses: every row is stored, or none, with problems by line."""
    c = consultations.get(slug) or abort(404)
    defn = consultations.definition(slug) or abort(404)
    upload = request.files.get("file")
    raw = upload.read(MAX_CSV_BYTES + 1) if upload and upload.filename else b""
    csv_problems: list[str] = []
    if not raw:
        csv_problems.append(_("Choose a CSV file."))
    elif len(raw) > MAX_CSV_BYTES:
        csv_problems.append(_("The file is larger than 5 MB."))
    else:
        try:
            n = paper.import_csv(defn, c.version, raw.decode("utf-8-sig"), _who(),
                                 request.form.get("batch"))
        except UnicodeDecodeError:
            csv_problems.append(_("The file is not UTF-8 text."))
        except ProblemError as exc:
            csv_problems = str(exc).splitlines()
        else:
            flash(_("%(n)s paper responses imported.", n=n), "ok")
            return redirect(url_for("staff.consultation", slug=slug), 303)
    return render_template("staff/paper.html", c=c, defn=defn, answers={}, errors={}, problems=[],
                           form=request.args, csv_problems=csv_problems), 422
