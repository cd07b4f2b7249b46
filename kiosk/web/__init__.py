"""Blueprints: kiosk touch flow, public phone pages, staff pages."""

from __future__ import annotations

from flask import Flask, Response, redirect, request, session, url_for
from flask.typing import ResponseReturnValue


def init_app(app: Flask) -> None:
    """Register every blueprint and the shared routes."""
    from kiosk.web import errors
    from kiosk.web.public import info
    from kiosk.web.public import pages as public
    from kiosk.web.staff import home as staff
    from kiosk.web.tablet import flow as kiosk

    errors.init_app(app)
    app.before_request(kiosk.gate)
    info.init_app(app)
    app.register_blueprint(kiosk.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(staff.bp)
    if app.config["ROLE"] == "hub":  # the sync API and device admin exist only on the hub
        from kiosk.web import api
        from kiosk.web.staff import accounts, audit
        from kiosk.web.staff import devices as admin_devices

        app.register_blueprint(accounts.bp)
        app.register_blueprint(api.bp)
        app.register_blueprint(admin_devices.bp)
        app.register_blueprint(audit.bp)
    from kiosk.web.public import draws as draw_views

    draw_views.init_app(app)
    if app.config["ROLE"] == "hub":
        from kiosk.web.staff import draws as draw_admin

        app.register_blueprint(draw_admin.bp)
    if app.config["ROLE"] == "hub":
        from kiosk.web.public import feeds, resume, scans
        from kiosk.web.staff import areas as admin_areas
        from kiosk.web.staff import consultations as admin_consultations
        from kiosk.web.staff import events as admin_events
        from kiosk.web.staff import paper, preview, reports
        from kiosk.web.staff import posters as admin_posters

        for hub_bp in (scans.bp, feeds.bp, reports.bp, admin_events.bp, admin_posters.bp,
                       admin_consultations.bp, paper.bp, preview.bp, resume.bp, admin_areas.bp):
            app.register_blueprint(hub_bp)
    from kiosk.budget import question as budget
    from kiosk.consultations.questions import postcode as postcode_question

    budget.init_app(app)
    postcode_question.init_app(app)

    @app.post("/lang")
    def set_language() -> ResponseReturnValue:
        """Switch the interface language and go back to the same page."""
        lang = request.form.get("lang", "")
        if lang in app.config["LANGUAGES"]:
            session["lang"] = lang
        return redirect(same_site_path(request.form.get("next")) or url_for("public.home"), 303)

    @app.after_request
    def no_store(response: Response) -> Response:
        """Pages may hold a resident's answers: never let a cache or Back bring them back."""
        if response.mimetype == "text/html":
            response.headers["Cache-Control"] = "no-store"
        return response


def same_site_path(target: str | None) -> str | None:
    """Only same-site paths may be redirect targets.

    Browsers drop tabs and newlines from a URL and read a backslash as a slash, so "/", a tab,
    "/evil" would become "//evil" (another site): any control character or backslash is refused.
    """
    if not target or len(target) > 2000 or not target.startswith("/") or target.startswith("//"):
        return None
    if any(ch == "\\" or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return None
    return target
