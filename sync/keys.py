"""The hub's X25519 keypair: kiosks seal prize-draw entries to its public key.

The hub generates the private key once into its instance folder (mode 0600). A kiosk learns the
public key from its pull and keeps it in its settings.
"""

from __future__ import annotations

import base64
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from flask import Flask

from kiosk.core import private_files
from kiosk.core.stored_settings import get_setting
from kiosk.draws.contacts import secret_key

KEY_FILE = "hub_x25519.pem"
SETTING = "hub_public_key"


def _key_path(app: Flask) -> Path:
    return Path(app.instance_path) / KEY_FILE


def hub_private_key(app: Flask) -> X25519PrivateKey:
    """The hub's private key, generated on first use; only the hub holds one."""
    if app.config["ROLE"] != "hub":
        raise RuntimeError("only the hub has the hub's private key")
    path = _key_path(app)
    pem = private_files.read_or_create(path, lambda: X25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, X25519PrivateKey):
        raise ValueError(f"{path} does not hold an X25519 private key")
    return key


def encode_public(key: X25519PublicKey) -> str:
    """A public key as base64 (standard alphabet) of its 32 raw bytes."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def decode_public(text: str) -> X25519PublicKey:
    """A public key from its base64 form; ValueError if it is not 32 bytes."""
    raw = base64.b64decode(text, validate=True)
    return X25519PublicKey.from_public_bytes(raw)


def hub_public_key(app: Flask) -> X25519PublicKey | None:
    """The hub's public key: derived on the hub, pulled on a kiosk (None before the first pull)."""
    if app.config["ROLE"] == "hub":
        return hub_private_key(app).public_key()

    stored = get_setting(SETTING)
    return decode_public(stored) if stored else None


def dedupe_key(app: Flask) -> bytes:
    """The hub's secret key for prize-draw de-duplication hashes (instance file, mode 0600)."""
    if app.config["ROLE"] != "hub":
        raise RuntimeError("only the hub has the de-duplication key")

    return secret_key(app.instance_path)
