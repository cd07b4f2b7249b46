"""Shared fixtures: app factories, clients, a live server and a real Chromium."""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk import create_app
from kiosk.consultations import definitions
from kiosk.consultations import store as consultations
from kiosk.core.db import db

DEMO = Path(__file__).parent.parent / "kiosk" / "demo"

# The suite runs hubs on loopback over http, as a lab does: every app and every hub process it starts
# may print codes there. tests/test_deployment.py turns the guard back on to show it refuses.
os.environ.setdefault("VOXBOX_ALLOW_INSECURE_URL", "true")
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., Flask]:
    """A factory of apps, each with its own instance folder under tmp_path."""
    made = 0

    def factory(role: str = "hub", **config: object) -> Flask:
        nonlocal made
        made += 1
        instance = tmp_path / f"instance{made}"
        base = {"TESTING": True, "ROLE": role, "SECRET_KEY": "test", "STAFF_PIN": "4321",
                "RATELIMIT_ENABLED": False}
        return create_app({**base, **config}, instance_path=str(instance))

    return factory


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    """A hub app with the demo consultations loaded; CSRF is on, as in production."""
    application = make_app("hub")
    with application.app_context():
        load_demo()
    yield application


@pytest.fixture
def kiosk_app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    """A kiosk-role app with the demo consultations loaded."""
    application = make_app("kiosk")
    with application.app_context():
        load_demo()
    yield application


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


def load_demo() -> None:
    """Import the demo definitions, open today."""
    from kiosk.demo import content as demo

    for _line in demo.load(__import__("flask").current_app):
        pass


def csrf_token(client: FlaskClient, path: str, **request: object) -> str:
    """GET a page and return its CSRF token."""
    page = client.get(path, **request)
    match = CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1)


@pytest.fixture
def staff_client(app: Flask, client: FlaskClient) -> FlaskClient:
    """A client signed in as a hub staff member."""
    with app.app_context():
        from kiosk.core import auth

        auth.create_user("staff@example.org", "Staff", "correct horse battery", "staff")
    token = csrf_token(client, "/staff/login")
    r = client.post("/staff/login", data={"csrf_token": token, "email": "staff@example.org",
                                          "password": "correct horse battery"})
    assert r.status_code == 303
    return client


PASSWORD = "correct horse battery"


def sign_in(client: FlaskClient, email: str) -> FlaskClient:
    """Sign a client in with the shared test password."""
    token = csrf_token(client, "/staff/login")
    r = client.post("/staff/login", data={"csrf_token": token, "email": email,
                                          "password": PASSWORD})
    assert r.status_code == 303, r.status_code
    return client


@pytest.fixture
def signed_in(app: Flask) -> Callable[[str], FlaskClient]:
    """A factory: a fresh client signed in with the given role (staff, admin or officer)."""
    import uuid

    from kiosk.core import auth

    def make(role: str) -> FlaskClient:
        email = f"{role}-{uuid.uuid4().hex[:8]}@example.org"
        with app.app_context():
            auth.create_user(email, role.title(), PASSWORD, role)
        return sign_in(app.test_client(), email)

    return make


@pytest.fixture
def import_yaml(app: Flask) -> Callable[[str], dict]:
    """Validate and import a YAML definition given as text."""
    import yaml

    def do(text: str) -> dict:
        defn = definitions.validate(yaml.safe_load(text))
        with app.app_context():
            consultations.import_definition(defn)
        return defn

    return do


# --- live server and browser ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """A real waitress server on loopback, serving an app in a thread."""

    def __init__(self, application: Flask) -> None:
        from waitress.server import create_server

        self.app = application
        self.port = free_port()
        self.server = create_server(application, host="127.0.0.1", port=self.port, threads=4)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            self.server.run()
        except (OSError, ValueError):
            # closing the listening socket under waitress's select() loop can raise EBADF (or a
            # negative fd) in this thread; only while stopping is that expected
            if not self.stopping.is_set():
                raise

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.stopping.set()
        self.server.close()
        self.thread.join(timeout=10)


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    server = LiveServer(app)
    yield server
    server.stop()


@pytest.fixture
def live_kiosk(kiosk_app: Flask) -> Iterator[LiveServer]:
    server = LiveServer(kiosk_app)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Debian's Chromium driven by Playwright; skips locally without it, fails in CI."""
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no Chromium at /usr/bin/chromium: browser tests must run in CI")
        pytest.skip("no Chromium found (apt-get install chromium); browser tests skipped locally")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


def csp_violations(pg) -> list[str]:  # type: ignore[no-untyped-def]
    """Collect what the page's Content-Security-Policy blocked (Chromium reports each one on the
    console as an error); the list fills as the page runs."""
    found: list[str] = []

    def seen(message) -> None:  # type: ignore[no-untyped-def]
        if message.type == "error" and "Content Security Policy" in message.text:
            found.append(f"{pg.url}: {message.text}")

    pg.on("console", seen)
    return found


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    """A fresh tablet-sized browser page; the test fails if the CSP blocked anything on it."""
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    blocked = csp_violations(pg)
    yield pg
    context.close()
    assert blocked == [], "the Content-Security-Policy blocked something: " + "; ".join(blocked)


@pytest.fixture
def phone(browser):  # type: ignore[no-untyped-def]
    """A fresh phone-sized browser page; the test fails if the CSP blocked anything on it."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    blocked = csp_violations(pg)
    yield pg
    context.close()
    assert blocked == [], "the Content-Security-Policy blocked something: " + "; ".join(blocked)


def rows(application: Flask, **filters: object) -> list:
    """Responses in the app's database matching the filters."""
    from sqlalchemy import select

    from kiosk.responses.models import Response

    with application.app_context():
        return list(db.session.execute(select(Response).filter_by(**filters)).scalars())
