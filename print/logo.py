"""Logos: a raster file (PNG, JPEG) or an SVG read into filled outlines, loaded once per file."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image

from .spec import PosterError
from .svgshapes import Shape, read_svg


@dataclass(frozen=True)
class Logo:
    """A loaded logo: raster (drawn from path) or vector (shapes in a width x height box)."""

    path: Path
    width: float
    height: float
    shapes: tuple[Shape, ...] = ()
    stamp: int = 0  # the file's modification time: a changed file is a different logo

    @property
    def vector(self) -> bool:
        """True for an SVG logo."""
        return self.path.suffix.lower() == ".svg"

    @property
    def aspect(self) -> float:
        """Width over height."""
        return self.width / self.height


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
    width, height, shapes = read_svg(path)
    return Logo(path, width, height, shapes, stamp)
