"""Devices admin on the hub: enroll kiosks (one-time code), list and revoke them, review set-asides."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from .. import auth, deployment, devices
from .audit import log

bp = Blueprint("admin_devices", __name__, url_prefix="/staff/devices")
admin_required = auth.role_required("admin")


@bp.get("/")
@admin_required
def index() -> ResponseReturnValue:
    """Every device with its state and last sync, and a form to add one."""
    return render_template("admin/devices.html", devices=devices.all_devices(), code=None)


@bp.post("/")
@admin_required
def create() -> ResponseReturnValue:
    """Create a device and show its one-time enrollment code (once, never stored in clear)."""
    try:
        deployment.require_public_url(current_app.config, request.host)
    except deployment.InsecureURL as exc:
        flash(str(exc), "error")
        return render_template("admin/devices.html", devices=devices.all_devices(), code=None), 409
    try:
        device, code = devices.create(request.form.get("name", ""),
                                      current_app.config["ENROLLMENT_CODE_TTL"])
    except ValueError as exc:
        flash(str(exc), "error")
        return render_template("admin/devices.html", devices=devices.all_devices(),
                               code=None), 422
    log("device.add", device.name, device=device.id)
    return render_template("admin/devices.html", devices=devices.all_devices(), code=code,
                           new_device=device)


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
    return render_template("admin/set_aside.html", items=devices.set_aside())
