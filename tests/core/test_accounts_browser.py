"""Staff accounts in a real Chromium: invite → accept → sign in; disabling ends a live session;
a reset link works once; two-factor (TOTP) sign-in."""

from __future__ import annotations

import pyotp
import pytest

from kiosk.core import auth
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

NEW = "new.officer@example.org"


def sign_in(pg, base: str, email: str, password: str) -> None:  # type: ignore[no-untyped-def]
    pg.goto(base + "/staff/login")
    pg.fill("#email", email)
    pg.fill("#password", password)
    pg.click("form.login button[type=submit]")


def set_password(pg, link: str, password: str) -> None:  # type: ignore[no-untyped-def]
    pg.goto(link)
    pg.fill("#password", password)
    pg.fill("#confirm", password)
    pg.click("button.primary")
    pg.wait_for_url("**/staff/login")


def test_invite_accept_disable_reset_and_two_factor(live_server, browser) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    with live_server.app.app_context():
        auth.create_user("admin@example.org", "Admin", PASSWORD, "admin")
    admin_ctx, new_ctx = browser.new_context(), browser.new_context()
    try:
        admin, newbie = admin_ctx.new_page(), new_ctx.new_page()
        for pg in (admin, newbie):
            pg.set_default_timeout(15_000)
        sign_in(admin, base, "admin@example.org", PASSWORD)
        admin.wait_for_url("**/staff/")
        # invite
        admin.goto(base + "/staff/users/")
        admin.fill("#f-email", NEW)
        admin.fill("#f-name", "New Officer")
        admin.select_option("#f-role", "staff")
        admin.click("form[action$='/staff/users/'] button.primary")
        link = admin.locator("[data-one-time-link] code").inner_text().strip()
        assert "/staff/accept/" in link
        # accept, then sign in
        set_password(newbie, link, "first password 123")
        sign_in(newbie, base, NEW, "first password 123")
        newbie.wait_for_url("**/staff/")
        assert newbie.locator("h1").inner_text() == "Consultations"
        # the link is spent
        newbie.goto(link)
        assert "already been used" in newbie.locator("[data-link-problem]").inner_text()
        # disable ends the live session at once
        newbie.goto(base + "/staff/")
        admin.goto(base + "/staff/users/")
        admin.locator(f"tr[data-user='{NEW}'] form[action$='/disable'] button").click()
        newbie.goto(base + "/staff/")
        assert "/staff/login" in newbie.url
        sign_in(newbie, base, NEW, "first password 123")
        assert "/staff/login" in newbie.url  # cannot sign in while disabled
        admin.goto(base + "/staff/users/")
        admin.locator(f"tr[data-user='{NEW}'] form[action$='/enable'] button").click()
        # a reset link works once
        admin.goto(base + "/staff/users/")
        admin.locator(f"tr[data-user='{NEW}'] form[action$='/reset'] button").click()
        reset = admin.locator("[data-one-time-link] code").inner_text().strip()
        set_password(newbie, reset, "second password 456")
        newbie.goto(reset)
        assert "already been used" in newbie.locator("[data-link-problem]").inner_text()
        sign_in(newbie, base, NEW, "first password 123")
        assert "/staff/login" in newbie.url  # the old password no longer works
        sign_in(newbie, base, NEW, "second password 456")
        newbie.wait_for_url("**/staff/")
        # two-factor sign-in: set up, then sign in with a code
        newbie.goto(base + "/staff/2fa")
        secret = newbie.locator("[data-totp-secret]").inner_text().strip()
        newbie.fill("#code", pyotp.TOTP(secret).now())
        newbie.click("button.primary")
        newbie.wait_for_url("**/staff/")
        new_ctx.clear_cookies()
        sign_in(newbie, base, NEW, "second password 456")
        newbie.wait_for_url("**/staff/login/code")
        newbie.fill("#code", "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
        newbie.click("button.primary")
        assert "not right" in newbie.locator(".error-summary").inner_text()
        newbie.fill("#code", pyotp.TOTP(secret).now())
        newbie.click("button.primary")
        newbie.wait_for_url("**/staff/")
        assert newbie.locator("h1").inner_text() == "Consultations"
    finally:
        admin_ctx.close()
        new_ctx.close()
