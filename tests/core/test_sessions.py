"""Sessions that end: sign-out kills a copied cookie, password changes and disabling end every
session, cookies are Secure and HttpOnly over HTTPS, and a sign-in does not outlive its lifetime;
sign-in timing does not tell whether an email has an account."""

from __future__ import annotations

import statistics
import time

import pytest
from itsdangerous.timed import TimestampSigner

from kiosk.core import auth
from tests.conftest import CSRF, PASSWORD, csrf_token, sign_in

EMAIL = "officer@example.org"


@pytest.fixture
def user_id(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return auth.create_user(EMAIL, "Officer", PASSWORD, "staff").id


def copy_of(app, client):  # type: ignore[no-untyped-def]
    """A second browser holding a copy of the first one's session cookie."""
    thief = app.test_client()
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief.set_cookie("session", cookie.value)
    return thief


def test_a_cookie_copied_before_sign_out_no_longer_signs_anyone_in(app, user_id) -> None:
    browser = sign_in(app.test_client(), EMAIL)
    thief = copy_of(app, browser)
    assert thief.get("/staff/").status_code == 200  # the copy works while the session lives
    token = csrf_token(browser, "/staff/")
    assert browser.post("/staff/logout", data={"csrf_token": token}).status_code == 303
    assert browser.get("/staff/").status_code == 302
    r = thief.get("/staff/")
    assert r.status_code == 302 and "/staff/login" in r.location
    assert sign_in(app.test_client(), EMAIL).get("/staff/").status_code == 200  # signing in again works


@pytest.mark.parametrize("end", ["password", "disable"])
def test_a_password_change_or_disabling_ends_every_session(app, user_id, end: str) -> None:
    one, two = sign_in(app.test_client(), EMAIL), sign_in(app.test_client(), EMAIL)
    assert one.get("/staff/").status_code == two.get("/staff/").status_code == 200
    with app.app_context():
        if end == "password":
            auth.change_password(user_id, "a brand new passphrase")
        else:
            auth.set_active(user_id, False)
    assert one.get("/staff/").status_code == two.get("/staff/").status_code == 302
    with app.app_context():
        assert auth.authenticate(EMAIL, PASSWORD) is None
        if end == "password":
            assert auth.authenticate(EMAIL, "a brand new passphrase") is not None


def test_a_short_new_password_is_refused(app, user_id) -> None:
    with app.app_context(), pytest.raises(ValueError, match="10 characters"):
        auth.change_password(user_id, "short")


def test_a_sign_in_expires_after_its_lifetime(app, user_id, monkeypatch) -> None:
    browser = sign_in(app.test_client(), EMAIL)
    assert browser.get("/staff/").status_code == 200
    later = int(time.time()) + app.config["PERMANENT_SESSION_LIFETIME"] + 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    assert browser.get("/staff/").status_code == 302


def test_the_default_lifetime_is_a_working_day_not_a_month(app) -> None:
    assert 3600 <= app.permanent_session_lifetime.total_seconds() <= 24 * 3600


def test_cookies_are_secure_and_http_only_when_the_site_is_https(make_app) -> None:
    app = make_app("hub", PUBLIC_URL="https://consult.example.org")
    with app.app_context():
        auth.create_user(EMAIL, "Officer", PASSWORD, "staff")
    site = "https://consult.example.org"
    client = app.test_client()
    page = client.get("/staff/login", base_url=site)
    assert "Secure" in page.headers["Set-Cookie"]  # even the anonymous session cookie
    token = CSRF.search(page.get_data(as_text=True)).group(1)
    r = client.post("/staff/login", data={"csrf_token": token, "email": EMAIL, "password": PASSWORD},
                    base_url=site, headers={"Referer": f"{site}/staff/login"})
    assert r.status_code == 303
    cookie = r.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie, cookie


def test_cookies_are_http_only_but_not_secure_on_plain_http(app, user_id) -> None:
    client = app.test_client()
    token = csrf_token(client, "/staff/login")
    r = client.post("/staff/login", data={"csrf_token": token, "email": EMAIL, "password": PASSWORD})
    assert "HttpOnly" in r.headers["Set-Cookie"] and "Secure" not in r.headers["Set-Cookie"]


def _timed(app, email: str) -> float:  # type: ignore[no-untyped-def]
    with app.app_context():
        start = time.perf_counter()
        assert auth.authenticate(email, "not the password at all") is None
        return time.perf_counter() - start


def test_an_unknown_email_takes_as_long_as_a_wrong_password(app, user_id) -> None:
    """Interleaved trials, compared by median (robust to a loaded machine's outliers): without the
    dummy hash an unknown email answers hundreds of times faster than a wrong password."""
    known, unknown = [], []
    _timed(app, EMAIL), _timed(app, "nobody@example.org")  # warm both paths up
    for _ in range(25):
        known.append(_timed(app, EMAIL))
        unknown.append(_timed(app, "nobody@example.org"))
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.5 < ratio < 2.0, (ratio, statistics.median(known), statistics.median(unknown))
    # and the ranks mix: unknown emails are neither almost always faster nor almost always slower
    faster = sum(u < k for u, k in zip(unknown, known, strict=True)) / len(known)
    assert 0.1 < faster < 0.9, faster


def test_a_disabled_account_signs_in_as_slowly_as_an_unknown_one(app, user_id) -> None:
    with app.app_context():
        auth.set_active(user_id, False)
        assert auth.authenticate(EMAIL, PASSWORD) is None
