"""Feeds on the hub: RSS and Atom of consultations, iCalendar of events, one .ics per event."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request
from flask.typing import ResponseReturnValue

from kiosk.consultations import feeds
from kiosk.events import store as events
from kiosk.ops import deployment

bp = Blueprint("feeds", __name__)
CACHE = "public, max-age=300"


def _lang() -> str:
    lang = request.args.get("lang", "")
    return lang if lang in current_app.config["LANGUAGES"] else current_app.config["LANGUAGES"][0]


def _send(body: bytes, mimetype: str, filename: str | None = None) -> Response:
    headers = {"Cache-Control": CACHE}
    if filename:
        headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return Response(body, mimetype=mimetype, headers=headers)


def _public_url() -> str:
    """PUBLIC_URL for the feeds' absolute links; a 503 naming the setting when it is not fit."""
    try:
        return deployment.require_public_url(current_app.config, request.host)
    except deployment.InsecureURL as exc:
        abort(Response(f"This feed is not available: {exc}\n", 503, mimetype="text/plain"))


@bp.get("/feeds/consultations.rss")
def consultations_rss() -> ResponseReturnValue:
    """Consultations as RSS 2.0 (?lang=cy for Welsh)."""
    body = feeds.rss(_public_url(), _lang())
    return _send(body, "application/rss+xml")


@bp.get("/feeds/consultations.atom")
def consultations_atom() -> ResponseReturnValue:
    """Consultations as Atom (?lang=cy for Welsh)."""
    body = feeds.atom(_public_url(), _lang())
    return _send(body, "application/atom+xml")


@bp.get("/feeds/events.ics")
def events_ics() -> ResponseReturnValue:
    """Upcoming and recent events as an iCalendar feed to subscribe to."""
    body = feeds.calendar(_public_url(), _lang())
    return _send(body, "text/calendar")


@bp.get("/events/<event_id>.ics")
def event_ics(event_id: str) -> ResponseReturnValue:
    """One event as an .ics file."""
    event = events.get(event_id) or abort(404)
    body = feeds.event_ics(_public_url(), event, _lang())
    return _send(body, "text/calendar", f"event-{event.id}.ics")
