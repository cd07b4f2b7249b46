"""The hub's multi-process server: gunicorn with gthread workers, each building its own app.

``voxbox serve --workers N`` runs this on a hub. Each worker calls the app factory after the fork
(no preloading), so no database connection or lock crosses a process boundary; migrations still run
once, under the instance's lock. Kiosks keep waitress: one process owns the tablet's SQLite queue.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

#: The access log names the worker's pid (%(p)s), so an operator can tell which worker answered.
ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(D)sus pid=%(p)s'


def options(host: str, port: int, workers: int, threads: int, timeout: int) -> dict[str, Any]:
    """gunicorn settings for a hub behind a reverse proxy (see README "Deploying a hub")."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": max(timeout, 60),  # a worker silent this long is killed and replaced
        "graceful_timeout": 30,  # in-flight requests get this long on stop or reload
        "keepalive": 5,
        "max_requests": 10000,  # recycle workers now and then; jitter keeps them apart
        "max_requests_jitter": 1000,
        "accesslog": "-",
        "errorlog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "proc_name": "voxbox-hub",
        "preload_app": False,
        "control_socket_disable": True,  # gunicorn 24+: one shared ~/.gunicorn path would clash
    }


class HubServer(BaseApplication):
    """gunicorn running ``kiosk.create_app()`` in every worker, configured from a dict."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        """Apply the settings (gunicorn reads no command line or config file here)."""
        for key, value in self.settings.items():
            if key in self.cfg.settings:  # an older gunicorn lacks the newest settings
                self.cfg.set(key, value)

    def load(self) -> Flask:  # type: ignore[override]  # types-gunicorn's start_response has no exc_info, which Flask's WSGI call takes
        """The app, built by the factory inside the worker."""
        from kiosk import create_app

        return create_app()


def run(settings: dict[str, Any]) -> None:
    """Serve until stopped (SIGTERM or SIGINT ends the workers gracefully)."""
    HubServer(settings).run()
