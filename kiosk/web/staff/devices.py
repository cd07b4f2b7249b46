"""Devices admin on the hub: enroll kiosks (one-time code), list and revoke them, review set-asides."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_timedelta, ngettext
from flask_babel import gettext as _

from kiosk.core import auth
from kiosk.devices import store as devices
from kiosk.ops import deployment
from kiosk.web.staff.audit import log

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
                           stale_hours=hours, **extra)


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
    items = devices.set_aside()
    return render_template("admin/set_aside.html", items=items,
                           names=devices.names(it.device_id for it in items))
