"""Fonts and text: one TrueType face for every output (Welsh needs ŵ and ŷ), measuring, wrapping."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

PT_PER_MM = 72 / 25.4
FONT_DIRS = (Path(__file__).parent / "fonts", Path("/usr/share/fonts/truetype/dejavu"))
FILES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
MONTHS = {
    "en": ("January February March April May June July August September October November "
           "December").split(),
    "cy": ("Ionawr Chwefror Mawrth Ebrill Mai Mehefin Gorffennaf Awst Medi Hydref Tachwedd "
           "Rhagfyr").split(),
}
CLOSES = {"en": "Closing date: {}", "cy": "Dyddiad cau: {}"}
CODE = {"en": "Code", "cy": "Cod"}


@dataclass(frozen=True)
class Face:
    """A registered font: the reportlab name and, for TrueType, the file (PIL and SVG need it)."""

    name: str
    path: Path | None


@lru_cache(maxsize=1)
def faces() -> dict[bool, Face]:
    """The regular (False) and bold (True) faces; DejaVu Sans if found, else Helvetica."""
    for folder in FONT_DIRS:
        paths = {style: folder / name for style, name in FILES.items()}
        if all(p.is_file() for p in paths.values()):
            pdfmetrics.registerFont(TTFont("VoxboxSans", str(paths["regular"])))
            pdfmetrics.registerFont(TTFont("VoxboxSans-Bold", str(paths["bold"])))
            return {False: Face("VoxboxSans", paths["regular"]),
                    True: Face("VoxboxSans-Bold", paths["bold"])}
    return {False: Face("Helvetica", None), True: Face("Helvetica-Bold", None)}


def unsupported(text: str) -> str:
    """The characters of text the faces cannot show ('' when all can: Helvetica lacks ŵ and ŷ)."""
    if faces()[False].path is not None:
        return ""
    return "".join(sorted({c for c in text if not _in_cp1252(c)}))


def _in_cp1252(char: str) -> bool:
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def width_mm(text: str, size_pt: float, bold: bool = False) -> float:
    """The advance width of text set at size_pt, in mm."""
    return pdfmetrics.stringWidth(text, faces()[bold].name, size_pt) / PT_PER_MM


def wrap(text: str, size_pt: float, max_mm: float, bold: bool = False) -> list[str]:
    """Break text at spaces into lines no wider than max_mm (a single long word stays whole)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and width_mm(candidate, size_pt, bold) > max_mm:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def break_url(url: str, size_pt: float, max_mm: float, bold: bool = True) -> list[str]:
    """Break a short URL after slashes so each piece fits max_mm, keeping it typable."""
    if width_mm(url, size_pt, bold) <= max_mm:
        return [url]
    pieces = [p + "/" for p in url.split("/")]
    pieces[-1] = pieces[-1][:-1]
    lines = [""]
    for piece in pieces:
        if lines[-1] and width_mm(lines[-1] + piece, size_pt, bold) > max_mm:
            lines.append(piece)
        else:
            lines[-1] += piece
    return lines


def fits(lines: list[str], size_pt: float, max_mm: float, bold: bool = False) -> bool:
    """True when every line is at most max_mm wide."""
    return all(width_mm(line, size_pt, bold) <= max_mm for line in lines)


def closing_line(closes: datetime.date, lang: str) -> str:
    """'Closing date: 31 January 2027' in English or Welsh."""
    date = f"{closes.day} {MONTHS[lang][closes.month - 1]} {closes.year}"
    return CLOSES[lang].format(date)
