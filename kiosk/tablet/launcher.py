"""Running a kiosk on a tablet or laptop: the waitress server and Chromium in kiosk mode."""

from __future__ import annotations

import subprocess
from pathlib import Path

from flask import Flask

#: Debian's Chromium; ``voxbox kiosk --chromium PATH`` chooses another.
CHROMIUM = "/usr/bin/chromium"


class RoleError(RuntimeError):
    """The instance is a hub: serving it as a kiosk needs an explicit --force."""


def check_role(app: Flask, force: bool) -> None:
    """Refuse to run a hub instance as a kiosk unless forced."""
    if app.config["ROLE"] != "kiosk" and not force:
        raise RoleError(
            "this instance is a hub (ROLE = 'hub'): responses would not be queued for sync and "
            "carry no device id. Set ROLE = \"kiosk\" in instance/config.py (or VOXBOX_ROLE=kiosk), "
            "or pass --force to show the hub's kiosk pages anyway.")


def start_url(host: str, port: int) -> str:
    """The attract screen's address as the browser on this machine reaches it."""
    local = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    if ":" in local:
        local = f"[{local}]"
    return f"http://{local}:{port}/kiosk/"


def chromium_args(chromium: str, url: str, profile: Path) -> list[str]:
    """Chromium in full-screen kiosk mode, private, with no swipe-back and no calls home."""
    return [
        chromium, "--kiosk", url,
        f"--user-data-dir={profile}",
        "--incognito",  # no autofill or history survives a resident
        "--no-first-run", "--noerrdialogs", "--disable-infobars",
        "--overscroll-history-navigation=0",  # a swipe cannot go Back to someone's answers
        "--disable-prompt-on-repost",  # never a "Confirm form resubmission" dead end
        "--disable-pinch",
        "--disable-translate", "--disable-features=Translate",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-session-crashed-bubble", "--password-store=basic",
    ]


def launch_browser(chromium: str, url: str, instance: Path) -> subprocess.Popen:
    """Start Chromium in kiosk mode at the attract screen (the server must be listening)."""
    profile = instance / "chromium-profile"
    profile.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(chromium_args(chromium, url, profile), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
