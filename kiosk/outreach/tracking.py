"""Tracking codes: short, unambiguous codes for one placement (a bus stop, a cutout, an event).

Codes use 31 symbols (no 0/O, 1/I/L) and end in a Luhn mod-31 check character, so a single
mistyped character or two swapped neighbours are caught before any lookup.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from kiosk.consultations import store as consultations
from kiosk.core.db import db
from kiosk.outreach.models import TrackingCode

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
KINDS = ("bus_stop", "cutout", "leaflet", "event", "other")
BODY_LENGTH = 5
MAX_LABEL, MAX_LOCATION = 200, 300  # the column sizes below
#: The target of a code sent to the hub's holding page (never a consultation slug, which starts
#: with a letter or digit).
HOLDING = "_holding"


def check_char(body: str) -> str:
    """The check character: position-weighted sum mod 31 (a prime), so every single substitution
    and every swap of two neighbours changes the sum."""
    n = len(ALPHABET)
    total = sum(i * ALPHABET.index(ch) for i, ch in enumerate(body, start=1))
    weight = len(body) + 1
    return ALPHABET[(-total * pow(weight, -1, n)) % n]


def normalise(text: str | None) -> str | None:
    """Upper-case a typed code and drop spaces and hyphens; None if it cannot be a code."""
    if not text:
        return None
    code = "".join(text.split()).replace("-", "").upper()
    if not 4 <= len(code) <= 16 or any(ch not in ALPHABET for ch in code):
        return None
    return code


def is_valid(text: str | None) -> bool:
    """True when a code is well formed and its check character matches."""
    code = normalise(text)
    return code is not None and check_char(code[:-1]) == code[-1]


def new_code() -> str:
    """A fresh random code with its check character."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return body + check_char(body)


def create(consultation_slug: str, kind: str, label: str, location: str | None = None,
           code: str | None = None) -> TrackingCode:
    """Create a placement's tracking code for an existing consultation (a given code must be
    valid and unused); LookupError for an unknown consultation, ValueError for bad input."""
    _consultation(consultation_slug)
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if not label.strip():
        raise ValueError("a placement needs a label")
    if len(label.strip()) > MAX_LABEL or len((location or "").strip()) > MAX_LOCATION:
        raise ValueError(f"a label has at most {MAX_LABEL} characters, a location {MAX_LOCATION}")
    if code is not None:
        if not is_valid(code):
            raise ValueError(f"{code!r} is not a valid tracking code (check character wrong?)")
        code = normalise(code)
        if db.session.get(TrackingCode, code) is not None:
            raise ValueError(f"tracking code {code} is already in use")
    for _attempt in range(10):
        row = TrackingCode(code=code or new_code(), consultation_slug=consultation_slug, kind=kind,
                           label=label.strip(), location=(location or "").strip() or None)
        db.session.add(row)
        try:
            db.session.commit()
            return row
        except IntegrityError:
            db.session.rollback()
            if code is not None:
                raise ValueError(f"tracking code {code} is already in use") from None
    raise RuntimeError("could not find an unused tracking code")


def _consultation(slug: str) -> None:
    if consultations.get(slug) is None:
        raise LookupError(f"no consultation {slug!r}")


def get(code: str | None) -> TrackingCode | None:
    """The tracking code row for a typed or scanned code, if valid and known."""
    if not is_valid(code):
        return None
    return db.session.get(TrackingCode, normalise(code))


def for_consultation(slug: str) -> list[TrackingCode]:
    """Every code pointing at a consultation."""
    q = select(TrackingCode).filter_by(consultation_slug=slug).order_by(TrackingCode.created_at)
    return list(db.session.execute(q).scalars())
