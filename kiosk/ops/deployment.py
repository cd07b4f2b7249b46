"""The deployment guard: a hub makes nothing that prints or publishes its own address (posters,
sticker sheets, feeds' absolute links, enrollment codes) while PUBLIC_URL would lead residents or
kiosks to a dead or unsafe place: loopback, plain http, or a host other than the one it is served on.

ALLOW_INSECURE_URL (or ``--allow-insecure-url`` on the CLI) lets a lab hub make them anyway, and the
demo (DEMO) runs on loopback by design; the staff dashboard still shows the problems as a banner.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

SETTING = "PUBLIC_URL"


class InsecureURL(Exception):
    """PUBLIC_URL is not fit to print or publish; the message names the setting and the fix."""


def _loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def url_problems(public_url: str, served_host: str | None = None) -> list[str]:
    """What is wrong with PUBLIC_URL as the address printed on posters (empty when nothing is).

    served_host is the Host the current request came in on, when there is a request."""
    parts = urlsplit(public_url or "")
    host = parts.hostname or ""
    problems = []
    if not host:
        problems.append(f"{SETTING} ({public_url!r}) is not an absolute URL")
    elif _loopback(host):
        problems.append(f"{SETTING} ({public_url}) points at this machine itself ({host}): "
                        "a phone that scans it reaches nothing")
    if parts.scheme != "https":
        problems.append(f"{SETTING} ({public_url}) is not https: answers would cross the network "
                        "in the clear and browsers mark the page unsafe")
    if served_host and host and not _loopback(host):
        served = urlsplit(f"//{served_host}").hostname or ""
        if served and served.lower() != host.lower():
            problems.append(f"{SETTING} names {host} but this hub is being served as {served}")
    return problems


def allowed(config: Mapping[str, Any]) -> bool:
    """Whether this instance may print and publish its address despite problems (lab or demo)."""
    return bool(config.get("ALLOW_INSECURE_URL") or config.get("DEMO"))


def require_public_url(config: Mapping[str, Any], served_host: str | None = None) -> str:
    """PUBLIC_URL when it is fit to print, or InsecureURL naming the setting and how to fix it."""
    problems = url_problems(str(config.get(SETTING, "")), served_host)
    if problems and not allowed(config):
        raise InsecureURL(
            "; ".join(problems) + ". Set PUBLIC_URL in instance/config.py (or VOXBOX_PUBLIC_URL) to "
            "the https address residents will reach; for a lab, ALLOW_INSECURE_URL = True or "
            "--allow-insecure-url.")
    return str(config[SETTING])
