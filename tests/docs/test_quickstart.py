"""The README's first command, as a new user runs it: `voxbox serve --demo` serves the demo."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.conftest import free_port
from tests.tablet.test_kiosk_command import environment, voxbox, wait_for

README = Path(__file__).resolve().parents[2] / "README.md"


def quick_start_command() -> str:
    """The first shell block under "Quick start"."""
    section = README.read_text().split("## Quick start", 1)[1]
    return re.search(r"```sh\n(.+?)\n```", section, re.S).group(1).strip()


def test_the_readme_installs_then_serves_the_demo() -> None:
    steps = [s.strip() for s in quick_start_command().split("&&")]
    assert steps[0] == "python3 -m venv .venv" and steps[1] == ".venv/bin/pip install -e ."
    assert steps[2] == ".venv/bin/voxbox serve --demo"  # what the test below runs


def test_voxbox_serve_demo_answers_the_kiosk_phone_and_staff_pages(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(voxbox("--instance", str(tmp_path / "instance"), "serve", "--demo",
                                   "--port", str(port)),
                            env=environment("hub"), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_for(f"{base}/", proc, timeout=60).status_code == 200
        pages = {path: wait_for(base + path, proc) for path in (
            "/kiosk/", "/c/policing-priorities", "/c/police-budget-2027", "/staff/login",
            "/events", "/feeds/consultations.rss")}
        assert {p: r.status_code for p, r in pages.items()} == dict.fromkeys(pages, 200)
        assert "Your priorities for policing" in pages["/kiosk/"].text
    finally:
        proc.terminate()
        out = proc.communicate(timeout=30)[0]
    password = (tmp_path / "instance" / "demo_password").read_text().strip()
    assert f"staff login: demo@voxbox.example / {password}" in out
    for line in (f"kiosk:  {base}/kiosk/", f"phone:  {base}/", f"staff:  {base}/staff/"):
        assert line in out, out
