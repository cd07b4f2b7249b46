"""The application factory: one place that builds the app for a kiosk or a hub.

Its imports sit inside ``create_app`` on purpose: importing ``kiosk`` (as ``voxbox --help`` does)
must not import the views, the database layer or the feature packages.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from kiosk import settings as default_settings


def _secret_key(instance: Path) -> str:
    """Read the instance's secret key, creating it on first run."""
    from kiosk.core.private_files import read_or_create_text

    return read_or_create_text(instance / "secret_key", lambda: secrets.token_hex(32))


def configured(test_config: dict[str, Any] | None = None, instance_path: str | None = None) -> Flask:
    """A bare app with its configuration read and checked, in the one order every start uses:
    defaults, instance/config.py, VOXBOX_* variables, then test_config. Nothing else is built."""
    instance_path = instance_path or os.environ.get("VOXBOX_INSTANCE")
    app = Flask(
        __name__,
        instance_relative_config=True,
        instance_path=os.path.abspath(instance_path) if instance_path else None,
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_object(default_settings)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("VOXBOX")
    if test_config:
        app.config.update(test_config)
    default_settings.finalise(app)
    return app


def create_app(test_config: dict[str, Any] | None = None, instance_path: str | None = None,
               web: bool = True) -> Flask:
    """Build the voxbox app in the kiosk or hub role.

    ``web=False`` builds it for a command that serves no pages (``voxbox sync status``, ``voxbox
    draw run``…): configuration, the database and languages, without the blueprints, sign-in,
    rate limits, headers or the hub's purge schedule, so such a command starts quickly.
    """
    app = configured(test_config, instance_path)
    if app.config["PROXY_HOPS"]:  # behind nginx & co: the client's address, scheme and host
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]  # Flask's documented way to wrap its WSGI app
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(Path(app.instance_path))

    import kiosk.models  # noqa: F401  (the model registry: every table, before the first query)
    from kiosk.core import db
    from kiosk.web import i18n

    db.init_app(app)
    from kiosk.analysis import texts

    texts.init_app(app)  # free-text answers copied as responses are stored
    i18n.init_app(app)
    if web:
        from kiosk import web as views
        from kiosk.core import auth, limits
        from kiosk.web import headers

        headers.init_app(app)
        auth.init_app(app)
        limits.init_app(app)
        views.init_app(app)

    from kiosk.cli import init_app as add_commands

    add_commands(app)

    if app.config["AUTO_MIGRATE"]:
        db.upgrade_in_place(app)
        if web and app.config["ROLE"] == "hub" and not app.config.get("TESTING"):
            from kiosk.draws import retention

            retention.purge_at_startup(app)  # deadlines pass while the hub is down too
            from kiosk.ops import schedule

            schedule.start(app)
    return app
