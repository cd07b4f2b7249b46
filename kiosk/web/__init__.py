"""The web layer: blueprints grouped by audience (tablet, public, staff), the sync API, errors,
languages and headers; the only code that reads flask.request, session or g.

``init_app`` imports the blueprints inside itself on purpose: a kiosk never imports the hub's
pages (posters, reports, feeds, the API), so a kiosk command that builds the app stays quick.
"""

from __future__ import annotations

from flask import Flask, Response, redirect, request, session, url_for
from flask.typing import ResponseReturnValue

from kiosk.web.redirects import same_site_path


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
        from kiosk.web.public import results as public_results
        from kiosk.web.staff import answers, paper, preview, reports
        from kiosk.web.staff import areas as admin_areas
        from kiosk.web.staff import consultations as admin_consultations
        from kiosk.web.staff import events as admin_events
        from kiosk.web.staff import posters as admin_posters
        from kiosk.web.staff import results as results_editor

        for hub_bp in (scans.bp, feeds.bp, reports.bp, admin_events.bp, admin_posters.bp,
                       admin_consultations.bp, paper.bp, preview.bp, resume.bp, admin_areas.bp,
                       answers.bp, results_editor.bp, public_results.bp):
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
