"""Draw a laid-out page as a raster image with Pillow, for the web and social media."""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont
from reportlab.graphics import renderPDF
from reportlab.pdfgen.canvas import Canvas

from print import qr
from print.layout import Box, Code, Disc, Fill, Item, Line, Mark, Page, Words
from print.logo import Logo
from print.typesetting import faces

ANCHOR = {"left": "ls", "centre": "ms", "right": "rs"}


def render(page: Page, dpi: float) -> bytes:
    """The page as PNG bytes at dpi pixels per inch."""
    scale = dpi / 25.4
    size = (max(1, round(page.width * scale)), max(1, round(page.height * scale)))
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for item in page.items:
        _draw(image, draw, item, scale)
    out = BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi))
    return out.getvalue()


def _box(box: Box, height: int, scale: float) -> tuple[int, int, int, int]:
    """A box in pixel corners (left, top, right, bottom), right and bottom exclusive."""
    return (round(box.x * scale), round(height - (box.y + box.h) * scale),
            round((box.x + box.w) * scale), round(height - box.y * scale))


def _draw(image: Image.Image, draw: ImageDraw.ImageDraw, item: Item, scale: float) -> None:
    height = image.height
    if isinstance(item, Words):
        font = _font(faces()[item.bold].path, round(item.size_pt / 72 * 25.4 * scale, 1))
        draw.text((item.x * scale, height - item.y * scale), item.text, fill=item.colour,
                  font=font, anchor=ANCHOR[item.align])
    elif isinstance(item, Code):
        side = round(item.side * scale)
        left = round(item.x * scale)
        top = round(height - (item.y + item.side) * scale)
        image.paste(item.colour, (left, top, left + side, top + side), qr.mask(item.symbol, side))
    elif isinstance(item, Fill):
        left, top, right, bottom = _box(item.box, height, scale)
        draw.rectangle((left, top, right - 1, bottom - 1), fill=item.colour)
    elif isinstance(item, Disc):
        cx, cy = item.cx * scale, height - item.cy * scale
        for r, colour in ((item.r, item.colour), (item.r - item.ring, "white")):
            draw.ellipse((cx - r * scale, cy - r * scale, cx + r * scale, cy + r * scale),
                         fill=colour)
    elif isinstance(item, Mark):
        if item.backing is not None:
            left, top, right, bottom = _box(item.backing, height, scale)
            draw.rectangle((left, top, right - 1, bottom - 1), fill="white")
        left, top, right, bottom = _box(item.box, height, scale)
        size = (max(1, right - left), max(1, bottom - top))
        logo_rgb, mask = _logo(item.logo, size)
        image.paste(logo_rgb, (left, top), mask)
    elif isinstance(item, Line):
        draw.line((item.x1 * scale, height - item.y1 * scale, item.x2 * scale,
                   height - item.y2 * scale), fill="black", width=max(1, round(item.width * scale)))


@lru_cache(maxsize=64)
def _font(path: Path | None, size: float) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(str(path), size)


@lru_cache(maxsize=16)
def _logo(logo: Logo, size: tuple[int, int]) -> tuple[Image.Image, Image.Image]:
    """The logo at size: an RGB image and its mask."""
    if not logo.vector:
        with Image.open(logo.path) as source:
            rgba = source.convert("RGBA").resize(size, Image.Resampling.LANCZOS)
        return rgba.convert("RGB"), rgba.getchannel("A")
    return _vector(logo, size)


def _vector(logo: Logo, size: tuple[int, int]) -> tuple[Image.Image, Image.Image]:
    """An SVG logo drawn by svglib into a one-page PDF, rasterised by pdfium with transparency."""
    assert logo.drawing is not None  # _logo sends only vector logos here
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(logo.width, logo.height))
    renderPDF.draw(logo.drawing, canvas, 0, 0)
    canvas.showPage()
    canvas.save()
    document = pdfium.PdfDocument(buffer.getvalue())
    try:
        page = document[0]
        bitmap = page.render(scale=size[0] / logo.width, fill_color=(255, 255, 255, 0),
                             may_draw_forms=False)
        rgba = bitmap.to_pil().convert("RGBA").resize(size, Image.Resampling.LANCZOS)
    finally:
        document.close()
    return rgba.convert("RGB"), rgba.getchannel("A")
