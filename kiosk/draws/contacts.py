"""Contact details for prize draws: validate, normalise, and key a hub-only de-duplication hash."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from pathlib import Path

from kiosk.core import private_files

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
PHONE_NOISE = re.compile(r"[\s\-().]")
SECRET_FILE = "draw_dedupe.key"


def normalise_email(text: str) -> str:
    """Trim and lower-case; ValueError unless it looks like an email address."""
    email = text.strip().lower()
    if len(email) > 254 or not EMAIL.match(email):
        raise ValueError("Enter an email address like name@example.com.")
    return email


def normalise_phone(text: str) -> str:
    """One E.164 form: UK +44 / 0044 / 0 prefixes agree; spaces, dashes and brackets go."""
    raw = text.strip().replace("(0)", "")
    digits = PHONE_NOISE.sub("", raw)
    if digits.startswith("+44"):
        national = digits[3:]
    elif digits.startswith("0044"):
        national = digits[4:]
    elif digits.startswith("+") and digits[1:].isdigit() and 8 <= len(digits) - 1 <= 15:
        return digits
    elif digits.startswith("0") and not digits.startswith("00"):
        national = digits[1:]
    else:
        raise ValueError("Enter a UK phone number like 07700 900123.")
    if national.startswith("0"):
        national = national[1:]
    if not national.isdigit() or not 9 <= len(national) <= 10:
        raise ValueError("Enter a UK phone number like 07700 900123.")
    return "+44" + national


def normalise(text: str) -> tuple[str, str]:
    """(kind, normalised) for an email address or phone number; ValueError if neither."""
    if "@" in text:
        return "email", normalise_email(text)
    return "phone", normalise_phone(text)


def clean_name(text: str) -> str:
    """A name of 1-100 printable characters; ValueError otherwise."""
    name = " ".join(unicodedata.normalize("NFC", text).split())
    if not name:
        raise ValueError("Enter your name.")
    if len(name) > 100 or any(unicodedata.category(ch).startswith("C") for ch in name):
        raise ValueError("Enter a name of up to 100 letters.")
    return name


def dedupe_hash(secret: bytes, draw_id: str, kind: str, normalised: str) -> str:
    """HMAC-SHA256 of a normalised contact under the hub's secret key, bound to one draw.

    Only the hub holds the key (``instance/draw_dedupe.key``, never in the database), so a copy of
    the database, a kiosk or a bundle gives nothing to test guessed emails or phone numbers against.
    """
    return hmac.new(secret, f"{draw_id}|{kind}:{normalised}".encode(), hashlib.sha256).hexdigest()


def secret_key(instance_path: str | os.PathLike[str]) -> bytes:
    """The hub's de-duplication key: 32 random bytes made once into the instance folder (0600)."""
    path = Path(instance_path) / SECRET_FILE
    key = private_files.read_or_create(path, lambda: secrets.token_bytes(32))
    if len(key) != 32:
        raise ValueError(f"{path} must hold exactly 32 bytes")
    return key
