"""Security headers on every page of both roles, and no inline script anywhere a CSP would block."""

from __future__ import annotations

import re

import pytest

from tests.conftest import load_demo
from tests.web.test_security import concrete

REQUIRED = {
    "Content-Security-Policy": ("script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"),
    "X-Frame-Options": ("DENY",),
    "Referrer-Policy": ("same-origin",),
    "X-Content-Type-Options": ("nosniff",),
}
#: An inline script that runs (a JSON data block does not), or an inline event handler.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def get_routes(app) -> list[str]:  # type: ignore[no-untyped-def]
    paths = {concrete(rule) for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    return sorted(paths | {"/no-such-page"})


def check_every_page(app, client) -> int:  # type: ignore[no-untyped-def]
    pages = 0
    for path in get_routes(app):
        r = client.get(path)
        for name, parts in REQUIRED.items():
            value = r.headers.get(name, "")
            assert all(part in value for part in parts), (path, r.status_code, name, value)
        if r.mimetype == "text/html":
            html = r.get_data(as_text=True)
            assert not INLINE_SCRIPT.search(html), (path, INLINE_SCRIPT.search(html).group(0))
            assert not INLINE_HANDLER.search(html), (path, INLINE_HANDLER.search(html).group(0))
            assert not JS_URL.search(html), path
            pages += 1
    return pages


def test_every_hub_get_route_sends_the_security_headers(app, signed_in) -> None:
    admin = signed_in("admin")
    assert len(get_routes(app)) > 30
    assert check_every_page(app, admin) > 20
    assert check_every_page(app, app.test_client()) > 5  # anonymous: login redirects, 404s


def test_every_kiosk_get_route_sends_the_security_headers(kiosk_app) -> None:
    client = kiosk_app.test_client()
    assert check_every_page(kiosk_app, client) > 3


def test_the_budget_and_survey_steps_have_no_inline_script(kiosk_app) -> None:
    from tests.tablet.test_kiosk_privacy import begin

    client = kiosk_app.test_client()
    for slug in ("police-budget-2027", "policing-priorities"):
        token = begin(client)[0]
        step = client.post(f"/kiosk/c/{slug}", data={"csrf_token": token}).location
        html = client.get(step).get_data(as_text=True)
        assert "<script" in html or slug == "policing-priorities"
        assert not INLINE_SCRIPT.search(html) and not INLINE_HANDLER.search(html), slug


@pytest.mark.parametrize(("public_url", "hsts"), [("https://consult.example.org", True),
                                                  ("http://127.0.0.1:5000", False)])
def test_hsts_only_when_the_site_is_https(make_app, public_url: str, hsts: bool) -> None:
    app = make_app("hub", PUBLIC_URL=public_url)
    with app.app_context():
        load_demo()
    for path in ("/", "/staff/login", "/api/v1/pull", "/no-such-page"):
        value = app.test_client().get(path).headers.get("Strict-Transport-Security")
        assert (value is not None and "max-age=31536000" in value) == hsts, (path, value)
