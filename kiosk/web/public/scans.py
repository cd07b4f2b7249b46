"""QR scans: `/q/<code>` counts the scan and sends the phone to the consultation it points at, or
to the holding page `/q/` (a retired code, or one pointed there), which lists open consultations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.routing import BaseConverter

from kiosk.consultations import store as consultations
from kiosk.outreach import scans, tracking

if TYPE_CHECKING:
    from flask.sansio.blueprints import BlueprintSetupState

bp = Blueprint("scans", __name__)


class _Anything(BaseConverter):
    """Every path after /q/, slashes and all, so this view answers each one itself."""

    regex = ".*"
    part_isolating = False


@bp.record_once
def _add_converter(state: BlueprintSetupState) -> None:
    state.app.url_map.converters.setdefault("anything", _Anything)


@bp.get("/q/")
def holding() -> ResponseReturnValue:
    """The hub's holding page: where retired codes land; lists every open consultation."""
    return render_template("public/holding.html", consultations=consultations.open_consultations())


@bp.get("/q/<anything:code>", merge_slashes=False)
def scan(code: str) -> ResponseReturnValue:
    """Count a scan and redirect to where the code points; unknown codes get a friendly 404."""
    normalised = tracking.normalise(code) if tracking.is_valid(code) else None
    seen = scans.remembered(request.cookies.get(scans.SCANNED_COOKIE))
    first = normalised not in seen
    slug = normalised and scans.count_scan(
        normalised, scans.device_class(request.headers.get("User-Agent")), first)
    if not slug or normalised is None:
        return render_template("public/unknown_code.html",
                               consultations=consultations.open_consultations()), 404
    # The target is built only from the hub's own table: never from anything in the request.
    if slug == tracking.HOLDING:
        response = redirect(url_for(".holding"), 302)
    else:
        response = redirect(url_for("public.answer", slug=slug, code=normalised), 302)
    if first:
        response.set_cookie(scans.SCANNED_COOKIE, scans.remember(seen, normalised),
                            max_age=scans.COOKIE_MAX_AGE, httponly=True, samesite="Lax",
                            secure=request.is_secure)
    return response
