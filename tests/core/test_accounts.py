"""Staff accounts without a browser: links are single-use and expire; only admins manage accounts;
TOTP is required for the configured roles; every change is in the audit log."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
from freezegun import freeze_time

from kiosk.core import accounts, audit, auth
from tests.conftest import PASSWORD, csrf_token


def test_only_admins_manage_accounts(signed_in) -> None:  # type: ignore[no-untyped-def]
    staff, officer = signed_in("staff"), signed_in("officer")
    assert staff.get("/staff/users/").status_code == 403
    assert officer.post("/staff/users/", data={"csrf_token": csrf_token(officer, "/staff/"),
                                               "email": "x@example.org"}).status_code == 403


def test_an_invitation_expires_and_cannot_sign_in_before_it_is_used(app, signed_in) -> None:  # type: ignore[no-untyped-def]
    admin = signed_in("admin")
    page = admin.post("/staff/users/", data={"csrf_token": csrf_token(admin, "/staff/users/"),
                                             "email": "late@example.org", "name": "Late", "role": "staff"})
    link = re.search(r"<code>(http[^<]+/staff/accept/[^<]+)</code>", page.get_data(as_text=True)).group(1)
    path = link.split("127.0.0.1", 1)[-1].split("localhost", 1)[-1]
    with app.app_context():
        assert auth.authenticate("late@example.org", "") is None
        [entry] = audit.entries("user.invite")
        assert entry.target == "late@example.org"
    with freeze_time(dt.datetime.now(dt.UTC) + accounts.LIFETIME[accounts.INVITE] + dt.timedelta(minutes=1)):
        r = app.test_client().get(path)
        assert r.status_code == 410 and "expired" in r.get_data(as_text=True)
    r = app.test_client().get(path)
    assert r.status_code == 200


def test_totp_is_required_for_the_configured_roles(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("hub", TOTP_REQUIRED_ROLES=["admin"])
    with app.app_context():
        auth.create_user("boss@example.org", "Boss", PASSWORD, "admin")
    client = app.test_client()
    r = client.post("/staff/login", data={"csrf_token": csrf_token(client, "/staff/login"),
                                          "email": "boss@example.org", "password": PASSWORD})
    assert r.status_code == 303 and r.headers["Location"].endswith("/staff/2fa")
    assert client.get("/staff/").status_code == 302  # not signed in until the code is set up
    page = client.get("/staff/2fa").get_data(as_text=True)
    secret = re.search(r"data-totp-secret>([A-Z2-7]+)<", page).group(1)
    r = client.post("/staff/2fa", data={"csrf_token": csrf_token(client, "/staff/2fa"),
                                        "code": pyotp.TOTP(secret).now()})
    assert r.status_code == 303 and client.get("/staff/").status_code == 200
    # the role cannot turn it off
    r = client.post("/staff/2fa", data={"csrf_token": csrf_token(client, "/staff/2fa"), "action": "off"})
    assert r.status_code == 422


def test_changing_your_own_password_needs_the_current_one(app, signed_in) -> None:  # type: ignore[no-untyped-def]
    me = signed_in("staff")
    bad = me.post("/staff/password", data={"csrf_token": csrf_token(me, "/staff/password"),
                                           "current": "wrong one here", "password": "a new password",
                                           "confirm": "a new password"})
    assert bad.status_code == 422
    good = me.post("/staff/password", data={"csrf_token": csrf_token(me, "/staff/password"),
                                            "current": PASSWORD, "password": "a new password",
                                            "confirm": "a new password"})
    assert good.status_code == 303 and me.get("/staff/").status_code == 200  # this session stays
