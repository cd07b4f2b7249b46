"""Every staff/admin route refuses anonymous users; forms without a CSRF token are refused."""

from __future__ import annotations

import re

import pytest

from tests.conftest import csrf_token

PROTECTED = ("/staff", "/admin")
# An invitation or reset link is for someone not yet signed in: the token is the credential, and an
# unknown one is a 410 (tests/core/test_accounts.py, tests/core/test_accounts_browser.py).
OPEN = {"/staff/login", "/staff/logout", "/staff/accept/<token>"}


def protected_rules(app) -> list:  # type: ignore[no-untyped-def]
    return [r for r in app.url_map.iter_rules()
            if r.rule.startswith(PROTECTED) and r.rule not in OPEN]


def concrete(rule) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: "1" if "int" in m.group(0) else "x", rule.rule)


def test_there_are_protected_routes_to_check(app) -> None:
    assert len(protected_rules(app)) >= 3


@pytest.mark.parametrize("role", ["hub", "kiosk"])
def test_anonymous_requests_to_staff_routes_are_refused(make_app, role: str) -> None:
    app = make_app(role, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    for rule in protected_rules(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            r = client.open(concrete(rule), method=method)
            assert r.status_code in (302, 401, 403), (rule.rule, method, r.status_code)
            if r.status_code == 302:
                assert "/staff/login" in r.location


def test_post_without_csrf_token_is_refused(app, client) -> None:
    r = client.post("/c/policing-priorities", data={"safe_day": "3"})
    assert r.status_code == 400
    r = client.post("/staff/login", data={"email": "a@b.c", "password": "x"})
    assert r.status_code == 400


def test_staff_sign_in_with_wrong_password_is_refused(app, client) -> None:
    from kiosk.core import auth

    with app.app_context():
        auth.create_user("s@example.org", "S", "correct horse battery")
    token = csrf_token(client, "/staff/login")
    r = client.post("/staff/login", data={"csrf_token": token, "email": "s@example.org",
                                          "password": "wrong password!"})
    assert r.status_code == 401
    assert client.get("/staff/").status_code == 302


def test_kiosk_pin_opens_staff_pages(kiosk_app) -> None:
    client = kiosk_app.test_client()
    token = csrf_token(client, "/staff/login")
    assert client.post("/staff/login", data={"csrf_token": token, "pin": "0000"}).status_code == 401
    assert client.post("/staff/login", data={"csrf_token": token, "pin": "4321"}).status_code == 303
    assert client.get("/staff/").status_code == 200


def test_staff_see_tallies_and_a_formula_safe_csv(app, client, staff_client) -> None:
    from tests.responses.test_answers import VALID, post_phone

    post_phone(client, {**VALID, "comments": "=HYPERLINK(\"http://evil\")"})
    page = staff_client.get("/staff/c/policing-priorities").get_data(as_text=True)
    assert "1 responses in all" in page
    csv_text = staff_client.get("/staff/c/policing-priorities/responses.csv").get_data(as_text=True)
    header, row = csv_text.splitlines()[:2]
    assert header.startswith("uuid,consultation,version,channel")
    assert "'=HYPERLINK" in row and ",=HYPERLINK" not in row


def test_pages_forbid_caching(client) -> None:
    assert client.get("/c/policing-priorities").headers["Cache-Control"] == "no-store"
