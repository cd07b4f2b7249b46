"""`voxbox kiosk` as README's "Tablet set-up" runs it: a real process serving the attract screen."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import free_port

VOXBOX = Path(sys.executable).with_name("voxbox")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def voxbox(*args: str) -> list[str]:
    """The installed console script, or the module when it is not installed."""
    return [str(VOXBOX), *args] if VOXBOX.exists() else [sys.executable, "-m", "kiosk.cli", *args]


def environment(role: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOXBOX_")}
    return {**env, "VOXBOX_ROLE": role}


def wait_for(url: str, proc: subprocess.Popen, timeout: float = 30) -> requests.Response:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise AssertionError(f"voxbox kiosk exited with {proc.returncode}: {proc.stdout.read()}")
        try:
            return requests.get(url, timeout=5)
        except requests.ConnectionError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answered at {url}")


def listening_addresses(port: int) -> set[str]:
    """The IPv4 addresses a local TCP port is listening on, from /proc/net/tcp."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, _, hexport = local.partition(":")
        if int(hexport, 16) == port and state == "0A":  # LISTEN
            found.add(".".join(str(int(address[i:i + 2], 16)) for i in (6, 4, 2, 0)))
    return found


def test_voxbox_kiosk_serves_the_attract_screen_as_the_readme_says(tmp_path: Path) -> None:
    instance = tmp_path / "kiosk"
    env = environment("kiosk")
    demo = subprocess.run(voxbox("--instance", str(instance), "demo"), env=env, capture_output=True,
                          text=True, timeout=120)
    assert demo.returncode == 0, demo.stderr
    pin = (instance / "staff_pin").read_text().strip()
    assert re.fullmatch(r"\d{6}", pin) and f"kiosk staff PIN: {pin}" in demo.stdout

    launched = tmp_path / "chromium-args"
    fake_chromium = tmp_path / "chromium"
    fake_chromium.write_text(f"#!{sys.executable}\nimport sys, pathlib\n"
                             f"pathlib.Path({str(launched)!r}).write_text('\\n'.join(sys.argv[1:]))\n")
    fake_chromium.chmod(0o755)
    port = free_port()
    proc = subprocess.Popen(
        voxbox("--instance", str(instance), "kiosk", "--port", str(port), "--browser",
               "--chromium", str(fake_chromium)),
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        start = f"http://127.0.0.1:{port}/kiosk/"
        r = wait_for(start, proc)
        assert r.status_code == 200
        assert r.headers["Server"] == "voxbox"  # waitress, named by `voxbox kiosk`
        assert r.headers["Cache-Control"] == "no-store"
        assert "Have your say" in r.text and "Your priorities for policing" in r.text
        if Path("/proc/net/tcp").exists():
            assert listening_addresses(port) == {"127.0.0.1"}  # loopback unless --host says so
        # the staff PIN the demo printed opens the panel
        with requests.Session() as s:
            token = CSRF.search(s.get(f"{start}staff/pin", timeout=5).text).group(1)
            r = s.post(f"{start}staff/pin", data={"csrf_token": token, "pin": pin}, timeout=5,
                       allow_redirects=False)
            assert (r.status_code, r.headers["Location"]) == (303, "/kiosk/staff/")
            assert "Kiosk staff panel" in s.get(f"{start}staff/", timeout=5).text
        end = time.monotonic() + 10
        while not launched.exists() and time.monotonic() < end:
            time.sleep(0.1)
        args = launched.read_text().splitlines()
        assert args[:2] == ["--kiosk", start]
        assert f"--user-data-dir={instance / 'chromium-profile'}" in args
        assert {"--incognito", "--overscroll-history-navigation=0"} <= set(args)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert f"voxbox kiosk (kiosk) on http://127.0.0.1:{port}/kiosk/" in out
    assert "press and hold the top-left corner for 3 s" in out


@pytest.mark.parametrize("extra, refused", [((), True), (("--force",), False)])
def test_voxbox_kiosk_refuses_a_hub_instance_unless_forced(tmp_path: Path, extra: tuple,
                                                           refused: bool) -> None:
    port = free_port()
    proc = subprocess.Popen(voxbox("--instance", str(tmp_path / "hub"), "kiosk", "--port", str(port),
                                   *extra), env=environment("hub"), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        if refused:
            out, _ = proc.communicate(timeout=60)
            assert proc.returncode != 0
            assert "this instance is a hub" in out and "--force" in out
        else:
            r = wait_for(f"http://127.0.0.1:{port}/kiosk/", proc)
            assert r.status_code == 200 and r.headers["Server"] == "voxbox"
            # even forced, a hub shows its kiosk pages only to signed-in staff (assisted entry)
            assert "/staff/login" in r.url
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.communicate(timeout=10)
