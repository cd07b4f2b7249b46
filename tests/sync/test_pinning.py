"""Issue 11, acceptance 5 (part): the kiosk pins the hub's key at enrollment and enrolls over https
only (http just to this machine, or with --allow-http for a lab hub)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kiosk.core.stored_settings import get_setting
from sync import client, keys
from sync.transport import SyncError


def test_a_changed_hub_key_is_refused_until_the_kiosk_enrolls_again(
        hub, live_hub, make_app) -> None:
    kiosk = make_app("kiosk")
    with hub.app_context():
        from kiosk.devices import store as devices

        _dev, code = devices.create("pin-2", 3600)
    with kiosk.app_context():
        client.enroll(kiosk, live_hub.url, code)
        pinned = get_setting(client.PINNED_KEY)
        assert pinned == keys.encode_public(keys.hub_public_key(hub))
        assert client.pull(kiosk)["changed"]
    # the hub's key file is replaced (a hub swapped for an impostor, or a restore gone wrong)
    (keys._key_path(hub)).write_bytes(X25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    with kiosk.app_context():
        with pytest.raises(SyncError) as refused:
            client.pull(kiosk)
        assert refused.value.code == "hub_key_changed"
        assert get_setting(keys.SETTING) == pinned  # the kiosk still seals to the pinned key
        assert get_setting(client.LAST_ERROR)["code"] == "hub_key_changed"


@pytest.mark.parametrize(("url", "allowed"), [
    ("https://hub.example.org", True), ("http://127.0.0.1:5000", True),
    ("http://localhost:5000", True), ("http://[::1]:5000", True),
    ("http://hub.example.org", False), ("http://192.168.1.20:5000", False),
    ("ftp://hub.example.org", False)])
def test_enrollment_needs_https_except_to_this_machine(url: str, allowed: bool) -> None:
    if allowed:
        client.check_hub_url(url)
    else:
        with pytest.raises(SyncError):
            client.check_hub_url(url)
    if url.startswith("http://"):
        client.check_hub_url(url, allow_http=True)  # the explicit lab-hub flag


def test_the_cli_refuses_plain_http_to_another_machine(make_app) -> None:
    kiosk = make_app("kiosk")
    result = kiosk.test_cli_runner().invoke(args=["sync", "enroll", "http://hub.example.org",
                                                  "ABCD-EFGH-JKLM"])
    assert result.exit_code == 1 and "https" in result.output
