"""Posters admin on the hub: create placements (each gets a tracking code), re-point codes and
download any placement's poster as PDF, PNG or SVG."""

from __future__ import annotations

from typing import Any

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
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from kiosk.consultations import store as consultations
from kiosk.core import auth
from kiosk.core.db import db
from kiosk.core.models import User
from kiosk.ops import deployment
from kiosk.outreach import costs, destinations, placements, tracking
from kiosk.outreach.models import TrackingCode
from kiosk.web.staff.audit import log
from print.formats import FORMATS, OUTPUTS

bp = Blueprint("admin_posters", __name__, url_prefix="/staff/posters")
FIELDS = ("consultation", "kind", "label", "location")


def kind_names() -> dict[str, str]:
    """Each placement kind in the interface language."""
    return {"bus_stop": _("Bus stop"), "cutout": _("Cardboard cutout"), "leaflet": _("Leaflets"),
            "event": _("Event"), "other": _("Other")}


def format_names() -> dict[str, str]:
    """Each poster format with what it is for, in the interface language."""
    return {"a6": _("A6 flyer"), "a5": _("A5 table talker"), "a4": _("A4 poster"),
            "a3": _("A3 poster"), "a2": _("A2 poster"), "a1": _("A1 poster"),
            "a0": _("A0 poster"), "six-sheet": _("Bus-shelter six-sheet (1200 × 1800 mm)"),
            "cutout": _("Cutout panel (400 mm square)"),
            "stickers": _("A4 sticker sheet (21 labels)")}


@bp.get("/")
@auth.staff_required
def index() -> ResponseReturnValue:
    """Every consultation's placements with their codes and scans, and a form to add one."""
    return _index({"consultation": request.args.get("consultation", "")}, {})


@bp.post("/")
@auth.staff_required
def create() -> ResponseReturnValue:
    """Create a placement and its tracking code."""
    form = {k: request.form.get(k, "").strip() for k in (*FIELDS, "cost")}
    errors = _placement_problems(form)
    pence: int | None = None
    try:
        pence = costs.parse_pounds(form["cost"])
    except costs.CostError as exc:
        errors["cost"] = str(COST_MESSAGES[exc.code])
    if not errors:
        try:
            row = tracking.create(form["consultation"], form["kind"], form["label"],
                                    form["location"] or None)
        except (LookupError, ValueError) as exc:
            errors = {"label": str(exc)}
        else:
            if pence is not None:
                costs.set_cost(row.code, pence)
            flash(_("Placement %(label)s created with tracking code %(code)s.",
                    label=row.label, code=row.code), "info")
            return redirect(url_for(".placement", code=row.code), 303)
    return _index(form, errors), 422


@bp.get("/<code>")
@auth.staff_required
def placement(code: str) -> ResponseReturnValue:
    """One placement: its code, scans, where it points, re-pointing and poster downloads."""
    return _placement(_row(code), {}, {})


@bp.post("/<code>/cost")
@auth.staff_required
def cost(code: str) -> ResponseReturnValue:
    """Give, change or clear (left blank) what the placement's posters cost to print."""
    row = _row(code)
    try:
        costs.set_cost(row.code, costs.parse_pounds(request.form.get("cost")))
    except costs.CostError as exc:
        return _placement(row, {"cost": str(COST_MESSAGES[exc.code])}, {},
                          request.form.get("cost", "")), 422
    if row.print_cost_pence is None:
        flash(_("The print cost of %(label)s is cleared.", label=row.label), "info")
    else:
        flash(_("The print cost of %(label)s is now %(cost)s.", label=row.label,
                cost=costs.pounds(row.print_cost_pence)), "info")
    return redirect(url_for(".placement", code=row.code), 303)


@bp.post("/<code>/repoint")
@auth.role_required("admin")
def repoint(code: str) -> ResponseReturnValue:
    """Send a code's future scans to an open consultation or the holding page (admins only)."""
    row = _row(code)
    target = request.form.get("consultation", "").strip()
    try:
        destinations.repoint(row.code, target, _who())
    except LookupError:
        return _placement(row, {"repoint": _("Choose a consultation from the list.")}, {}), 422
    except destinations.Refused:
        return _placement(row, {"repoint": _refusal(row, target)}, {}), 422
    log("code.repoint", row.code, to=target)
    if target == tracking.HOLDING:
        flash(_("Tracking code %(code)s now sends residents to the holding page.", code=row.code),
              "info")
    else:
        flash(_("Tracking code %(code)s now sends residents to %(slug)s.", code=row.code,
                slug=target), "info")
    return redirect(url_for(".placement", code=row.code), 303)


@bp.post("/<code>/retire")
@auth.role_required("admin")
def retire(code: str) -> ResponseReturnValue:
    """Retire a code once the admin has ticked the confirmation (admins only)."""
    row = _row(code)
    if request.form.get("confirm") != "yes":
        return _placement(row, {"retire": _("Tick the box to confirm you want to retire this "
                                            "code.")}, {}), 422
    try:
        destinations.retire(row.code, _who())
    except destinations.Refused:
        return _placement(row, {"retire": _("This code is already retired.")}, {}), 422
    log("code.retire", row.code)
    flash(_("Tracking code %(code)s is retired: its scans now land on the holding page.",
            code=row.code), "info")
    return redirect(url_for(".placement", code=row.code), 303)


