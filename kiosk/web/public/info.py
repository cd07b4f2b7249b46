"""The public body's duties to residents: privacy notice, accessibility statement, own look."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    render_template,
    request,
    send_file,
)
from flask.typing import ResponseReturnValue

from kiosk.consultations import equality
from kiosk.core import identity

bp = Blueprint("info", __name__)


def kiosk_look() -> bool:
    """Pages on a kiosk (or under /kiosk on a hub) wear the kiosk's look and find their way home."""
    return current_app.config["ROLE"] == "kiosk" or request.path.startswith("/kiosk")


def init_app(app: Flask) -> None:
    """Register the pages and the template test for the kiosk look."""
    identity.init_app(app)
    app.jinja_env.globals["kiosk_look"] = kiosk_look
    app.register_blueprint(bp)


@bp.get("/privacy")
def privacy() -> ResponseReturnValue:
    """Privacy notice for responses: who, why, lawful basis (naming the consultations that ask
    equality questions), retention, rights, contact."""
    return render_template("info/privacy.html", equality_uses=equality.in_use())


@bp.get("/accessibility")
def accessibility() -> ResponseReturnValue:
    """Accessibility statement in the GOV.UK model."""
    return render_template("info/accessibility.html")


@bp.get("/org.css")
def org_css() -> ResponseReturnValue:
    """The organisation's colour as a stylesheet (a file, so a strict CSP needs no inline style)."""
    colour = current_app.config["ORG_COLOUR"]
    body = f":root {{ --primary: {colour}; }}\n" if colour else ""
    return Response(body, mimetype="text/css", headers={"Cache-Control": "max-age=300"})


@bp.get("/org-logo")
def org_logo() -> ResponseReturnValue:
    """The organisation's logo from the instance folder."""
    path = identity.logo_path(current_app)
    if path is None:
        abort(404)
    return send_file(path, mimetype=identity.LOGO_TYPES[path.suffix.lower()], max_age=300)
