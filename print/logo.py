"""Logos: a raster file (PNG, JPEG) or an SVG read by svglib into true vector shapes, loaded once."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import Image
from reportlab.graphics.shapes import Drawing
from svglib.svglib import svg2rlg

from print.spec import PosterError

# svglib logs each SVG feature it skips; a logo file's quirks are not the caller's log's business
logging.getLogger("svglib").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Logo:
    """A loaded logo: raster (width x height pixels) or vector (an svglib drawing in points)."""

    path: Path
    width: float
    height: float
    drawing: Drawing | None = field(default=None, compare=False, hash=False)
    stamp: int = 0  # the file's modification time: a changed file is a different logo

    @property
    def vector(self) -> bool:
        """True for an SVG logo."""
        return self.drawing is not None

    @property
    def aspect(self) -> float:
        """Width over height."""
        return self.width / self.height

    def ppi(self, printed_width_mm: float) -> float:
        """A raster logo's pixels per inch when printed printed_width_mm wide (vector: infinite)."""
        if self.vector or printed_width_mm <= 0:
            return float("inf")
        return self.width / (printed_width_mm / 25.4)


def load(path: str | Path) -> Logo:
    """Read a logo file, cached by path and modification time."""
    path = Path(path)
    return _load(path.resolve(), path.stat().st_mtime_ns)


@lru_cache(maxsize=32)
def _load(path: Path, stamp: int) -> Logo:
    if path.suffix.lower() != ".svg":
        try:
            with Image.open(path) as image:
                width, height = image.size
        except OSError as exc:
            raise PosterError(f"logo {path.name} is not a readable image: {exc}") from None
        return Logo(path, float(width), float(height), stamp=stamp)
    try:
        drawing = svg2rlg(str(path))
    except Exception as exc:  # svglib raises lxml's and its own errors on a broken file
        raise PosterError(f"logo {path.name} is not valid SVG: {exc}") from None
    if drawing is None or not drawing.contents or drawing.width <= 0 or drawing.height <= 0:
        raise PosterError(f"logo {path.name} is not valid SVG or has nothing to draw")
    return Logo(path, float(drawing.width), float(drawing.height), drawing, stamp)
