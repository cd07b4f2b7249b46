"""Consultations admin on the hub: import definitions, publish or close them, export them."""

from __future__ import annotations

import json

import yaml
from flask import (
    Blueprint,
    Response,
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

from kiosk.consultations import definitions
from kiosk.consultations import store as consultations
from kiosk.core import auth
from kiosk.core.problems import ProblemError
from kiosk.core.states import CONSULTATION_STATUSES
from kiosk.web.staff.audit import log

bp = Blueprint("admin_consultations", __name__, url_prefix="/staff/consultations")
MAX_FILE_BYTES = 1_000_000


@bp.route("/import", methods=["GET", "POST"])
@auth.role_required("admin")
def import_files() -> ResponseReturnValue:
    """Upload YAML/JSON definitions; nothing is stored unless every file is valid, and a breaking
    change to a consultation with answers is shown as a diff and stored only once confirmed."""
    if request.method == "GET":
        return render_template("admin/consultation_import.html", problems=[])
    docs, problems = _documents()
    if not docs and not problems:
        return render_template("admin/consultation_import.html",
                               problems=[_("Choose at least one YAML or JSON file.")]), 400
    loaded = []
    for name, body in docs:
        try:
            loaded.append(definitions.load_text(body, name))
            consultations.check_publishable(loaded[-1], current_app.config["LANGUAGES"])
        except consultations.EnglishOnlyError as exc:
            problems.append(str(exc))
        except ProblemError as exc:
            problems.extend(str(exc).splitlines())
    if problems:
        return render_template("admin/consultation_import.html", problems=problems), 422
    apply_status = request.form.get("apply_status") == "1"
    confirmed = request.form.get("confirm_breaking") == "1"
    plans = [consultations.plan(d, d["status"] if apply_status else None) for d in loaded]
    if any(p.needs_confirmation for p in plans) and not confirmed:
        return render_template("admin/consultation_confirm.html", plans=plans, docs=docs,
                               apply_status=apply_status), 409
    for defn in loaded:
        result = consultations.import_definition(
            defn, status=defn["status"] if apply_status else None, confirm_breaking=confirmed)
        log("consultation.import", result.slug, result=result.action, version=result.version)
        flash(_("%(slug)s: %(action)s (version %(version)s)", slug=result.slug,
                action=result.action, version=result.version), "ok")
        for change in result.changes:
            flash(f"{result.slug}: {change}", "ok")
    return redirect(url_for("staff.dashboard"), 303)


def _documents() -> tuple[list[tuple[str, str]], list[str]]:
    """The uploaded files, or on the confirmation step the same documents sent back as text."""
    docs: list[tuple[str, str]] = []
    problems: list[str] = []
    names, bodies = request.form.getlist("doc_name"), request.form.getlist("doc_body")
    for name, body in zip(names, bodies, strict=False):
        if len(body.encode()) > MAX_FILE_BYTES:
            problems.append(_("%(name)s: larger than 1 MB", name=name))
        else:
            docs.append((name, body))
    for upload in request.files.getlist("files"):
        if not upload.filename:
            continue
        raw = upload.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            problems.append(_("%(name)s: larger than 1 MB", name=upload.filename))
            continue
        try:
            docs.append((upload.filename, raw.decode("utf-8")))
        except UnicodeDecodeError:
            problems.append(_("%(name)s: not UTF-8 text", name=upload.filename))
    return docs, problems


@bp.post("/<slug>/status")
@auth.role_required("admin")
def set_status(slug: str) -> ResponseReturnValue:
    """Publish (open), close or withdraw (draft) a consultation."""
    if consultations.get(slug) is None:
        abort(404)
    status = request.form.get("status", "")
    if status not in CONSULTATION_STATUSES:
        abort(400, _("Status must be draft, open or closed."))
    try:
        consultations.set_status(slug, status, current_app.config["LANGUAGES"],
                                 english_only=request.form.get("english_only") == "yes")
    except consultations.EnglishOnlyError:
        flash(_("This consultation has no Welsh text. Add the Welsh, or tick “Publish in English"
                " only” to open it anyway."), "error")
        return redirect(url_for("staff.consultation", slug=slug), 303)
    log("consultation.status", slug, status=status)
    flash(_("Status set to %(status)s.", status=status), "ok")
    return redirect(url_for("staff.consultation", slug=slug), 303)


@bp.get("/<slug>/definition.<fmt>")
@auth.staff_required
def export(slug: str, fmt: str) -> ResponseReturnValue:
    """The current definition as YAML or JSON, ready to edit and import again."""
    defn = consultations.definition(slug)
    if defn is None or fmt not in ("yaml", "json"):
        abort(404)
    document = definitions.document(defn)
    if fmt == "json":
        body, mimetype = json.dumps(document, indent=2, ensure_ascii=False), "application/json"
    else:
        body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
        mimetype = "application/yaml"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{slug}.{fmt}"'})
