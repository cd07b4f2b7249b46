"""Devices admin on the hub: enroll kiosks (one-time code), list and revoke them, review set-asides."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_timedelta, ngettext
from flask_babel import gettext as _

from kiosk.core import auth
from kiosk.devices import store as devices
from kiosk.ops import deployment
from kiosk.web.staff.audit import actor, log
from sync import review

bp = Blueprint("admin_devices", __name__, url_prefix="/staff/devices")
admin_required = auth.role_required("admin")


def _page(code: str | None = None, **extra: object) -> str:
    """The devices page: every device, its last heartbeat, and a warning for each stale kiosk."""
    listed = devices.all_devices()
    hours = current_app.config["KIOSK_STALE_HOURS"]
    stale = {}
    for d in listed:
        found = devices.staleness(d, hours)
        if found:
            quiet, waiting = found
            stale[d.id] = ngettext("Not synced for %(time)s, %(num)d response waiting",
                                   "Not synced for %(time)s, %(num)d responses waiting", waiting,
                                   time=format_timedelta(quiet, threshold=1.1))
    return render_template("admin/devices.html", devices=listed, stale=stale, code=code,
                           stale_hours=hours, waiting=review.waiting(), **extra)


@bp.get("/")
@admin_required
def index() -> ResponseReturnValue:
    """Every device with its state, last sync and last heartbeat, and a form to add one."""
    return _page()


@bp.post("/")
@admin_required
def create() -> ResponseReturnValue:
    """Create a device and show its one-time enrollment code (once, never stored in clear)."""
    try:
        deployment.require_public_url(current_app.config, request.host)
    except deployment.InsecureURL as exc:
        flash(str(exc), "error")
        return _page(), 409
    try:
        device, code = devices.create(request.form.get("name", ""),
                                      current_app.config["ENROLLMENT_CODE_TTL"])
    except ValueError as exc:
        flash(str(exc), "error")
        return _page(), 422
    log("device.add", device.name, device=device.id)
    return _page(code, new_device=device)


@bp.post("/<device_id>/revoke")
@admin_required
def revoke(device_id: str) -> ResponseReturnValue:
    """Revoke a device: its token is refused from its next call."""
    try:
        device = devices.revoke(device_id)
    except ValueError:
        flash(_("No such device."), "error")
    else:
        log("device.revoke", device.name, device=device.id)
        flash(_("Device %(name)s revoked.", name=device.name), "info")
    return redirect(url_for(".index"), 303)


@bp.get("/set-aside")
@admin_required
def set_aside() -> ResponseReturnValue:
    """Pushed items the hub did not store: conflicts (same UUID, other content) and rejects."""
    items = review.pending()
    return render_template("admin/set_aside.html", items=items,
                           names=devices.names(it.device_id for it in items))


@bp.get("/set-aside/<int:item_id>")
@admin_required
def set_aside_item(item_id: int) -> ResponseReturnValue:
    """One set-aside item in full (never a prize-draw contact), with accept and discard."""
    return _item(item_id, {})


@bp.post("/set-aside/<int:item_id>/accept")
@admin_required
def accept(item_id: int) -> ResponseReturnValue:
    """Accept a rejected response that now passes the hub's checks: it is stored once."""
    try:
        outcome = review.accept(item_id, actor(), current_app.config["LANGUAGES"])
    except review.ReviewError as exc:
        return _item(item_id, {"accept": _refusal(exc.code, exc.detail)}, exc.status)
    row = review.get(item_id)
    log("sync.accept", row.uuid, item=row.id, kind=row.kind, outcome=outcome,
        device=devices.names([row.device_id]).get(row.device_id or "", row.device_id or ""))
    if outcome == review.STORED:
        flash(_("Response %(uuid)s accepted and stored.", uuid=row.uuid), "info")
    else:
        flash(_("Response %(uuid)s was already stored: the item is marked accepted and nothing "
                "was added.", uuid=row.uuid), "info")
    return redirect(url_for(".set_aside_item", item_id=item_id), 303)


@bp.post("/set-aside/<int:item_id>/discard")
@admin_required
def discard(item_id: int) -> ResponseReturnValue:
    """Discard an item with a reason, once confirmed; it stays listed as discarded."""
    reason = request.form.get("reason", "")
    errors: dict[str, str] = {} if reason.strip() else {"reason": _refusal("reason_missing")}
    if request.form.get("confirm") != "yes":
        errors["confirm"] = _("Tick the box to confirm you want to discard this item.")
    if not errors:
        try:
            row = review.discard(item_id, reason, actor())
        except review.ReviewError as exc:
            errors = {"reason" if exc.code.startswith("reason") else "discard":
                      _refusal(exc.code, exc.detail)}
            return _item(item_id, errors, exc.status, reason)
        log("sync.discard", row.uuid, item=row.id, kind=row.kind, reason=row.review_note or "",
            device=devices.names([row.device_id]).get(row.device_id or "", row.device_id or ""))
        flash(_("Item discarded: it stays listed, with your reason."), "info")
        return redirect(url_for(".set_aside_item", item_id=item_id), 303)
    return _item(item_id, errors, 422, reason)


def _item(item_id: int, errors: dict[str, str], status: int = 200,
          reason: str = "") -> ResponseReturnValue:
    try:
        item = review.read(review.get(item_id))
    except review.ReviewError:
        abort(404)
    name = devices.names([item.row.device_id]).get(item.row.device_id or "")
    return render_template("admin/set_aside_item.html", item=item, device=name, errors=errors,
                           reason=reason, max_reason=review.MAX_REASON,
                           refusal=_refusal(item.refusal) if item.refusal else None), status


def _refusal(code: str, detail: str = "") -> str:
    """Why a review action was refused, in the interface language."""
    messages = {
        "reviewed": _("This item has already been reviewed."),
        "conflict": _("The hub already holds a different response under this UUID and keeps it: "
                      "a conflict cannot be accepted over the original. Compare the two, then "
                      "discard this item with a reason."),
        "entry": _("A prize-draw entry is set aside without its sealed box, so the hub cannot "
                   "store it (the kiosk keeps the entry). Discard this item with a reason."),
        "excerpt": _("Only an excerpt of this item was kept, so it cannot be accepted. Discard "
                     "it with a reason."),
        "stored_differently": _("A different response with this UUID has been stored since (a "
                                "corrected resend?). Discard this item with a reason."),
        "reason_missing": _("Give a reason for discarding this item."),
        "reason_too_long": _("A reason has at most %(n)s characters.", n=review.MAX_REASON),
    }
    if code == "still_fails":
        return _("It still fails the hub's checks: %(problem)s", problem=detail)
    return messages.get(code, code)
