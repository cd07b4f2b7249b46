"""Rate limits: the hub's public forms slow a flood from one address; kiosks are never limited."""

from __future__ import annotations

from tests.conftest import csrf_token, load_demo
from tests.tablet.test_kiosk_privacy import STEPS, begin


def test_staff_sign_in_is_limited_per_address_with_a_clear_page(make_app) -> None:
    app = make_app("hub", RATELIMIT_ENABLED=True, LIMIT_SIGN_IN="3 per minute")
    client = app.test_client()
    token = csrf_token(client, "/staff/login")
    data = {"csrf_token": token, "email": "nobody@example.org", "password": "wrong password"}
    assert [client.post("/staff/login", data=data).status_code for _ in range(3)] == [401] * 3
    r = client.post("/staff/login", data=data)
    assert r.status_code == 429
    assert "Too many tries" in r.get_data(as_text=True) and "Retry-After" in r.headers
    assert client.get("/staff/login").status_code == 200  # reading the form is not limited
    other = app.test_client()  # another address is not held up
    other.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert other.post("/staff/login", data={**data, "csrf_token": csrf_token(other, "/staff/login")}
                      ).status_code == 401


def test_the_limit_page_is_in_welsh_for_a_welsh_reader(make_app) -> None:
    app = make_app("hub", RATELIMIT_ENABLED=True, LIMIT_SIGN_IN="1 per minute")
    client = app.test_client()
    token = csrf_token(client, "/staff/login?lang=cy")
    data = {"csrf_token": token, "email": "a@example.org", "password": "x"}
    client.post("/staff/login?lang=cy", data=data)
    r = client.post("/staff/login?lang=cy", data=data)
    assert r.status_code == 429 and "Too many tries" not in r.get_data(as_text=True)


def test_enrollment_is_limited_with_a_json_error(make_app) -> None:
    app = make_app("hub", RATELIMIT_ENABLED=True, LIMIT_SIGN_IN="2 per minute")
    client = app.test_client()
    for _ in range(2):
        assert client.post("/api/v1/enroll", json={"code": "AAAA-BBBB-CCCC"}).status_code == 403
    r = client.post("/api/v1/enroll", json={"code": "AAAA-BBBB-CCCC"})
    assert r.status_code == 429 and r.get_json()["error"]["code"] == "too_many_requests"


def test_kiosk_residents_are_never_limited(make_app) -> None:
    app = make_app("kiosk", RATELIMIT_ENABLED=True, LIMIT_SUBMIT="1 per minute")
    with app.app_context():
        load_demo()
    for _ in range(3):  # three residents in a row at one tablet
        client = app.test_client()
        token, step = begin(client)
        for i, data in enumerate(STEPS):
            action = "submit" if i == len(STEPS) - 1 else "next"
            r = client.post(step, data={"csrf_token": token, "action": action, **data})
            assert r.status_code == 303, r.status_code
            step = r.location
        assert step.endswith("/kiosk/thanks")


def test_behind_a_proxy_each_forwarded_client_has_its_own_limit(make_app) -> None:
    app = make_app("hub", RATELIMIT_ENABLED=True, LIMIT_SIGN_IN="1 per minute", PROXY_HOPS=1)
    codes = []
    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.1"):
        client = app.test_client()
        headers = {"X-Forwarded-For": address}
        token = csrf_token(client, "/staff/login")
        codes.append(client.post("/staff/login", headers=headers, data={
            "csrf_token": token, "email": "a@example.org", "password": "x"}).status_code)
    assert codes == [401, 401, 429]
