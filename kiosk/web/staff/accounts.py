"""Staff accounts in the browser: admins invite, disable, re-enable, change roles and make reset
links; everyone changes their own password and may turn on two-factor sign-in (TOTP)."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user
from markupsafe import Markup

from kiosk.core import accounts, auth
from kiosk.core.db import db
from kiosk.core.identity import org_name
from kiosk.core.models import User
from kiosk.web.redirects import same_site_path
from kiosk.web.staff.audit import log

bp = Blueprint("accounts", __name__, url_prefix="/staff")
admin_required = auth.role_required("admin")
PENDING = "pending_sign_in"  # session: (account key, next) between the password and the code


def _user(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


def _users_page(link: str | None = None, link_for: User | None = None, errors: dict | None = None,
                status: int = 200) -> ResponseReturnValue:
    return render_template("admin/users.html", users=auth.all_users(), roles=auth.ROLES, link=link,
                           link_for=link_for, errors=errors or {}, form=request.form), status


@bp.get("/users/")
@admin_required
def users() -> ResponseReturnValue:
    """Every account, with an invitation form."""
    return _users_page()


@bp.post("/users/")
@admin_required
def invite() -> ResponseReturnValue:
    """Invite a new member of staff: the one-time link is shown once, to pass on."""
    try:
        user, token = accounts.invite(request.form.get("email", ""), request.form.get("name", ""),
                                      request.form.get("role", "staff"))
    except ValueError as exc:
        return _users_page(errors={"email": str(exc)}, status=422)
    log("user.invite", user.email, role=user.role)
    return _users_page(url_for(".set_password", token=token, _external=True), user)


@bp.post("/users/<int:user_id>/<change>")
@admin_required
def change(user_id: int, change: str) -> ResponseReturnValue:
    """Disable, enable, re-role or make a reset link; disabling and re-roling end sessions."""
    user = _user(user_id)
    if user.id == auth.user_id_of(current_user) and change in ("disable", "role"):
        flash(_("You cannot disable your own account or change your own role."), "error")
        return redirect(url_for(".users"), 303)
    if change == "disable":
        auth.set_active(user.id, False)
        log("user.disable", user.email)
    elif change == "enable":
        auth.set_active(user.id, True)
        log("user.enable", user.email)
    elif change == "role" and request.form.get("role") in auth.ROLES:
        auth.set_role(user.id, request.form["role"])
        log("user.role", user.email, role=request.form["role"])
    elif change == "reset":
        token = accounts.reset_link(user.id)
        log("user.reset", user.email)
        return _users_page(url_for(".set_password", token=token, _external=True), user)
    else:
        abort(400, _("Unknown change."))
    flash(_("Saved."), "ok")
    return redirect(url_for(".users"), 303)


@bp.route("/accept/<token>", methods=["GET", "POST"])
def set_password(token: str) -> ResponseReturnValue:
    """Set a password through an invitation or reset link (works once)."""
    try:
        _row, user = accounts.check_link(token)
    except accounts.LinkError as exc:
        return render_template("staff/set_password.html", problem=str(exc), user=None), 410
    error = None
    if request.method == "POST":
        password = request.form.get("password", "")
        if password != request.form.get("confirm", ""):
            error = _("The two passwords are not the same.")
        else:
            try:
                accounts.use_link(token, password)
            except ValueError as exc:
                error = str(exc)
            else:
                flash(_("Your password is set. Sign in with it."), "ok")
                return redirect(url_for("staff.login"), 303)
    return render_template("staff/set_password.html", problem=None, user=user, error=error), \
        422 if error else 200


@bp.route("/password", methods=["GET", "POST"])
@auth.staff_required
def own_password() -> ResponseReturnValue:
    """Change your own password (every other session of yours ends)."""
    user = _user(auth.user_id_of(current_user) or 0)
    error = None
    if request.method == "POST":
        if auth.authenticate(user.email, request.form.get("current", "")) is None:
            error = _("Your current password is not right.")
        elif request.form.get("password", "") != request.form.get("confirm", ""):
            error = _("The two passwords are not the same.")
        else:
            try:
                auth.change_password(user.id, request.form.get("password", ""))
            except ValueError as exc:
                error = str(exc)
            else:
                log("user.password", user.email)
                login_user(auth.account_for(user.id))
                flash(_("Your password is changed."), "ok")
                return redirect(url_for("staff.dashboard"), 303)
    return render_template("staff/password.html", error=error), 422 if error else 200


def start_second_step(account: auth.Account, next_path: str | None) -> ResponseReturnValue | None:
    """After a right password: ask for the code (or for setting one up where it is required)."""
    user = db.session.get(User, auth.user_id_of(account) or 0)
    if user is None:
        return None
    required = user.role in current_app.config["TOTP_REQUIRED_ROLES"]
    if not user.totp_secret and not required:
        return None
    session[PENDING] = [account.key, same_site_path(next_path) or ""]
    return redirect(url_for("accounts.code" if user.totp_secret else "accounts.totp"), 303)


@bp.route("/login/code", methods=["GET", "POST"])
def code() -> ResponseReturnValue:
    """The second step of sign-in: the 6-digit code from the authenticator app."""
    pending = session.get(PENDING)
    if not pending:
        return redirect(url_for("staff.login"))
    user = db.session.get(User, auth.user_id_of(auth.Account(pending[0], "", "")) or 0)
    if user is None or not user.totp_secret:
        session.pop(PENDING, None)
        return redirect(url_for("staff.login"))
    if request.method == "POST":
        if accounts.totp_ok(user.totp_secret, request.form.get("code", "")):
            session.pop(PENDING, None)
            login_user(auth.account_for(user.id))
            return redirect(pending[1] or url_for("staff.dashboard"), 303)
        return render_template("staff/code.html", error=_("That code is not right.")), 401
    return render_template("staff/code.html", error=None)


@bp.route("/2fa", methods=["GET", "POST"])
def totp() -> ResponseReturnValue:
    """Set up two-factor sign-in: scan the code, then type a code to confirm it."""
    pending = session.get(PENDING)
    if current_user.is_authenticated:
        user_id = auth.user_id_of(current_user)
    elif pending:
        user_id = auth.user_id_of(auth.Account(pending[0], "", ""))
    else:
        return redirect(url_for("staff.login"))
    user = _user(user_id or 0)
    secret = session.get("totp_setup") or accounts.new_totp_secret()
    session["totp_setup"] = secret
    error = None
    if request.method == "POST":
        if request.form.get("action") == "off" and current_user.is_authenticated and user.totp_secret:
            if user.role in current_app.config["TOTP_REQUIRED_ROLES"]:
                error = _("Two-factor sign-in is required for your role.")
            else:
                accounts.set_totp(user.id, None)
                log("user.2fa", user.email, state="off")
                login_user(auth.account_for(user.id))
                flash(_("Two-factor sign-in is off."), "ok")
                return redirect(url_for("staff.dashboard"), 303)
        elif accounts.totp_ok(secret, request.form.get("code", "")):
            accounts.set_totp(user.id, secret)
            log("user.2fa", user.email, state="on")
            session.pop("totp_setup", None)
            next_path = pending[1] if pending else ""
            session.pop(PENDING, None)
            login_user(auth.account_for(user.id))
            flash(_("Two-factor sign-in is on."), "ok")
            return redirect(next_path or url_for("staff.dashboard"), 303)
        else:
            error = _("That code is not right.")
    uri = accounts.totp_uri(secret, user.email, org_name("en"))
    svg = io.BytesIO()
    qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage).save(svg)
    return render_template("staff/totp.html", secret=secret, uri=uri, enabled=bool(user.totp_secret),
                           qr=Markup(svg.getvalue().decode()), error=error), 422 if error else 200
