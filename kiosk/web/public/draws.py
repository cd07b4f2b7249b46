"""Residents' prize-draw entry (after the thank-you, on a kiosk or a phone) and the public result:
a page per made draw and its verification file.

The entry form is posted on its own, after the response is committed, and carries only the draw
id: nothing in the request or the stored entry points back at the response. Committing a response
grants one entry token per open draw (``grant``), kept in the session and spent with the entry, so
a replayed cookie cannot enter twice. The page after entering shows the entry's reference once
(``draws.enter``); it is kept nowhere else, neither in the session nor with the response.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from kiosk.core import limits
from kiosk.core.states import SyncState
from kiosk.draws import claims, contacts, entry_tokens
from kiosk.draws import runs as draw_runs
from kiosk.draws import store as draws
from kiosk.draws.models import Draw
from kiosk.tablet import state as kiosk_state
from kiosk.web import errors as errors_view

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

bp = Blueprint("draws", __name__)


def init_app(app: Flask) -> None:
    """Register the blueprint and the template helper the thank-you pages use."""
    app.register_blueprint(bp)
    app.jinja_env.globals["draw_offers"] = offers


def grant(slug: str) -> None:
    """After a response is committed: one entry token per open draw for its consultation.

    Only the draw ids and the tokens go in the session (nothing of the response), so the entry
    form is open to the person who answered without the entry pointing at what they answered.
    """
    if _public_key() is None:
        return
    found = [d.id for d in draws.open_for(slug)]
    if found:
        session["draw_offers"] = {**_granted(), **entry_tokens.issue(found)}


def offers(slug: str) -> list[Draw]:
    """Open draws this consultation's thank-you page offers: those the session holds a token for."""
    if _public_key() is None:
        return []
    granted = _granted()
    return [d for d in draws.open_for(slug) if d.id in granted]


def _granted() -> dict[str, str]:
    held = session.get("draw_offers")
    return held if isinstance(held, dict) else {}


def _public_key() -> X25519PublicKey | None:
    from sync import keys

    return keys.hub_public_key(current_app._get_current_object())  # type: ignore[attr-defined]  # current_app is typed as Flask, not its proxy


def _secret() -> bytes:
    from sync import keys

    return keys.dedupe_key(current_app._get_current_object())  # type: ignore[attr-defined]  # current_app is typed as Flask, not its proxy


def _open_draw(draw_id: str) -> Draw:
    draw = draws.get(draw_id)
    if draw is None:
        abort(404)
    return draw


@bp.route("/kiosk/draw/<draw_id>", methods=["GET", "POST"])
@limits.hub_only_submit
def kiosk_enter(draw_id: str) -> ResponseReturnValue:
    """The kiosk's entry page: unticked box, name, one contact; nothing autocompleted."""
    g.default_language = kiosk_state.default_language()
    return _enter(_open_draw(draw_id), kiosk=True)


@bp.route("/draw/<draw_id>", methods=["GET", "POST"])
@limits.submit
def web_enter(draw_id: str) -> ResponseReturnValue:
    """The phone's entry page (the thank-you page posts its inline form here too)."""
    if current_app.config["ROLE"] != "hub":
        abort(404)
    return _enter(_open_draw(draw_id), kiosk=False)


def _enter(draw: Draw, kiosk: bool) -> ResponseReturnValue:
    form = {"name": request.form.get("name", ""), "contact": request.form.get("contact", ""),
            "opt_in": request.form.get("opt_in", "")}
    if not draw.is_open or _public_key() is None:
        return render_template("draws/closed.html", draw=draw, kiosk=kiosk), 410
    token = _granted().get(draw.id)
    if token is None:  # offered after a response, not otherwise
        if request.method == "GET":
            return redirect(url_for("kiosk.start" if kiosk else "public.home"), 303)
        abort(403)
    if request.method == "GET":
        return render_template("draws/enter.html", draw=draw, kiosk=kiosk, form=form, errors={})
    errors = {}
    if request.form.get("opt_in") != "yes":
        errors["opt_in"] = _("Tick the box if you want to enter the draw.")
    try:
        contacts.clean_name(form["name"])
    except ValueError:
        errors["name"] = _("Enter your name (up to 100 letters).")
    try:
        contacts.normalise(form["contact"])
    except ValueError:
        errors["contact"] = _("Enter an email address like name@example.com or a UK phone"
                              " number like 07700 900123.")
    if errors:
        return render_template("draws/enter.html", draw=draw, kiosk=kiosk, form=form,
                               errors=errors), 422
    cfg = current_app.config
    hub = cfg["ROLE"] == "hub"
    session["draw_offers"] = {k: v for k, v in _granted().items() if k != draw.id}
    reference = draws.enter(draw, form["name"], form["contact"], _public_key(),
                            "kiosk" if kiosk else "web",
                            sync_state=SyncState.STORED if hub else SyncState.QUEUED,
                            token=token, secret=_secret() if hub else None,
                            batch=cfg["DRAW_ENTRY_BATCH"])
    if reference is None:
        abort(403)  # this response's entry was already made (a replayed cookie)
    # the same page whether or not this person had entered before
    return render_template("draws/entered.html", draw=draw, kiosk=kiosk, reference=reference)


def _refused(message: str, status: int) -> ResponseReturnValue:
    """A rate-limited entry comes back with the opt-in, name and contact still filled in."""
    draw = _open_draw((request.view_args or {}).get("draw_id", ""))
    form = {k: request.form.get(k, "") for k in ("name", "contact", "opt_in")}
    return render_template("draws/enter.html", draw=draw, kiosk=False, form=form,
                           errors={"form": message}), status


errors_view.REFUSALS["draws.web_enter"] = _refused


@bp.get("/draws/<draw_id>")
def public_draw(draw_id: str) -> ResponseReturnValue:
    """A made draw in public: when, the prize, how many entries, the winning entry references
    (never names) and a link to its verification file."""
    draw = _open_draw(draw_id)
    result = claims.public_result(draw)
    if result is None:
        abort(404)
    return render_template("draws/public.html", draw=draw, result=result)


@bp.get("/draw/<draw_id>/verification.json")
def verification(draw_id: str) -> ResponseReturnValue:
    """The published verification file of the run that stands (no personal data in it)."""
    draw = _open_draw(draw_id)
    run = draw_runs.latest(draw)
    if run is None:
        abort(404)
    response = jsonify(run.verification)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="draw-{draw.id}-run-{run.run}.json"')
    return response
