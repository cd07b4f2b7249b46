"""Small leaks and 500s: private instance files, drafts in feeds, HTML in RSS, redirect targets,
out-of-range dates and versions, concurrent wrong PINs, where the kiosk pages are served, draft
caps, and the warning about per-process rate limits."""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
import stat
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
import pytest

from kiosk import create_app
from kiosk.core.db import db
from kiosk.core.limits import per_process_warning, worker_processes
from kiosk.events import store as events
from kiosk.responses import drafts
from kiosk.responses.models import Draft
from tests.conftest import csrf_token, load_demo, sign_in


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():  # type: ignore[no-untyped-def]
    """A umask that would make ordinary files world-readable (0644)."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_instance_files_are_private_on_a_hub(tmp_path: Path, open_umask) -> None:
    from sync import keys
    from tests.test_answers import VALID, post_phone

    instance = tmp_path / "hub"
    app = create_app({"TESTING": True, "ROLE": "hub", "SECRET_KEY": "", "RATELIMIT_ENABLED": False,
                      "WTF_CSRF_ENABLED": False}, instance_path=str(instance))
    with app.app_context():
        load_demo()
        keys.hub_private_key(app)
    post_phone(app.test_client(), VALID)  # a write, so the WAL and its index exist
    names = ["voxbox.db", "voxbox.db-wal", "voxbox.db-shm", "secret_key", "demo_password",
             keys.KEY_FILE]
    for name in names:
        assert (instance / name).exists(), name
        assert mode(instance / name) == 0o600, (name, oct(mode(instance / name)))


def test_instance_files_are_private_on_a_kiosk(tmp_path: Path, open_umask) -> None:
    instance = tmp_path / "kiosk"
    app = create_app({"TESTING": True, "ROLE": "kiosk", "SECRET_KEY": "", "STAFF_PIN": "",
                      "RATELIMIT_ENABLED": False}, instance_path=str(instance))
    from kiosk.core import auth
    from kiosk.tablet import state as kiosk_state

    with app.app_context():
        load_demo()
        auth.staff_pin(app)
        kiosk_state.device_id()
    for name in ("voxbox.db", "voxbox.db-wal", "secret_key", "staff_pin", "device_id",
                 "demo_password"):
        assert mode(instance / name) == 0o600, (name, oct(mode(instance / name)))


def test_files_left_readable_by_an_older_version_are_tightened(tmp_path: Path, open_umask) -> None:
    instance = tmp_path / "old"
    instance.mkdir()
    for name in ("secret_key", "voxbox.db"):
        (instance / name).write_bytes(b"0123456789abcdef" if name == "secret_key" else b"")
        (instance / name).chmod(0o644)
    create_app({"TESTING": True, "ROLE": "hub", "RATELIMIT_ENABLED": False},
               instance_path=str(instance))
    assert mode(instance / "secret_key") == mode(instance / "voxbox.db") == 0o600


def test_the_calendar_never_names_a_draft_consultation(app, client, import_yaml) -> None:
    from tests.hub.test_feeds import DRAFT

    import_yaml(DRAFT)
    with app.app_context():
        event_id = events.create({"name": "Stall", "place": "Market square",
                                  "starts_at": events.to_utc(dt.datetime(2027, 6, 1, 10)),
                                  "consultations": ["secret-plan", "policing-priorities"]}).id
    for path in ("/feeds/events.ics", f"/events/{event_id}.ics"):
        body = client.get(path).data
        [stall] = [e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")
                   if str(e["SUMMARY"]) == "Stall"]
        assert "policing-priorities" in str(stall["DESCRIPTION"]), path
        unfolded = body.replace(b"\r\n ", b"")
        assert b"secret-plan" not in unfolded and b"Bin collections" not in unfolded, path


def test_rss_descriptions_are_plain_text(client, import_yaml) -> None:
    from tests.hub.test_feeds import CLOSING

    summary = "Bins <b>weekly</b> & <img src=x onerror=alert(1)>"
    import_yaml(CLOSING.replace("{en: Tell us about bin days., cy: Dywedwch wrthym am ddiwrnodau biniau.}",
                                '"' + summary + '"'))
    root = ET.fromstring(client.get("/feeds/consultations.rss").data)
    descriptions = [d.text for d in root.iter("description") if d.text and "Bins" in d.text]
    assert descriptions, "the consultation's summary is in the feed"
    for text in descriptions:
        assert "<" not in text and html.unescape(text) == summary  # a reader shows it, not runs it
    atom = ET.fromstring(client.get("/feeds/consultations.atom").data)
    ns = "{http://www.w3.org/2005/Atom}"
    assert summary in [s.text for s in atom.iter(f"{ns}summary")]


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/evil.example", "/\r\nX-Evil: 1",
                                    "//evil.example", "/\\evil.example", "https://evil.example",
                                    "\t//evil.example", "/\x00", "/\x7f/x"])
def test_lang_next_accepts_only_same_site_paths(client, target: str) -> None:
    token = csrf_token(client, "/")
    r = client.post("/lang", data={"csrf_token": token, "lang": "cy", "next": target})
    assert r.status_code == 303
    assert r.headers["Location"] == "/", repr(r.headers["Location"])


def test_lang_next_keeps_a_same_site_path(client) -> None:
    token = csrf_token(client, "/")
    r = client.post("/lang", data={"csrf_token": token, "lang": "cy", "next": "/events?x=1"})
    assert r.headers["Location"] == "/events?x=1"


@pytest.mark.parametrize("query", ["to=9999-12-31", "from=9999-12-31", "from=0001-01-01&to=9999-12-31"])
def test_far_dates_in_report_filters_are_a_message_not_a_500(app, signed_in, query: str) -> None:
    staff = signed_in("staff")
    for suffix in ("", ".json", ".csv"):
        r = staff.get(f"/staff/c/policing-priorities/report{suffix}?{query}")
        r.get_data()  # read a streamed CSV to its end
        assert r.status_code in (200, 400), (suffix, r.status_code)
    assert "between" in staff.get(f"/staff/c/policing-priorities/report?{query}").get_data(as_text=True)


def test_a_version_of_two_to_the_64_is_rejected_not_a_500(app, make_app) -> None:
    from kiosk.responses.store import content_hash
    from tests.sync.conftest import add_device, items_of, queue

    _device, token = add_device(app)
    kiosk = make_app("kiosk")
    queue(kiosk, 1)
    item = items_of(kiosk)[0]
    item["record"]["version"] = 2**64
    item["hash"] = content_hash(item["record"])
    r = app.test_client().post("/api/v1/responses", json={"batch_id": "b1", "items": [item]},
                               headers={"Authorization": f"Bearer {token}"})
    assert r.status_code < 500, r.get_data(as_text=True)
    assert "version" in r.get_data(as_text=True)


def test_concurrent_wrong_pins_never_fail_the_server(kiosk_app) -> None:
    """Eight browsers send a wrong PIN at the same moment (threads inside the app process, each
    with its own client and database session, as a threaded server runs them)."""
    statuses: list[int] = []
    clients = []
    for _ in range(8):
        c = kiosk_app.test_client()
        clients.append((c, csrf_token(c, "/kiosk/staff/pin")))
    barrier = threading.Barrier(len(clients))

    def wrong(c, token: str) -> None:  # type: ignore[no-untyped-def]
        barrier.wait(timeout=30)
        statuses.append(c.post("/kiosk/staff/pin", data={"csrf_token": token, "pin": "0000"}).status_code)

    threads = [threading.Thread(target=wrong, args=pair) for pair in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
        assert not t.is_alive(), "a PIN request hung"
    assert len(statuses) == 8 and all(code < 500 for code in statuses), statuses


def test_the_hub_serves_the_kiosk_pages_only_to_signed_in_staff(app, client) -> None:
    for path in ("/kiosk/", "/kiosk/staff/pin", "/kiosk/thanks", "/kiosk/draw/x"):
        r = client.get(path)
        assert r.status_code == 302 and "/staff/login" in r.location, (path, r.status_code)
    r = client.post("/kiosk/c/policing-priorities", data={"csrf_token": csrf_token(client, "/")})
    assert r.status_code == 302 and "/staff/login" in r.location
    from kiosk.core import auth
    from tests.conftest import PASSWORD

    with app.app_context():
        auth.create_user("assist@example.org", "Assist", PASSWORD, "staff")
    staff = sign_in(app.test_client(), "assist@example.org")
    assert staff.get("/kiosk/").status_code == 200
    # signing in from the redirect goes back to the kiosk pages, but never to another site
    for target, expected in (("/kiosk/", "/kiosk/"), ("//evil.example", "/staff/")):
        browser = app.test_client()
        login = client.get("/kiosk/").location if target == "/kiosk/" else f"/staff/login?next={target}"
        token = csrf_token(browser, login)
        r = browser.post(login, data={"csrf_token": token, "email": "assist@example.org",
                                      "password": PASSWORD})
        assert r.status_code == 303 and r.location == expected, (target, r.location)


@pytest.mark.parametrize(("role", "demo"), [("kiosk", False), ("hub", True)])
def test_a_kiosk_and_the_demo_serve_the_kiosk_pages_to_anyone(make_app, role: str, demo: bool) -> None:
    app = make_app(role, DEMO=demo)
    with app.app_context():
        load_demo()
    assert app.test_client().get("/kiosk/").status_code == 200


def test_live_drafts_are_capped(kiosk_app) -> None:
    with kiosk_app.app_context():
        for _ in range(drafts.MAX_LIVE + 15):
            newest = drafts.start("policing-priorities", 1, "en")
        assert db.session.query(Draft).count() == drafts.MAX_LIVE
        assert drafts.get(newest.token, 3600) is not None  # the newest survive


def test_the_drafts_cap_never_pushes_out_a_phones_saved_answers(app) -> None:
    with app.app_context():
        link = drafts.save_for_later("policing-priorities", 1, "en", {"q": "kept"}, None, None,
                                     3600)
        for _ in range(drafts.MAX_LIVE + 5):
            drafts.start("policing-priorities", 1, "en")
        assert db.session.query(Draft).count() == drafts.MAX_LIVE + 1
        saved = drafts.resume(link, "policing-priorities", 3600)
        assert saved is not None and saved.answers == {"q": "kept"}


def test_replaying_a_cookie_cannot_pile_up_drafts(kiosk_app) -> None:
    client = kiosk_app.test_client()
    token = csrf_token(client, "/kiosk/")
    saved = client.get_cookie("session").value
    for _ in range(drafts.MAX_LIVE + 10):
        client.set_cookie("session", saved)  # the cookie from before any draft, again and again
        assert client.post("/kiosk/c/policing-priorities", data={"csrf_token": token}).status_code == 303
    with kiosk_app.app_context():
        assert db.session.query(Draft).count() <= drafts.MAX_LIVE


@pytest.mark.parametrize(("argv", "env", "expected"), [
    (["gunicorn", "-w", "4", "kiosk:create_app()"], {}, 4),
    (["/venv/bin/gunicorn", "--workers=3", "x"], {}, 3),
    (["gunicorn", "-w2", "x"], {}, 2),
    (["voxbox", "serve"], {"WEB_CONCURRENCY": "5"}, 5),
    (["voxbox", "serve", "-w", "4"], {}, 1),
    (["gunicorn", "x"], {}, 1),
])
def test_worker_processes_are_counted_from_the_start_up(argv, env, expected: int) -> None:
    assert worker_processes(argv, env) == expected


@pytest.mark.parametrize(("workers", "role", "warned"), [
    ("4", "hub", True), ("1", "hub", False), ("4", "kiosk", False)])
def test_a_start_up_warning_when_limits_are_per_process(make_app, monkeypatch, caplog, workers: str,
                                                        role: str, warned: bool) -> None:
    monkeypatch.setenv("WEB_CONCURRENCY", workers)
    with caplog.at_level(logging.WARNING):
        make_app(role, RATELIMIT_ENABLED=True)
    found = [r.getMessage() for r in caplog.records if "memory://" in r.getMessage()]
    assert bool(found) == warned, found
    if warned:
        assert "RATELIMIT_STORAGE_URI" in found[0] and "4 worker processes" in found[0]


def test_a_shared_store_or_disabled_limits_need_no_warning() -> None:
    assert per_process_warning("hub", "memory://", 4) is not None
    assert per_process_warning("hub", "redis://127.0.0.1:6379", 4) is None
    assert per_process_warning("hub", "memory://", 4, enabled=False) is None
