"""The kiosk staff panel: a PIN behind a discreet gesture, then event, offer, language and queue."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from flask import (
    Blueprint,
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

from kiosk.consultations import store as consultations
from kiosk.core import auth, clock
from kiosk.core.problems import ProblemError
from kiosk.core.states import ReceiptStatus
from kiosk.core.timeutil import london_today
from kiosk.devices import health
from kiosk.tablet import pin_locks
from kiosk.tablet import state as kiosk_state
from kiosk.web import visits
from kiosk.web.i18n import tr
from sync import status as sync_status

bp = Blueprint("staff", __name__, url_prefix="/staff")
#: Retries of one request when staff press "Sync now" (they wait at the screen).
SYNC_NOW_RETRIES = 3


def _signed_in() -> bool:
    """Staff who typed the PIN here, or a signed-in hub staff account."""
    if session.get("kiosk_staff"):
        return True
    return bool(current_user.is_authenticated and current_user.has_role("staff"))


def panel_required(view: Callable) -> Callable:
    """Send anyone without the PIN to the PIN form."""
    @functools.wraps(view)
    def inner(*args: Any, **kwargs: Any) -> Any:
        if not _signed_in():
            return redirect(url_for(".pin"), 303)
        return view(*args, **kwargs)

    return inner


@bp.route("/pin", methods=["GET", "POST"])
def pin() -> ResponseReturnValue:
    """The staff PIN form; wrong PINs earn growing lock-outs kept in the database."""
    error, status = None, 200
    if request.method == "POST":
        result = pin_locks.attempt(current_app, request.form.get("pin", ""))
        if result.ok:
            visits.end(everything=False)  # a resident's half-finished answers go
            session["kiosk_staff"] = True
            if current_app.config["ROLE"] == "kiosk":
                login_user(auth.Account("pin", "Kiosk staff", "staff"))
            return redirect(url_for(".panel"), 303)
        error, status = _("That PIN is not right."), 401
        if result.wait:
            status = 429
    wait = pin_locks.wait_seconds()
    if wait:
        error = _("Too many wrong PINs. Try again in %(n)s seconds.", n=wait)
    return render_template("kiosk/staff_pin.html", error=error, wait=wait), status


@bp.get("/")
@panel_required
def panel() -> ResponseReturnValue:
    """Current event, offered consultations, default language, queue and leaving kiosk mode."""
    return render_template(
        "kiosk/staff_panel.html", event=kiosk_state.current_event(),
        events=kiosk_state.recent_events(), offers=kiosk_state.offer_choices(),
        bilingual=kiosk_state.bilingual(), language=kiosk_state.default_language(),
        queue=kiosk_state.queue_status(), today=london_today().isoformat(),
        sync=_sync_status(), warnings=health.warnings(current_app._get_current_object()),  # type: ignore[attr-defined]  # current_app is typed as Flask, not its proxy
        skew=clock.skew())


def _sync_status() -> dict[str, Any] | None:
    """What ``voxbox sync status`` shows, on a kiosk (None on the hub, which does not sync)."""
    if current_app.config["ROLE"] != "kiosk":
        return None

    return sync_status.status(current_app._get_current_object())  # type: ignore[attr-defined]  # current_app is typed as Flask, not its proxy


@bp.post("/event")
@panel_required
def choose_event() -> ResponseReturnValue:
    """Make an existing event (or none) the current one."""
    try:
        kiosk_state.set_current_event(request.form.get("event_id") or None)
    except ProblemError:
        flash(_("That event is not known on this kiosk."), "error")
    else:
        flash(_("Current event saved. New responses are tagged with it."), "success")
    return redirect(url_for(".panel"), 303)


@bp.post("/event/new")
@panel_required
def create_event() -> ResponseReturnValue:
    """Create a local event and make it the current one."""
    try:
        day = dt.date.fromisoformat(request.form.get("date", ""))
        kiosk_state.create_event(request.form.get("name", ""), request.form.get("place", ""), day,
                                 request.form.get("name_cy", ""), request.form.get("place_cy", ""),
                                 request.form.get("description", ""),
                                 request.form.get("description_cy", ""))
    except (ValueError, ProblemError):
        flash(_("To create an event give its name, place and date."), "error")
    else:
        flash(_("Event created. New responses are tagged with it."), "success")
    return redirect(url_for(".panel"), 303)


@bp.post("/offered")
@panel_required
def offered() -> ResponseReturnValue:
    """Choose which open consultations the attract screen offers."""
    try:
        kiosk_state.set_offered(request.form.getlist("offered"))
    except kiosk_state.OfferError as exc:
        for slug in exc.unknown:
            flash(_("“%(slug)s” is not open, so it cannot be offered.", slug=slug), "error")
        for slug, paths in exc.missing_welsh.items():
            c = consultations.get(slug)
            flash(_("“%(title)s” cannot be offered on a bilingual kiosk: its Welsh text is missing "
                    "(%(where)s). Nothing was changed.", title=tr(c.title) if c else slug,
                    where=", ".join(paths[:5])), "error")
    else:
        flash(_("Offered consultations saved."), "success")
    return redirect(url_for(".panel"), 303)


@bp.post("/language")
@panel_required
def language() -> ResponseReturnValue:
    """Set the language a new resident starts in."""
    try:
        kiosk_state.set_default_language(request.form.get("language", ""))
    except ProblemError:
        flash(_("Choose one of the languages shown."), "error")
    else:
        session.pop("lang", None)
        flash(_("Default language saved."), "success")
    return redirect(url_for(".panel"), 303)


@bp.post("/sync")
@panel_required
def sync_now() -> ResponseReturnValue:
    """The "Sync now" button: pull from the hub, then push queued entries and responses."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is typed as Flask, not its proxy
    try:  # staff are waiting at the screen: a few retries, not the CLI's patient eight
        from sync import client  # the HTTP client, only when staff press Sync
        from sync.transport import SyncError

        result = client.sync_now(app, retries=min(app.config["SYNC_RETRIES"], SYNC_NOW_RETRIES))
    except SyncError as exc:
        flash(_("Sync failed: %(reason)s. Nothing was lost: responses stay queued.",
                reason=str(exc)), "error")
    else:
        pushed = result["push"]
        flash(_("Synced: %(sent)s sent to the hub, %(aside)s set aside, %(left)s still queued.",
                sent=pushed[ReceiptStatus.ACCEPTED] + pushed[ReceiptStatus.DUPLICATE],
                aside=pushed[ReceiptStatus.CONFLICT] + pushed[ReceiptStatus.REJECTED],
                left=kiosk_state.queue_status().queued), "success")
        if result.get("cleanup_deferred"):
            flash(_("The disk is too full to finish clearing deleted prize-draw contacts from the "
                    "database file; it will be done at a later sync once there is room."), "error")
    return redirect(url_for(".panel"), 303)


@bp.post("/leave")
def leave() -> ResponseReturnValue:
    """Sign out of the panel and hand the kiosk back to residents."""
    visits.end()  # the draft too (it used to stay in the database until it expired)
    return redirect(url_for("kiosk.start"), 303)
