"""Hub pages for prize draws: admins and officers define draws and follow up each prize's claim;
only officers see contacts and make the draw."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

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
from flask_login import current_user

from kiosk.consultations import store as consultations
from kiosk.core import auth
from kiosk.core.problems import ProblemError
from kiosk.draws import algorithm as draw_algorithm
from kiosk.draws import claims, rights
from kiosk.draws import inbox as draw_inbox
from kiosk.draws import runs as draw_runs
from kiosk.draws import store as draws
from kiosk.draws.models import Draw
from kiosk.web.staff.audit import log

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

bp = Blueprint("draw_admin", __name__, url_prefix="/staff/draws")
manager_required = auth.role_required("admin", "officer")


def officer_required(view: Callable) -> Callable:
    """Contacts are for officers only: anyone else, signed in or not, gets 403 (no redirect)."""
    checked = auth.role_required("officer")(view)

    @functools.wraps(view)
    def inner(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            abort(403)
        return checked(*args, **kwargs)

    return inner


def _actor() -> str:
    # the account's stable id, not the session key (which changes with every sign-out)
    return f"{current_user.name} (u:{auth.user_id_of(current_user)})"


def _draw(draw_id: str) -> Draw:
    return draws.get(draw_id) or abort(404)


def _private_key() -> X25519PrivateKey:
    from sync import keys

    return keys.hub_private_key(current_app._get_current_object())  # type: ignore[attr-defined]  # current_app is typed as Flask, not its proxy


def _secret() -> bytes:
    from sync import keys

    return keys.dedupe_key(current_app._get_current_object())  # type: ignore[attr-defined]  # current_app is typed as Flask, not its proxy


@bp.get("/")
@manager_required
def index() -> ResponseReturnValue:
    """Every draw with its state and entry count."""
    rows = [(d, draws.count_entries(d)) for d in draws.all_draws()]
    return render_template("draws/admin_index.html", rows=rows)


@bp.route("/new", methods=["GET", "POST"])
@manager_required
def new() -> ResponseReturnValue:
    """Define a draw: prize, winners and reserves, closing time, rules and claim period."""
    choices = consultations.all_consultations()
    form = request.form
    errors: dict[str, str] = {}
    if request.method == "POST":
        data = {
            "prize": {"en": form.get("prize_en", ""), "cy": form.get("prize_cy", "")},
            "rules": {"en": form.get("rules_en", ""), "cy": form.get("rules_cy", "")},
            "consultations": form.getlist("consultations"),
            "winners": form.get("winners", ""), "reserves": form.get("reserves", "0"),
            "claim_days": form.get("claim_days", ""), "closes_at": form.get("closes_at", ""),
        }
        try:
            draw = draws.define(data, known_slugs=[c.slug for c in choices])
        except ProblemError as exc:
            errors = {p.path.partition(".")[0]: p.message for p in exc.problems}  # "name.en" is the name field
        else:
            log("draw.define", draw.id, consultations=",".join(draw.consultations or []))
            flash(_("Draw created."), "info")
            return redirect(url_for(".show", draw_id=draw.id), 303)
    return render_template("draws/admin_new.html", choices=choices, form=form, errors=errors), \
        422 if errors else 200


@bp.get("/<draw_id>")
@manager_required
def show(draw_id: str) -> ResponseReturnValue:
    """A draw: counts, every run (re-runs shown), the result as entry hashes."""
    draw = _draw(draw_id)
    return render_template("draws/admin_draw.html", draw=draw, count=draws.count_entries(draw),
                           runs=draws.runs(draw), latest=draw_runs.latest(draw),
                           claims=claims.all_claims(draw), next_states=claims.NEXT,
                           reference=draw_algorithm.reference,
                           is_officer=current_user.has_role("officer"))


@bp.post("/<draw_id>/prizes/<int:prize>")
@manager_required
def claim(draw_id: str, prize: int) -> ResponseReturnValue:
    """Record where a prize's claim stands; declined or expired (once confirmed) passes the prize
    to the next reserve in draw order."""
    draw = _draw(draw_id)
    state = request.form.get("state", "")
    back = redirect(url_for(".show", draw_id=draw.id, _anchor="claims"), 303)
    if state in claims.UNCLAIMED and request.form.get("confirm") != "yes":
        flash(_("Tick the box to confirm that the prize passes to the next reserve."), "error")
        return back
    try:
        done = claims.change(draw, prize, state)
    except claims.ClaimError as exc:
        flash(str(exc), "error")
        return back
    ref = draw_algorithm.reference
    promoted = ref(done.promoted.entry_hash) if done.promoted else ""
    detail: dict[str, str | int] = {"prize": prize, "state": state,
                                    "entry": ref(done.claim.entry_hash)}
    if state in claims.UNCLAIMED:
        detail["promoted"] = promoted or "none"
    log("draw.claim", draw.id, **detail)  # references only, never a contact
    if done.promoted:
        flash(_("Prize %(n)s passes to reserve %(ref)s.", n=prize, ref=promoted), "info")
    elif done.exhausted:
        flash(_("Prize %(n)s is unclaimed and no reserve is left.", n=prize), "error")
    else:
        flash(_("Prize %(n)s: claim saved.", n=prize), "info")
    return back


@bp.get("/<draw_id>/entries")
@officer_required
def entries(draw_id: str) -> ResponseReturnValue:
    """The entries with their contacts, decrypted in memory for the officer only."""
    draw = _draw(draw_id)
    key = _private_key()
    draw_inbox.flush()  # web entries waiting for their batch are listed too
    rows = [(e, draw_algorithm.entry_hash(e.id), draws.open_contact(key, e))
            for e in draws.entries(draw)]
    rows.sort(key=lambda r: ({"winner": 0, "reserve": 1}.get(r[0].outcome or "", 2),
                             r[0].rank or 0, r[1]))
    return render_template("draws/admin_entries.html", draw=draw, rows=rows)


@bp.post("/<draw_id>/run")
@officer_required
def run(draw_id: str) -> ResponseReturnValue:
    """Make the draw from the public seed; a re-run needs a reason and is logged."""
    draw = _draw(draw_id)
    try:
        made = draw_runs.run(draw, request.form.get("seed", ""), _actor(),
                             reason=request.form.get("reason"))
    except draw_runs.DrawError as exc:
        flash(str(exc), "error")
        return redirect(url_for(".show", draw_id=draw.id), 303)
    log("draw.run", draw.id, run=made.run)
    flash(_("Draw made (run %(n)s).", n=made.run), "info")
    return redirect(url_for(".show", draw_id=draw.id), 303)


@bp.post("/<draw_id>/export")
@officer_required
def export(draw_id: str) -> ResponseReturnValue:
    """Winners' and reserves' contacts as CSV, downloadable once."""
    draw = _draw(draw_id)
    try:
        body = draw_runs.export_winners(draw, _private_key(), _actor())
    except draw_runs.DrawError as exc:
        flash(str(exc), "error")
        return redirect(url_for(".show", draw_id=draw.id), 303)
    log("draw.export", draw.id)
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="draw-{draw.id}-winners.csv"'})


@bp.route("/rights", methods=["GET", "POST"])
@officer_required
def rights_requests() -> ResponseReturnValue:
    """Find, then delete, a person's entries by email or phone; each request is recorded."""
    found, error, done = None, None, None
    contact = request.form.get("contact", "")
    reference = request.form.get("reference", "")
    if request.method == "POST":
        try:
            if request.form.get("action") == "delete":
                done = rights.erase(contact, _secret(), reference, _actor())
                contact = ""
                log("rights.request", reference, kind="erase")  # the reference, never the contact
            else:
                found = rights.find(contact, _secret())
                rights.record_search(reference, len(found), _actor())
                log("rights.request", reference, kind="search")
        except ValueError as exc:
            error = str(exc)
    return render_template("draws/rights.html", found=found, error=error, done=done,
                           contact=contact, reference=reference, history=rights.history()), \
        422 if error else 200
