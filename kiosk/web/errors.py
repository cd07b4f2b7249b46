"""Error pages: a plain, bilingual page saying what went wrong and what to do next."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from kiosk.core.db import db

#: Seconds a client is asked to wait before trying again while the database is away.
RETRY_AFTER = 5


def _message(exc: HTTPException) -> str:
    """What to tell a person for each status (a view's own description wins where given)."""
    defaults = {
        400: _("Something in that request was not right."),
        403: _("You do not have permission to see this page."),
        404: _("We could not find that page."),
        405: _("That page cannot be used that way."),
        413: _("That upload is too large."),
        429: _("Too many tries from your connection. Please wait a minute and try again."),
    }
    # a view's own words, but never a library's internals (a rate limit's "3 per 1 minute")
    own = exc.description if exc.description != type(exc).description and exc.code != 429 else None
    return own or defaults.get(exc.code or 500, _("Something went wrong on our side."))


#: Views that re-show a refused form themselves, by endpoint: (message, status) -> response.
REFUSALS: dict[str, Callable[[str, int], ResponseReturnValue]] = {}


def init_app(app: Flask) -> None:
    """Answer HTTP errors outside the JSON API with the error page."""
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> ResponseReturnValue:
        if request.path.startswith("/api/") or exc.code is None or exc.code < 400:
            return exc
        if request.method == "POST" and exc.code == 429 and request.endpoint in REFUSALS:
            # a refused submission comes back with everything the resident typed still in it
            return REFUSALS[request.endpoint](_message(exc), exc.code)
        return render_template("error.html", status=exc.code, title=exc.name,
                               message=_message(exc)), exc.code

    @app.errorhandler(OperationalError)
    @app.errorhandler(PoolTimeout)
    def database_away(exc: Exception) -> ResponseReturnValue:
        """The database is away, stalled or full: a fast 503 saying so, never a bare 500."""

        app.logger.warning("database unavailable: %s", exc)
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001  (the connection may be gone too; the pool replaces it)
            db.session.close()
        if request.path.startswith("/api/"):
            from kiosk.web.api import ApiError, _api_error

            return _api_error(ApiError(503, "database_unavailable",
                                       "the hub's database is unavailable; try again shortly",
                                       {"Retry-After": str(RETRY_AFTER)}))
        if app.config["ROLE"] == "kiosk":
            return render_template("kiosk/unavailable.html", idle=False), 503
        page = render_template("error.html", status=503, title="Service Unavailable",
                               message=_("The service is busy. Please try again in a moment."))
        return page, 503, {"Retry-After": str(RETRY_AFTER)}
