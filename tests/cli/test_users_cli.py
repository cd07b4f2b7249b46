"""Headless account management: `voxbox users list/disable/enable/role/password`; disabling or a
role change ends the user's live sessions at once."""

from __future__ import annotations

from kiosk.core import auth
from tests.conftest import PASSWORD, sign_in


def cli(app, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["users", *args])


def test_disable_ends_a_live_session_and_enable_lets_them_back(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        auth.create_user("leaver@example.org", "Leaver", PASSWORD, "staff")
    browser = sign_in(app.test_client(), "leaver@example.org")
    assert browser.get("/staff/").status_code == 200

    result = cli(app, "disable", "Leaver@Example.org")

    assert result.exit_code == 0 and "disabled" in result.output
    assert browser.get("/staff/").status_code == 302  # the copied-in session is over
    assert "leaver@example.org\tstaff\tdisabled" in cli(app, "list").output
    fresh = app.test_client()
    from tests.conftest import csrf_token

    r = fresh.post("/staff/login", data={"csrf_token": csrf_token(fresh, "/staff/login"),
                                         "email": "leaver@example.org", "password": PASSWORD})
    assert r.status_code != 303  # cannot sign in while disabled
    assert cli(app, "enable", "leaver@example.org").exit_code == 0
    assert sign_in(app.test_client(), "leaver@example.org").get("/staff/").status_code == 200


def test_a_role_change_applies_at_once_and_ends_sessions(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        auth.create_user("helper@example.org", "Helper", PASSWORD, "admin")
    browser = sign_in(app.test_client(), "helper@example.org")
    assert browser.get("/staff/devices/").status_code == 200
    assert cli(app, "role", "helper@example.org", "staff").exit_code == 0
    assert browser.get("/staff/devices/").status_code == 302
    again = sign_in(app.test_client(), "helper@example.org")
    assert again.get("/staff/devices/").status_code == 403
    assert "helper@example.org\tstaff\tactive" in cli(app, "list").output


def test_password_change_and_unknown_accounts(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        auth.create_user("someone@example.org", "Someone", PASSWORD, "staff")
    browser = sign_in(app.test_client(), "someone@example.org")
    done = cli(app, "password", "someone@example.org", "--password", "a much longer secret")
    assert done.exit_code == 0 and browser.get("/staff/").status_code == 302
    missing = cli(app, "disable", "nobody@example.org")
    assert missing.exit_code != 0 and "no user with email nobody@example.org" in missing.output
    short = cli(app, "password", "someone@example.org", "--password", "short")
    assert short.exit_code != 0 and "at least 10 characters" in short.output
    bad = cli(app, "role", "someone@example.org", "king")
    assert bad.exit_code != 0
