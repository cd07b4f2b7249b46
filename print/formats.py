"""Poster formats: trim sizes, how far away people scan them, and the printing limits."""

from __future__ import annotations

from dataclasses import dataclass

BLEED_MM = 3.0
OUTPUTS = ("pdf", "png", "svg")  # print-ready vector PDF; PNG and SVG for the web and social media
MIN_MODULE_MM = 0.4  # below this, print-shop dot gain and paper texture make modules unreliable
QUIET_ZONE_MODULES = 4  # ISO/IEC 18004 minimum
QR_WIDTH_PER_METRE_MM = 100.0  # the 10:1 rule: a code scanned from 1 m needs 100 mm


@dataclass(frozen=True)
class Format:
    """A named poster format: trim size in mm (portrait) and the expected scan distance."""

    name: str
    width_mm: float
    height_mm: float
    scan_distance_m: float
    kind: str = "poster"  # poster | cutout | stickers
    margin_mm: float = 0.0
    description: str = ""

    @property
    def min_qr_mm(self) -> float:
        """The narrowest QR symbol (quiet zone excluded) that scans from the expected distance."""
        return self.scan_distance_m * QR_WIDTH_PER_METRE_MM


def _iso(name: str, w: float, h: float, distance: float, where: str) -> Format:
    return Format(name, w, h, distance, margin_mm=round(min(w, h) * 0.05, 1), description=where)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        _iso("a6", 105, 148, 0.3, "leaflet or postcard, read in the hand"),
        _iso("a5", 148, 210, 0.5, "counter card or small notice"),
        _iso("a4", 210, 297, 1.0, "notice board, shop window"),
        _iso("a3", 297, 420, 1.5, "notice board seen from a corridor"),
        _iso("a2", 420, 594, 2.0, "community-centre wall"),
        _iso("a1", 594, 841, 3.0, "foyer or large noticeboard"),
        _iso("a0", 841, 1189, 4.0, "exhibition or hall wall"),
        Format("six-sheet", 1200, 1800, 5.0, margin_mm=40,
               description="bus-shelter panel, read from the kerb"),
        Format("cutout", 400, 400, 1.5, kind="cutout", margin_mm=20,
               description="QR panel held by a life-size cardboard cutout at a stall"),
        Format("stickers", 210, 297, 0.25, kind="stickers",
               description="A4 sheet of labels (Avery L7160 by default) for lamp posts and leaflets"),
    )
}

DEFAULT_SIX_SHEET_INSET_MM = 50.0  # the frame of a bus-shelter case hides this much of each edge

