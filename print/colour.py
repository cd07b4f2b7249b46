"""Print colour: the CMYK output profile, brand colours and raster logos converted to CMYK."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageCms

from print.spec import rgb

PROFILE = Path(__file__).parent / "icc" / "FOGRA39L-voxbox.icc"
OUTPUT_CONDITION = "FOGRA39"  # the ICC registry's name for ISO 12647-2 coated paper
OUTPUT_CONDITION_INFO = "Coated FOGRA39 (ISO 12647-2:2004/Amd 1, paper type 1/2)"
REGISTRY = "http://www.color.org"
CMYK = tuple[float, float, float, float]
K_ONLY_BLACK: CMYK = (0.0, 0.0, 0.0, 1.0)
PAPER: CMYK = (0.0, 0.0, 0.0, 0.0)


@lru_cache(maxsize=1)
def profile_bytes() -> bytes:
    """The output intent's ICC profile."""
    return PROFILE.read_bytes()


@lru_cache(maxsize=1)
def _transform() -> ImageCms.ImageCmsTransform:
    srgb = ImageCms.createProfile("sRGB")
    target = ImageCms.getOpenProfile(str(PROFILE))
    return ImageCms.buildTransform(srgb, target, "RGB", "CMYK",
                                   renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)


@lru_cache(maxsize=256)
def cmyk(colour: str) -> CMYK:
    """A hex colour as CMYK (0..1) for coated paper; black is 100 % K alone, white is no ink.

    Pure black goes to the K plate only: a four-colour conversion would give ~300 % ink and fringes
    on 1 mm QR modules and small text whenever the plates do not register exactly."""
    r, g, b = rgb(colour)
    if (r, g, b) == (0.0, 0.0, 0.0):
        return K_ONLY_BLACK
    if (r, g, b) == (1.0, 1.0, 1.0):
        return PAPER
    pixel = Image.new("RGB", (1, 1), tuple(round(v * 255) for v in (r, g, b)))
    converted = ImageCms.applyTransform(pixel, _transform())
    assert converted is not None  # None only for an in-place transform
    values = converted.getpixel((0, 0))
    assert isinstance(values, tuple)  # a CMYK pixel is a tuple of four bands
    c, m, y, k = (v / 255 for v in values)
    return c, m, y, k


def cmyk_image(image: Image.Image) -> Image.Image:
    """A raster logo as CMYK, transparency flattened onto white paper (PDF/X-1a has none)."""
    rgba = image.convert("RGBA")
    flat = Image.new("RGB", rgba.size, (255, 255, 255))
    flat.paste(rgba, mask=rgba.getchannel("A"))
    converted = ImageCms.applyTransform(flat, _transform())
    assert converted is not None  # None only for an in-place transform
    return converted
