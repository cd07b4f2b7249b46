"""What a poster says and how it is made: PosterSpec, checked up front, and PosterError."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from print.errors import PosterError
from print.formats import DEFAULT_SIX_SHEET_INSET_MM, FORMATS, Format
from print.labels import stock
from print.typesetting import unsupported

Bilingual = str | Mapping[str, str]
HEX = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
LOGO_TYPES = (".png", ".jpg", ".jpeg", ".svg")
MIN_INK_CONTRAST = 4.5  # ink on white, as a WCAG contrast ratio: scanners need dark modules


@dataclass(frozen=True)
class PosterSpec:
    """One placement's poster: format, tracking URL and code, bilingual text, brand and checks."""
    format: str
    url: str
    code: str
    title: Bilingual
    call_to_action: Bilingual | None = field(
        default_factory=lambda: {"en": "Have your say", "cy": "Dweud eich dweud"})
    closes: datetime.date | None = None
    welsh_first: bool = False
    bleed: bool = False
    logo: str | Path | None = None
    logo_on_qr: bool = False  # put the logo in the middle of the code (error correction H)
    primary: str = "#1d3557"
    ink: str = "#000000"
    qr_size_mm: float | None = None
    allow_small: bool = False
    cutout_size_mm: float | None = None
    cutout_shape: str = "square"  # square | round
    visible_inset_mm: float | None = None  # six-sheet only; default 50 mm
    stickers: tuple[tuple[str, str], ...] = ()  # (url, code) per label; empty: every label is url
    marks: bool = True  # crop marks outside the bleed (with bleed only)
    registration_marks: bool = False  # marks on every plate, for a printer that asks for it
    pdfx: str = "x4"  # x4 (PDF/X-4) or x1a (PDF/X-1a:2003)
    trim_size_mm: tuple[float, float] | None = None  # a contractor's trim size (outdoor formats)
    visible_size_mm: tuple[float, float] | None = None  # the area the case leaves visible
    allow_low_contrast: bool = False
    allow_low_ppi: bool = False
    sticker_template: str = "L7160"
    start_label: int = 1  # first free label on a part-used sheet (1 = top left)
    organisation: Bilingual | None = None  # the public body's name, set small in the footer

    @property
    def fmt(self) -> Format:
        """The Format named by self.format."""
        return FORMATS[self.format]

    @property
    def short_url(self) -> str:
        """The URL as printed for typing in: without its scheme."""
        return short_url(self.url)

    @property
    def level(self) -> str:
        """QR error correction: H when the logo covers the middle of the code, else Q."""
        return "H" if self.logo and self.logo_on_qr else "Q"

    @property
    def langs(self) -> tuple[str, str]:
        """Languages in reading order."""
        return ("cy", "en") if self.welsh_first else ("en", "cy")

    @property
    def visible_inset(self) -> tuple[float, float]:
        """Millimetres hidden by a case on the left/right and top/bottom edges (outdoor), else 0."""
        if self.visible_size_mm is not None:
            w, h = self.trim_mm()
            return ((w - self.visible_size_mm[0]) / 2, (h - self.visible_size_mm[1]) / 2)
        if self.format != "six-sheet":
            return (0.0, 0.0)
        inset = DEFAULT_SIX_SHEET_INSET_MM if self.visible_inset_mm is None else self.visible_inset_mm
        return (inset, inset)

    def trim_mm(self) -> tuple[float, float]:
        """The finished (trimmed) size in mm, width then height."""
        if self.trim_size_mm is not None:
            return self.trim_size_mm
        if self.format == "cutout" and self.cutout_size_mm is not None:
            return (self.cutout_size_mm, self.cutout_size_mm)
        return (self.fmt.width_mm, self.fmt.height_mm)

    def lines(self, text: Bilingual | None) -> list[tuple[str, str]]:
        """(lang, text) pairs in reading order, skipping blanks and a repeat of the same words."""
        if not text:
            return []
        if isinstance(text, str):
            return [("en", text)] if text.strip() else []
        pairs: list[tuple[str, str]] = []
        for lang in self.langs:
            value = (text.get(lang) or "").strip()
            if value and value not in (v for _, v in pairs):
                pairs.append((lang, value))
        return pairs

    def labels(self) -> list[tuple[str, str]]:
        """The (url, code) of every label on a sticker sheet."""
        if self.stickers:
            return list(self.stickers)
        free = stock(self.sticker_template).count - self.start_label + 1
        return [(self.url, self.code)] * max(free, 0)

    def validate(self) -> None:
        """Raise PosterError naming the first thing wrong with this spec."""
        if self.format not in FORMATS:
            raise PosterError(f"unknown format {self.format!r}: use one of {', '.join(FORMATS)}")
        _check_link(self.url, self.code)
        for url, code in self.stickers:
            _check_link(url, code)
        if not self.lines(self.title):
            raise PosterError("a poster needs a title")
        for name in ("primary", "ink"):
            rgb(getattr(self, name), name)
        ratio = contrast(rgb(self.primary), (1.0, 1.0, 1.0))
        if ratio < MIN_INK_CONTRAST and not self.allow_low_contrast:
            raise PosterError(
                f"brand colour {self.primary} and white have a contrast ratio of {ratio:.1f}:1; "
                f"text in them needs at least {MIN_INK_CONTRAST}:1 (WCAG 2.2 AA): choose a darker "
                "colour (pass allow_low_contrast=True to override)")
        if contrast(rgb(self.ink), (1.0, 1.0, 1.0)) < MIN_INK_CONTRAST:
            raise PosterError(f"ink {self.ink} is too light for a QR code on white: "
                              f"use a colour with contrast of at least {MIN_INK_CONTRAST}:1")
        if self.cutout_shape not in ("square", "round"):
            raise PosterError(f"cutout_shape must be 'square' or 'round', not {self.cutout_shape!r}")
        for name in ("qr_size_mm", "cutout_size_mm"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise PosterError(f"{name} must be positive")
        if self.visible_inset_mm is not None and self.visible_inset_mm < 0:
            raise PosterError("visible_inset_mm cannot be negative")
        if self.format == "stickers":
            count = stock(self.sticker_template).count
            if not 1 <= self.start_label <= count:
                raise PosterError(f"start_label must be 1 to {count} on "
                                  f"{self.sticker_template}, not {self.start_label}")
        if self.pdfx not in ("x4", "x1a"):
            raise PosterError(f"pdfx must be 'x4' or 'x1a', not {self.pdfx!r}")
        self._check_sizes()
        if self.logo is not None:
            path = Path(self.logo)
            if path.suffix.lower() not in LOGO_TYPES:
                raise PosterError(f"logo {path.name}: use a PNG, JPEG or SVG file")
            if not path.is_file():
                raise PosterError(f"logo {path} not found")
        words = [t for f in (self.title, self.call_to_action) for _, t in self.lines(f)]
        missing = unsupported(" ".join(words))
        if missing:
            raise PosterError(f"no font here can print {missing!r}: install fonts-dejavu-core "
                              "or copy DejaVuSans.ttf and DejaVuSans-Bold.ttf into print/fonts/")


    def _check_sizes(self) -> None:
        for name in ("trim_size_mm", "visible_size_mm"):
            value = getattr(self, name)
            if value is not None and (len(value) != 2 or min(value) <= 0):
                raise PosterError(f"{name} must be a positive width and height in mm")
        if self.trim_size_mm is not None and self.fmt.kind != "poster":
            raise PosterError(f"a trim size is for posters, not the {self.format} format")
        if self.visible_size_mm is not None:
            w, h = self.trim_mm()
            if self.visible_size_mm[0] > w or self.visible_size_mm[1] > h:
                raise PosterError(f"the visible area {_wxh(self.visible_size_mm)} mm is larger "
                                  f"than the trim {_wxh((w, h))} mm")


def _wxh(size: tuple[float, float]) -> str:
    return f"{size[0]:g} × {size[1]:g}"


def _check_link(url: str, code: str) -> None:
    if not url or not url.strip() or any(c.isspace() for c in url):
        raise PosterError(f"tracking URL {url!r} must be non-empty and contain no spaces")
    if not code or not code.strip():
        raise PosterError(f"the tracking code for {url} is empty")


def short_url(url: str) -> str:
    """A URL without its scheme: https://hub.example/q/BS7KQ2 -> hub.example/q/BS7KQ2."""
    return re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", url)


def rgb(colour: str, name: str = "colour") -> tuple[float, float, float]:
    """'#1d3557' or '#abc' as (r, g, b) in 0..1; PosterError naming the field when malformed."""
    match = HEX.fullmatch(colour.strip()) if isinstance(colour, str) else None
    if not match:
        raise PosterError(f"{name} {colour!r} is not a hex colour like #1d3557")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    r, g, b = (int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


def hex_colour(colour: str) -> str:
    """A colour normalised to '#rrggbb'."""
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb(colour))


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """The WCAG contrast ratio of two colours."""
    def luminance(c: tuple[float, float, float]) -> float:
        lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