def _who() -> str:
    """The signed-in admin as the destination history records them: user id and email."""
    user_id = auth.user_id_of(current_user)
    user = db.session.get(User, user_id) if user_id is not None else None
    return f"user {user_id} {user.email}" if user else f"user {user_id}"


def _refusal(row: TrackingCode, target: str) -> str:
    """Why a re-point was refused, in the interface language."""
    if row.retired:
        return _("This code is retired, so it cannot be re-pointed.")
    if row.consultation_slug == target:
        return _("This code already sends residents there.")
    return _("A code can only send residents to an open consultation or the holding page: "
             "%(slug)s is a draft or closed.", slug=target)


@bp.get("/<code>/poster")
@auth.staff_required
def poster(code: str) -> ResponseReturnValue:
    """Download the placement's poster in a format and file type, with bleed or Welsh first."""
    row = _row(code)
    choice = _choice(request.args)
    try:
        public_url = deployment.require_public_url(current_app.config, request.host)
    except deployment.InsecureURL as exc:
        return _placement(row, {"poster": str(exc)}, choice), 409
    try:
        made = placements.poster(public_url, row.code, choice["format"],
                                 choice["output"], bleed=choice["bleed"],
                                 welsh_first=choice["welsh_first"],
                                 allow_small=choice["allow_small"])
    except (LookupError, ValueError) as exc:  # mostly PosterError: a layout that cannot be made
        reason = str(exc).replace("(pass allow_small=True to override)", "")
        return _placement(row, {"poster": reason.strip()}, choice), 422
    return Response(made.data, mimetype=made.mimetype, headers={
        "Content-Disposition": f'attachment; filename="{made.filename}"'})


def _row(code: str) -> TrackingCode:
    row = tracking.get(code)
    if row is None:
        abort(404)
    return row


def _choice(args: Any) -> dict[str, Any]:
    """The download form's choices; unknown values are refused by the poster library."""
    # Welsh first by default where the hub's default language is Welsh (not less favourable)
    welsh_default = "1" if current_app.config["LANGUAGES"][:1] == ["cy"] else "0"
    return {"format": args.get("format", "a4"), "output": args.get("output", "pdf"),
            "bleed": args.get("bleed") == "1",
            "welsh_first": args.get("welsh_first", welsh_default) == "1",
            "allow_small": args.get("allow_small") == "1"}


#: What the form says for each field the placement rule (tracking.check_placement) finds wrong.
PLACEMENT_MESSAGES = {
    "consultation": _l("Choose a consultation from the list."),
    "kind": _l("Choose what kind of placement this is."),
    "label": _l("Give the placement a label, e.g. “Bus stop 14, High Street”."),
    "location": _l("A location has at most %(n)s characters.", n=tracking.MAX_LOCATION),
}


#: What the forms say for each way a print cost can be wrong (costs.CostError's codes).
COST_MESSAGES = {
    "format": _l("Give the print cost in pounds, for example 12.50."),
    "negative": _l("A print cost cannot be negative."),
    "pennies": _l("A print cost has at most two decimal places (pence)."),
    "too_big": _l("A print cost is at most %(max)s.", max=costs.pounds(costs.MAX_PENCE)),
}


def _placement_problems(form: dict[str, str]) -> dict[str, str]:
    problems = tracking.check_placement(form["kind"], form["label"], form["location"],
                                        consultation_slug=form["consultation"])
    errors = {p.path: str(PLACEMENT_MESSAGES[p.path]) for p in problems if p.path in PLACEMENT_MESSAGES}
    if form["label"] and "label" in errors:
        errors["label"] = _("A label has at most %(n)s characters.", n=tracking.MAX_LABEL)
    return errors


def _index(form: dict[str, str], errors: dict[str, str]) -> str:
    every = consultations.all_consultations()
    return render_template("admin/posters.html", form=form, errors=errors, kinds=kind_names(),
                           groups=[(c, placements.with_scans(c.slug)) for c in every],
                           holding=placements.with_scans(tracking.HOLDING), choices=every)


def _placement(row: TrackingCode, errors: dict[str, str], choice: dict[str, Any],
               cost_typed: str | None = None) -> str:
    return render_template(
        "admin/placement.html", row=row, errors=errors, kinds=kind_names(),
        cost=costs.pounds(row.print_cost_pence),
        cost_typed=cost_typed if cost_typed is not None else (
            "" if row.print_cost_pence is None else f"{row.print_cost_pence / 100:.2f}"),
        formats=[(name, label, FORMATS[name].scan_distance_m)
                 for name, label in format_names().items()],
        outputs=OUTPUTS, choice=choice or _choice({}),
        scans=placements.scan_counts([row.code]).get(row.code, 0),
        url=placements.short_url(current_app.config["PUBLIC_URL"], row.code),
        target=consultations.get(row.consultation_slug), holding=tracking.HOLDING,
        titles={c.slug: c.title for c in consultations.all_consultations()},
        history=destinations.history(row.code), timeline=destinations.timeline(row.code),
        is_admin=current_user.has_role("admin"),
        choices=[c for c in consultations.open_consultations()
                 if c.slug != row.consultation_slug])
