"""The deployment guard and `voxbox doctor`: a hub whose PUBLIC_URL is loopback, http or another
host refuses to print or publish its address, naming PUBLIC_URL; doctor names every problem."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.ops import deployment
from kiosk.outreach import tracking
from tests.conftest import csrf_token

GOOD = "https://consult.example.org"
BAD_URLS = ["http://127.0.0.1:5000", "https://localhost", "http://consult.example.org",
            "https://[::1]:8443", "http://0.0.0.0"]


@pytest.mark.parametrize("url", BAD_URLS)
def test_loopback_or_plain_http_is_a_problem_named_by_the_setting(url: str) -> None:
    problems = deployment.url_problems(url)
    assert problems and all("PUBLIC_URL" in p for p in problems)
    with pytest.raises(deployment.InsecureURL, match="PUBLIC_URL"):
        deployment.require_public_url({"PUBLIC_URL": url, "ALLOW_INSECURE_URL": False})
    assert deployment.require_public_url({"PUBLIC_URL": url, "ALLOW_INSECURE_URL": True}) == url


def test_a_host_other_than_the_one_served_is_a_problem() -> None:
    assert deployment.url_problems(GOOD, "consult.example.org:443") == []
    [problem] = deployment.url_problems(GOOD, "hub.internal:8000")
    assert "consult.example.org" in problem and "hub.internal" in problem


@pytest.fixture
def guarded(make_app):  # type: ignore[no-untyped-def]
    from tests.conftest import load_demo

    app = make_app("hub", ALLOW_INSECURE_URL=False, PUBLIC_URL="http://127.0.0.1:5000")
    with app.app_context():
        load_demo()
        code = tracking.create("policing-priorities", "bus_stop", "Bus stop 1").code
    return app, code


def _admin(app):  # type: ignore[no-untyped-def]
    from kiosk.core import auth
    from tests.conftest import PASSWORD, sign_in

    with app.app_context():
        auth.create_user("admin@example.org", "Admin", PASSWORD, "admin")
    return sign_in(app.test_client(), "admin@example.org")


def test_the_browser_refuses_posters_feeds_and_enrollment_codes_on_a_loopback_url(guarded) -> None:  # type: ignore[no-untyped-def]
    app, code = guarded
    admin = _admin(app)
    r = admin.get(f"/staff/posters/{code}/poster?format=a4&output=pdf")
    assert r.status_code == 409 and r.mimetype == "text/html"
    assert "PUBLIC_URL" in r.get_data(as_text=True)
    feed = app.test_client().get("/feeds/consultations.rss")
    assert feed.status_code == 503 and "PUBLIC_URL" in feed.get_data(as_text=True)
    page = admin.post("/staff/devices/", data={"csrf_token": csrf_token(admin, "/staff/devices/"),
                                               "name": "Library tablet"})
    assert page.status_code == 409 and "PUBLIC_URL" in page.get_data(as_text=True)
    assert "data-enrollment-code" not in page.get_data(as_text=True)
    dashboard = admin.get("/staff/").get_data(as_text=True)
    assert "data-url-problems" in dashboard and "PUBLIC_URL (http://127.0.0.1:5000)" in dashboard


def test_a_good_url_makes_posters_and_shows_no_banner(make_app) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import load_demo

    app = make_app("hub", ALLOW_INSECURE_URL=False, PUBLIC_URL=GOOD)
    with app.app_context():
        load_demo()
        code = tracking.create("policing-priorities", "bus_stop", "Bus stop 1").code
    base = {"base_url": "https://consult.example.org"}
    from kiosk.core import auth
    from tests.conftest import PASSWORD

    with app.app_context():
        auth.create_user("admin@example.org", "Admin", PASSWORD, "admin")
    admin = app.test_client()
    token = csrf_token(admin, "/staff/login", **base)
    assert admin.post("/staff/login", data={"csrf_token": token, "email": "admin@example.org",
                                            "password": PASSWORD}, **base,
                      headers={"Referer": f"{GOOD}/staff/login"}).status_code == 303
    r = admin.get(f"/staff/posters/{code}/poster?format=a4&output=pdf", **base)
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert app.test_client().get("/feeds/consultations.rss", **base).status_code == 200
    assert "data-url-problems" not in admin.get("/staff/", **base).get_data(as_text=True)



def voxbox(instance: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "VOXBOX_ALLOW_INSECURE_URL"}
    environ.update({"VOXBOX_INSTANCE": str(instance), **env})
    return subprocess.run([sys.executable, "-m", "kiosk.cli", *args], capture_output=True, text=True,
                          env=environ, timeout=300)


def test_the_cli_refuses_posters_and_codes_naming_public_url(tmp_path) -> None:  # type: ignore[no-untyped-def]
    instance = tmp_path / "hub"
    assert voxbox(instance, "demo").returncode == 0
    csv = tmp_path / "placements.csv"
    csv.write_text("label,kind\nBus stop 14,bus_stop\n")
    made = voxbox(instance, "posters", "make", "--consultation", "policing-priorities",
                  "--placements", str(csv), "--format", "a4", "--out", str(tmp_path / "out"))
    assert made.returncode != 0 and "PUBLIC_URL" in made.stderr
    assert not (tmp_path / "out").exists()
    added = voxbox(instance, "devices", "add", "Library tablet")
    assert added.returncode != 0 and "PUBLIC_URL" in added.stderr and "enrollment code" not in added.stdout
    lab = voxbox(instance, "devices", "add", "Library tablet", "--allow-insecure-url")
    assert lab.returncode == 0 and "enrollment code" in lab.stdout


def test_doctor_names_each_problem_and_exits_non_zero(tmp_path) -> None:  # type: ignore[no-untyped-def]
    instance = tmp_path / "hub"
    assert voxbox(instance, "db", "upgrade").returncode == 0
    (instance / "draw_dedupe.key").write_bytes(b"k" * 32)  # restored from a backup with a loose umask
    (instance / "draw_dedupe.key").chmod(0o644)
    done = voxbox(instance, "doctor", "--workers", "3", VOXBOX_BACKUP_DIR=str(tmp_path / "none"))
    assert done.returncode == 1, done.stdout + done.stderr
    out = done.stdout
    for needle in ("FAIL  public URL", "points at this machine", "is not https", "chmod 600",
                   "counts per process, so 3 workers", "no backup in", "last purge"):
        assert needle in out, (needle, out)
    redis = voxbox(instance, "doctor", VOXBOX_RATELIMIT_STORAGE_URI="redis://127.0.0.1:1")
    assert redis.returncode == 1 and "does not answer" in redis.stdout


def test_doctor_passes_a_well_set_up_hub(tmp_path) -> None:  # type: ignore[no-untyped-def]
    instance, backups = tmp_path / "hub", tmp_path / "backups"
    backups.mkdir()
    (backups / "voxbox-2026-12-03.db").write_bytes(b"backup")
    env = {"VOXBOX_PUBLIC_URL": GOOD, "VOXBOX_BACKUP_DIR": str(backups)}
    assert voxbox(instance, "db", "upgrade", **env).returncode == 0
    assert voxbox(instance, "purge", **env).returncode == 0
    done = voxbox(instance, "doctor", **env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "FAIL" not in done.stdout and "no problems" in done.stdout
    assert "OK    database" in done.stdout and "OK    last purge" in done.stdout
    # an unmigrated database is a failure
    (instance / "voxbox.db").unlink()
    broken = voxbox(instance, "doctor", **env, VOXBOX_AUTO_MIGRATE="false")
    assert broken.returncode == 1 and "not migrated" in broken.stdout
