"""Fixtures for the poster tests: a spec factory and logo files."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from print.posters import PosterSpec

URL = "https://hub.example/q/BS7KQ2"
TITLE = {"en": "Park survey", "cy": "Arolwg y parc ŵŷâ"}


@pytest.fixture
def make_spec() -> Callable[..., PosterSpec]:
    """A factory of specs for the park survey; keyword arguments override any field."""

    def factory(fmt: str = "a4", **fields: object) -> PosterSpec:
        base: dict[str, object] = {
            "format": fmt, "url": URL, "code": "BS7KQ2", "title": TITLE,
            "closes": datetime.date(2027, 1, 31),
        }
        return PosterSpec(**{**base, **fields})  # type: ignore[arg-type]

    return factory


@pytest.fixture
def png_logo(tmp_path: Path) -> Path:
    """A 300 x 150 PNG logo with a transparent background."""
    path = tmp_path / "logo.png"
    image = Image.new("RGBA", (300, 150), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((5, 5, 295, 145), radius=30, fill=(29, 53, 87, 255))
    draw.ellipse((40, 30, 130, 120), fill=(230, 57, 70, 255))
    image.save(path)
    return path


@pytest.fixture
def svg_logo(tmp_path: Path) -> Path:
    """An SVG logo using rect, circle, a path with curves and an arc, and a group transform."""
    path = tmp_path / "logo.svg"
    path.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100">'
        '<rect x="0" y="0" width="200" height="100" rx="10" fill="#1d3557"/>'
        '<g transform="translate(10 10)" style="fill:#e63946">'
        '<circle cx="40" cy="40" r="30"/>'
        '<path d="M100 10 C130 10 150 30 150 50 S130 80 100 80 Q90 60 100 40 '
        'A20 20 0 0 1 120 20 z"/>'
        "</g></svg>"
    )
    return path
