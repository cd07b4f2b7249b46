"""UK postcodes: tidy what a resident typed into one spelling, and name what is wrong with it.

A postcode is an outward code (the district, e.g. ``CF10``) and an inward code (a digit and two
letters, e.g. ``1AA``); the district plus the inward digit is the sector (``CF10 1``). Nothing here
stores anything: callers keep only the area a postcode maps to (see ``areas``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from kiosk.core.problems import AnswerError

#: The outward code (district): one or two letters, a digit, then an optional letter or digit.
DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
INWARD = re.compile(r"^[0-9][A-Z]{2}$")
SECTOR = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ([0-9])$")
#: Girobank's postcode, the one that breaks the pattern.
SPECIAL = {"GIR0AA": ("GIR", "0AA")}
#: Longest input worth reading (a postcode with generous spacing).
MAX_TYPED = 16


@dataclass(frozen=True)
class Postcode:
    """A valid postcode in its normal spelling."""

    outward: str
    inward: str

    @property
    def full(self) -> str:
        """``CF10 1AA``."""
        return f"{self.outward} {self.inward}"

    @property
    def sector(self) -> str:
        """``CF10 1``."""
        return f"{self.outward} {self.inward[0]}"

    @property
    def district(self) -> str:
        """``CF10``."""
        return self.outward


def squash(typed: str) -> str:
    """Upper case with every space (and other whitespace) removed."""
    return re.sub(r"\s+", "", typed).upper()


def parse(typed: str) -> Postcode:
    """A postcode from what a resident typed; AnswerError names the problem (GOV.UK style)."""
    raw = squash(typed or "")
    if not raw:
        raise AnswerError(_l("Enter a postcode, like CF10 1AA."))
    if len(typed) > MAX_TYPED or not raw.isascii() or not raw.isalnum():
        raise AnswerError(_l("Postcode must only include letters a to z, numbers and spaces."))
    if raw in SPECIAL:
        return Postcode(*SPECIAL[raw])
    if DISTRICT.match(raw) or SECTOR.match(f"{raw[:-1]} {raw[-1:]}"):
        raise AnswerError(_l("Enter a full postcode, including the part after the space, like CF10 1AA."))
    outward, inward = raw[:-3], raw[-3:]
    if not DISTRICT.match(outward) or not INWARD.match(inward):
        raise AnswerError(_l("Enter a real postcode, like CF10 1AA."))
    return Postcode(outward, inward)


def is_district(text: str) -> bool:
    """Whether text is a district in its normal spelling (``CF10``)."""
    return bool(DISTRICT.match(text)) or text in {outward for outward, _inward in SPECIAL.values()}


def key_kind(text: str) -> tuple[str, str] | None:
    """A lookup table's key as (kind, normal spelling): a full postcode, a sector or a district;
    None if it is none of them."""
    raw = squash(text or "")
    if DISTRICT.match(raw):
        return "district", raw
    spaced = re.sub(r"\s+", " ", (text or "").strip().upper())
    if SECTOR.match(spaced):
        return "sector", spaced
    if raw in SPECIAL or (len(raw) > 3 and DISTRICT.match(raw[:-3]) and INWARD.match(raw[-3:])):
        outward, inward = SPECIAL.get(raw, (raw[:-3], raw[-3:]))
        return "postcode", f"{outward} {inward}"
    return None
