"""Enrollment codes, device tokens and revocation; the devices admin pages and CLI."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import select

from kiosk.core import auth
from kiosk.core.db import db
from kiosk.devices import store as devices
from kiosk.devices.models import Device
from tests.conftest import csrf_token
from tests.sync.conftest import deadline


def _enroll(client, code: str):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/enroll", json={"code": code})


def test_a_code_enrolls_once_then_is_spent(app, client) -> None:
    with app.app_context():
        _device, code = devices.create("tablet", 3600)
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", code)
    first = _enroll(client, code.lower().replace("-", " "))  # typed loosely
    assert first.status_code == 201
    assert first.json["device"]["name"] == "tablet"
    again = _enroll(client, code)
    assert again.status_code == 403
    assert again.json["error"]["code"] == "invalid_enrollment_code"


def test_an_expired_code_is_refused(app, client) -> None:
    with app.app_context():
        _device, code = devices.create("late", -1)
        assert devices.get("late").state == "expired"
    assert _enroll(client, code).status_code == 403


def test_two_kiosks_racing_with_one_code_get_one_token(app) -> None:
    with app.app_context():
        _device, code = devices.create("raced", 3600)
    results: list[int] = []

    def go() -> None:
        results.append(_enroll(app.test_client(), code).status_code)

    threads = [threading.Thread(target=go) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(deadline(60))
        assert not t.is_alive(), f"an enrollment got no answer within {deadline(60)} s"
    assert sorted(results) == [201] + [403] * 5


def test_device_tokens_only_open_the_sync_api(app, client) -> None:
    with app.app_context():
        _d, code = devices.create("t", 3600)
    token = _enroll(client, code).json["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/pull", headers=bearer).status_code == 200
    staff = client.get("/staff/", headers=bearer)
    assert staff.status_code in (302, 303, 401) and "/staff/login" in staff.headers.get("Location", "/staff/login")
    assert client.get("/staff/devices/", headers=bearer).status_code in (302, 303, 401)


@pytest.mark.parametrize("header, code", [
    (None, "missing_token"), ("Bearer", "missing_token"), ("Basic abc", "missing_token"),
    ("Bearer not-a-real-token", "invalid_token"),
])
def test_calls_without_a_valid_token_are_refused_with_json(client, header, code) -> None:
    headers = {"Authorization": header} if header else {}
    for resp in (client.get("/api/v1/pull", headers=headers),
                 client.post("/api/v1/responses", json={"items": []}, headers=headers)):
        assert resp.status_code == 401
        assert resp.json["error"]["code"] == code
        assert resp.headers["WWW-Authenticate"].startswith("Bearer")


def test_api_errors_are_json_with_stable_codes(client) -> None:
    assert client.get("/api/v1/nope").json["error"]["code"] == "not_found"
    wrong = client.get("/api/v1/responses")
    assert (wrong.status_code, wrong.json["error"]["code"]) == (405, "method_not_allowed")
    bad = client.post("/api/v1/enroll", data=b"{", content_type="application/json")
    assert (bad.status_code, bad.json["error"]["code"]) == (400, "invalid_json")
    gz = client.post("/api/v1/enroll", data=b"\x1f\x8b\x08junk", headers={"Content-Encoding": "gzip"})
    assert (gz.status_code, gz.json["error"]["code"]) == (400, "invalid_gzip")
    br = client.post("/api/v1/enroll", data=b"{}", headers={"Content-Encoding": "br"})
    assert br.status_code == 415
    shape = client.post("/api/v1/enroll", json={"code": 5})
    assert shape.status_code == 400 and "$.code" in shape.json["error"]["message"]


def test_the_api_is_not_served_by_a_kiosk(kiosk_app) -> None:
    assert kiosk_app.test_client().get("/api/v1/openapi.json").status_code == 404


def _admin(app, client):  # type: ignore[no-untyped-def]
    with app.app_context():
        auth.create_user("admin@example.org", "Admin", "correct horse battery", "admin")
    token = csrf_token(client, "/staff/login")
    client.post("/staff/login", data={"csrf_token": token, "email": "admin@example.org",
                                      "password": "correct horse battery"})
    return client


def test_admins_create_list_and_revoke_devices_on_the_hub(app, client) -> None:
    admin = _admin(app, client)
    page = admin.post("/staff/devices/", data={"csrf_token": csrf_token(admin, "/staff/devices/"),
                                               "name": "Library tablet"})
    assert page.status_code == 200
    code = re.search(r"data-enrollment-code><strong>([A-Z0-9-]+)<", page.get_data(as_text=True)).group(1)
    listing = admin.get("/staff/devices/").get_data(as_text=True)
    assert "Library tablet" in listing and code not in listing  # shown once only
    enrolled = admin.post("/api/v1/enroll", json={"code": code})
    token = enrolled.json["token"]
    with app.app_context():
        device_id = devices.get("Library tablet").id
    r = admin.post(f"/staff/devices/{device_id}/revoke",
                   data={"csrf_token": csrf_token(admin, "/staff/devices/")})
    assert r.status_code == 303
    refused = admin.get("/api/v1/pull", headers={"Authorization": f"Bearer {token}"})
    assert (refused.status_code, refused.json["error"]["code"]) == (401, "revoked_token")
    assert "revoked" in admin.get("/staff/devices/").get_data(as_text=True)
    assert admin.get("/staff/devices/set-aside").status_code == 200


def test_staff_without_the_admin_role_cannot_manage_devices(app, staff_client) -> None:
    assert staff_client.get("/staff/devices/").status_code == 403
    assert staff_client.get("/staff/devices/set-aside").status_code == 403


def test_devices_cli_adds_lists_and_revokes(app, runner) -> None:
    added = runner.invoke(args=["devices", "add", "van-kiosk"])
    assert added.exit_code == 0, added.output
    code = re.search(r"enrollment code: (\S+)", added.output).group(1)
    assert runner.invoke(args=["devices", "add", "van-kiosk"]).exit_code == 1
    assert "waiting" in runner.invoke(args=["devices", "list"]).output
    assert app.test_client().post("/api/v1/enroll", json={"code": code}).status_code == 201
    assert "enrolled" in runner.invoke(args=["devices", "list"]).output
    assert runner.invoke(args=["devices", "revoke", "van-kiosk"]).exit_code == 0
    assert "revoked" in runner.invoke(args=["devices", "list"]).output
    assert runner.invoke(args=["devices", "revoke", "nobody"]).exit_code == 1
    with app.app_context():
        device = db.session.execute(select(Device)).scalar_one()
        assert device.code_hash is None and device.revoked_at is not None


def test_sync_commands_refuse_on_the_wrong_role_or_before_enrollment(app, kiosk_app) -> None:
    result = app.test_cli_runner().invoke(args=["sync", "push"])
    assert result.exit_code == 1 and "this is a hub" in result.output
    result = kiosk_app.test_cli_runner().invoke(args=["sync"])
    assert result.exit_code == 1 and "not enrolled" in result.output
    result = kiosk_app.test_cli_runner().invoke(args=["devices", "add", "x"])
    assert result.exit_code == 1 and "runs on the hub" in result.output
