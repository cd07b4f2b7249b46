"""Staff pages: sign in, consultations with counts and tallies, CSV export."""

from __future__ import annotations

from typing import Any

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
from flask_login import current_user, login_user, logout_user

from kiosk.consultations import equality
from kiosk.consultations import store as consultations
from kiosk.core import auth, limits
from kiosk.ops import deployment
from kiosk.reports import tallies as report_tallies
from kiosk.responses import store as responses
from kiosk.responses import xlsx
from kiosk.tablet import pin_locks
from kiosk.web.downloads import counted_form, csv_download, export_form, xlsx_download
from kiosk.web.redirects import same_site_path
from kiosk.web.staff.accounts import start_second_step
from kiosk.web.staff.audit import exported

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.route("/login", methods=["GET", "POST"])
@limits.sign_in
def login() -> ResponseReturnValue:
    """Sign in: email and password on the hub, the staff PIN on a kiosk."""
    kiosk = current_app.config["ROLE"] == "kiosk"
    if request.method == "POST":
        if kiosk:
            # The same database-kept lock-outs as the kiosk's staff panel PIN form.
            account = (auth.Account("pin", "Kiosk staff", "staff")
                       if pin_locks.attempt(current_app, request.form.get("pin", "")).ok else None)
        else:
            account = auth.authenticate(request.form.get("email", ""),
                                        request.form.get("password", ""))
        if account is None:
            flash(_("That PIN is not right.") if kiosk else _("Email or password not recognised."),
                  "error")
            return render_template("staff/login.html", kiosk=kiosk), 401
        if not kiosk:  # the hub's second step (TOTP), when the account has or needs one
            second = start_second_step(account, request.args.get("next"))
            if second is not None:
                return second
        login_user(account)
        # back to the page that asked for a sign-in (e.g. the hub's kiosk pages), if it is ours
        return redirect(same_site_path(request.args.get("next")) or url_for(".dashboard"), 303)
    return render_template("staff/login.html", kiosk=kiosk)


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """Sign out, ending this account's sessions on the server too (a copied cookie dies)."""
    user_id = auth.user_id_of(current_user)
    if user_id is not None:
        auth.end_sessions(user_id)
    logout_user()
    session.clear()
    return redirect(url_for("public.home"), 303)


@bp.get("/")
@auth.staff_required
def dashboard() -> ResponseReturnValue:
    """Every consultation with its response count."""
    counts = responses.counts_by_consultation()
    url_problems = (deployment.url_problems(current_app.config["PUBLIC_URL"], request.host)
                    if current_app.config["ROLE"] == "hub" else [])
    return render_template("staff/dashboard.html", consultations=consultations.all_consultations(),
                           counts=counts, url_problems=url_problems)


@bp.get("/c/<slug>")
@auth.staff_required
def consultation(slug: str) -> ResponseReturnValue:
    """Response counts and per-question tallies across every version, by question id."""
    c = consultations.get(slug) or abort(404)
    defn = consultations.merged_definition(slug) or abort(404)
    seen = report_tallies.overview(slug, defn)
    by_channel = {ch: seen.by_channel[ch] for ch in responses.CHANNELS if seen.by_channel[ch]}
    return render_template("staff/consultation.html", c=c, defn=defn, total=sum(seen.by_version.values()),
                           current=seen.by_version[c.version], by_channel=by_channel,
                           tallies=equality.suppress_tallies(defn, seen.tallies,
                                                             current_app.config["SMALL_CELL_THRESHOLD"]))


def _exported(slug: str) -> tuple[Any, Any]:
    """The definition as this viewer may see it (equality answers only for officers) and the
    counted responses the request asks for, streamed."""
    if consultations.get(slug) is None:
        abort(404)
    defn = equality.for_viewer(consultations.merged_definition(slug) or abort(404),
                               current_user.has_role("officer"))
    return defn, responses.for_consultation(slug, **counted_form())


@bp.get("/c/<slug>/responses.csv")
@auth.staff_required
@exported(lambda kw: kw["slug"])
def export_csv(slug: str) -> ResponseReturnValue:
    """Every response to every version as CSV, one row each, safe to open in a spreadsheet;
    equality answers only for officers."""
    defn, rows = _exported(slug)
    return csv_download(responses.export_csv(defn, rows, **export_form()), f"{slug}-responses.csv")


@bp.get("/c/<slug>/responses.xlsx")
@auth.staff_required
@exported(lambda kw: kw["slug"])
def export_xlsx(slug: str) -> ResponseReturnValue:
    """Every counted response as an XLSX workbook (the CSV's columns, numbers as numbers);
    equality answers only for officers."""
    defn, rows = _exported(slug)
    return xlsx_download(xlsx.export(defn, rows, **export_form()), f"{slug}-responses.xlsx")


@bp.get("/c/<slug>/equality.csv")
@auth.staff_required
@exported(lambda kw: kw["slug"])
def equality_csv(slug: str) -> ResponseReturnValue:
    """Equality answers in aggregate, counts under the threshold suppressed (officers get every count)."""
    if consultations.get(slug) is None:
        abort(404)
    defn = consultations.merged_definition(slug) or abort(404)
    body = equality.aggregate_csv(defn, report_tallies.tallies(slug, defn),
                                  current_app.config["SMALL_CELL_THRESHOLD"],
                                  officer=current_user.has_role("officer"))
    return csv_download(body, f"{slug}-equality.csv")
