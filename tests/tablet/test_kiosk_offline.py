"""Offline kiosk: no URL in any kiosk page, or in the CSS and JS they load, points off the machine."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import csrf_token, load_demo
from tests.tablet.test_kiosk_privacy import STEPS

STATIC = Path(__file__).resolve().parents[2] / "kiosk" / "static"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
#: Attributes whose value the browser loads, navigates to or submits to.
URL_ATTRS = {"href", "src", "action", "formaction", "poster", "data", "cite", "background",
             "manifest", "ping", "xlink:href"}
#: Schemes that never reach the network.
LOCAL_SCHEMES = {"data", "blob", "about", "javascript", "mailto", "tel"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.I)
JS_STRING = re.compile(r""""((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`""")
ABSOLUTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)


def off_machine(url: str) -> bool:
    """True if loading this URL (as written in a page served from loopback) could leave the machine."""
    url = url.strip()
    if not url or url.startswith("#"):
        return False
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return False
    if not parts.scheme and not parts.netloc:  # relative: served by the kiosk itself
        return False
    return parts.hostname not in LOOPBACK


class Links(HTMLParser):
    """Every URL an HTML page can make the browser fetch, plus its scripts, styles and stylesheets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []
        self.inline_css: list[str] = []
        self.inline_js: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for name, value in a.items():
            if name.endswith("srcset"):  # "a.png 1x, b.png 2x"
                self.urls.extend(v.split()[0] for v in value.split(",") if v.strip())
            elif name in URL_ATTRS:
                self.urls.append(value)
            elif name == "style":
                self.inline_css.append(value)
            elif name != "xmlns" and ABSOLUTE.match(value):  # data-*-url and the like
                self.urls.append(value)
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            self.urls.append(a.get("content", "").partition("url=")[2])
        if tag == "link" and "stylesheet" in a.get("rel", "").split():
            self.stylesheets.append(a["href"])
        if tag == "script" and a.get("src"):
            self.scripts.append(a["src"])
        if tag in ("style", "script") and not a.get("src") and a.get("type", "") != "application/json":
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            self.inline_css.append(data)
        elif self._in == "script":
            self.inline_js.append(data)


def css_urls(css: str) -> list[str]:
    return [m.group(2) or m.group(4) or "" for m in CSS_URL.finditer(css)]


def js_urls(js: str) -> list[str]:
    """String literals in JavaScript that look like absolute or protocol-relative URLs."""
    literals = (next(g for g in m.groups() if g is not None) for m in JS_STRING.finditer(js))
    return [s for s in literals if ABSOLUTE.match(s) or "://" in s]


@pytest.fixture
def kiosk_with_draw(make_app: Callable[..., Flask]) -> Flask:
    return draw_kiosk_app(make_app)


def draw_kiosk_app(make_app: Callable[..., Flask]) -> Flask:
    """A kiosk (demo loaded) that has pulled an open prize draw, so every screen can be reached."""
    from kiosk.core.timeutil import utcnow
    from kiosk.draws import store as draws
    from tests.draws.conftest import pull_into

    hub = make_app("hub")
    with hub.app_context():
        load_demo()
        draws.define({"prize": {"en": "A voucher", "cy": "Taleb"}, "rules": {"en": "One each."},
                      "consultations": ["policing-priorities"], "winners": 1, "reserves": 0,
                      "claim_days": 28, "closes_at": utcnow() + dt.timedelta(days=7)})
    kiosk = make_app("kiosk")
    with kiosk.app_context():
        load_demo()
    pull_into(hub, kiosk)
    return kiosk


def every_kiosk_page(client: FlaskClient) -> Iterator[tuple[str, str]]:
    """(path, HTML) of each kiosk screen: attract, every question, budget, errors, thank-you,
    prize draw, staff PIN and panel."""
    yield "/kiosk/", client.get("/kiosk/").get_data(as_text=True)
    token = csrf_token(client, "/kiosk/")
    for slug in ("police-budget-2027", "policing-priorities"):
        step = client.post(f"/kiosk/c/{slug}", data={"csrf_token": token}).location
        yield step, client.get(step).get_data(as_text=True)
    r = client.post(step, data={"csrf_token": token, "action": "next"})
    assert r.status_code == 422
    yield step + " (error)", r.get_data(as_text=True)
    for i, data in enumerate(STEPS):
        action = "submit" if i == len(STEPS) - 1 else "next"
        page = client.get(step).get_data(as_text=True)
        yield step, page
        step = client.post(step, data={"csrf_token": token, "action": action, **data}).location
    thanks = client.get(step).get_data(as_text=True)
    yield step, thanks
    draw = re.search(r'href="(/kiosk/draw/[^"]+)"', thanks).group(1)
    yield draw, client.get(draw).get_data(as_text=True)
    r = client.post(draw, data={"csrf_token": token, "name": "Ann", "contact": "ann@example.org"})
    assert r.status_code == 422
    yield draw + " (error)", r.get_data(as_text=True)
    yield "/kiosk/staff/pin", client.get("/kiosk/staff/pin").get_data(as_text=True)
    r = client.post("/kiosk/staff/pin", data={"csrf_token": token, "pin": "4321"})
    assert r.status_code == 303
    yield "/kiosk/staff/", client.get("/kiosk/staff/").get_data(as_text=True)


def test_no_kiosk_page_css_or_js_points_off_the_machine(kiosk_with_draw: Flask) -> None:
    client = kiosk_with_draw.test_client()
    outside: list[str] = []
    assets: dict[str, str] = {}
    pages = 0
    for path, html in every_kiosk_page(client):
        pages += 1
        assert "<html" in html, path
        links = Links()
        links.feed(html)
        found = links.urls + [u for css in links.inline_css for u in css_urls(css)]
        found += [u for js in links.inline_js for u in js_urls(js)]
        outside += [f"{path}: {u}" for u in found if off_machine(u)]
        for asset in links.stylesheets + links.scripts:
            assets.setdefault(urljoin(path, asset), path)
    assert pages >= 14
    assert {"/static/voxbox.css", "/static/kiosk.js", "/static/voxbox.js", "/static/budget.js",
            "/static/budget.css"} <= set(assets)
    for asset, page in assets.items():
        if off_machine(asset):
            outside.append(f"{page} -> {asset}")
            continue
        r = client.get(asset)
        assert r.status_code == 200, asset
        body = r.get_data(as_text=True)
        r.close()
        urls = css_urls(body) if asset.endswith(".css") else js_urls(body)
        outside += [f"{asset}: {u}" for u in urls if off_machine(u)]
    assert outside == []


def test_every_static_file_is_self_contained() -> None:
    """A backstop for assets no page links yet: nothing in kiosk/static reaches out either."""
    files = sorted(p for p in STATIC.rglob("*") if p.suffix in (".css", ".js"))
    assert files
    outside = []
    for path in files:
        text = path.read_text()
        urls = css_urls(text) if path.suffix == ".css" else js_urls(text)
        outside += [f"{path.name}: {u}" for u in urls if off_machine(u)]
    assert outside == []


@pytest.mark.parametrize("url, leaves", [
    ("/static/kiosk.js", False), ("budget.css", False), ("#main", False), ("data:image/png;base64,AA", False),
    ("http://127.0.0.1:5000/kiosk/", False), ("http://localhost/x", False), ("http://[::1]:8/", False),
    ("https://fonts.googleapis.com/css?family=Inter", True), ("//cdn.example.org/x.js", True),
    ("http://192.168.1.20:5000/kiosk/", True), ("ws://example.org/live", True),
])
def test_the_url_rule_itself(url: str, leaves: bool) -> None:
    assert off_machine(url) is leaves


def test_the_scanners_find_what_they_look_for() -> None:
    links = Links()
    links.feed('<link rel="stylesheet" href="https://cdn.example/x.css"><img srcset="a.png 1x, '
               '//img.example/b.png 2x"><div data-reset-url="https://evil.example/r" '
               'style="background:url(https://x.example/y.png)"></div>'
               '<script>fetch("https://api.example/t")</script>')
    found = links.urls + [u for c in links.inline_css for u in css_urls(c)]
    found += [u for j in links.inline_js for u in js_urls(j)]
    assert [u for u in found if off_machine(u)] == [
        "https://cdn.example/x.css", "//img.example/b.png", "https://evil.example/r",
        "https://x.example/y.png", "https://api.example/t"]
    assert css_urls("@import 'https://f.example/a.css'; a{b:url(\"/static/c.png\")}") == [
        "https://f.example/a.css", "/static/c.png"]
