"""Draw laid-out pages as PDF/X: CMYK throughout, K-only black, embedded fonts, boxes and intent."""

from __future__ import annotations

import copy
import hashlib
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from PIL import Image
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import STATE_DEFAULTS, Drawing, Group, Shape
from reportlab.lib.colors import CMYKColor, Color
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from print import qr
from print.colour import cmyk, cmyk_image
from print.layout import Code, Disc, Fill, Item, Line, Mark, Page, Words
from print.logo import Logo
from print.pdfx import new_canvas
from print.typesetting import faces

REGISTRATION = CMYKColor(1, 1, 1, 1)  # only where a printer asks for marks on every plate
K_ONLY = CMYKColor(0, 0, 0, 1)
PAPER = CMYKColor(0, 0, 0, 0)
DRAW_TEXT = {"left": Canvas.drawString, "centre": Canvas.drawCentredString,
             "right": Canvas.drawRightString}


class PdfWriter:
    """One PDF/X document: add pages, then take the bytes or save; fonts and logos stored once."""

    def __init__(self, path: Path | None = None, title: str = "", level: str = "x4",
                 registration_marks: bool = False) -> None:
        self._buffer = BytesIO() if path is None else None
        target = self._buffer if self._buffer is not None else str(path)
        self.canvas = new_canvas(target, title, level)
        self._forms: set[str] = set()
        self._marks = REGISTRATION if registration_marks else K_ONLY

    def add(self, page: Page) -> None:
        """Draw page as the next page of the document, with its TrimBox and BleedBox."""
        c = self.canvas
        c.setPageSize((page.width * mm, page.height * mm))
        t, b = page.trim, page.bleed_box
        c.setTrimBox([t.x * mm, t.y * mm, (t.x + t.w) * mm, (t.y + t.h) * mm])
        c.setBleedBox([b.x * mm, b.y * mm, (b.x + b.w) * mm, (b.y + b.h) * mm])
        for item in page.items:
            self._draw(item)
        c.showPage()

    def add_with(self, page: Page, inset: Page, at: tuple[float, float], scale: float) -> None:
        """Draw page with another page drawn inside it at (x, y) mm and scale (a proof)."""
        c = self.canvas
        c.setPageSize((page.width * mm, page.height * mm))
        t = page.trim
        c.setTrimBox([t.x * mm, t.y * mm, (t.x + t.w) * mm, (t.y + t.h) * mm])
        c.setBleedBox([t.x * mm, t.y * mm, (t.x + t.w) * mm, (t.y + t.h) * mm])
        for item in page.items:
            self._draw(item)
        c.saveState()
        c.translate(at[0] * mm, at[1] * mm)
        c.scale(scale, scale)
        c.setStrokeColor(K_ONLY)
        c.setLineWidth(0.2 * mm / scale)
        c.rect(0, 0, inset.width * mm, inset.height * mm, stroke=1, fill=0)
        for item in inset.items:
            self._draw(item)
        c.restoreState()
        c.showPage()

    def data(self) -> bytes:
        """The finished document (in-memory writers only)."""
        assert self._buffer is not None, "this writer saves to a file"
        return self.canvas.getpdfdata()

    def save(self) -> None:
        """Write the finished document to its file."""
        self.canvas.save()

    def _draw(self, item: Item) -> None:
        c = self.canvas
        if isinstance(item, Words):
            c.setFillColor(_ink(item.colour))
            c.setFont(faces()[item.bold].name, item.size_pt)
            DRAW_TEXT[item.align](c, item.x * mm, item.y * mm, item.text)
        elif isinstance(item, Code):
            c.setFillColor(_ink(item.colour))
            c.addLiteral(qr.pdf_operators(item.symbol, item.x * mm, item.y * mm, item.module * mm))
        elif isinstance(item, Fill):
            c.setFillColor(_ink(item.colour))
            b = item.box
            c.rect(b.x * mm, b.y * mm, b.w * mm, b.h * mm, stroke=0, fill=1)
        elif isinstance(item, Disc):
            c.setFillColor(_ink(item.colour))
            c.circle(item.cx * mm, item.cy * mm, item.r * mm, stroke=0, fill=1)
            c.setFillColor(PAPER)
            c.circle(item.cx * mm, item.cy * mm, (item.r - item.ring) * mm, stroke=0, fill=1)
        elif isinstance(item, Mark):
            self._mark(item)
        elif isinstance(item, Line):
            c.setStrokeColor(self._marks)
            c.setLineWidth(item.width * mm)
            c.line(item.x1 * mm, item.y1 * mm, item.x2 * mm, item.y2 * mm)

    def _mark(self, mark: Mark) -> None:
        c, b = self.canvas, mark.box
        if mark.backing is not None:
            k = mark.backing
            c.setFillColor(PAPER)
            c.rect(k.x * mm, k.y * mm, k.w * mm, k.h * mm, stroke=0, fill=1)
        if not mark.logo.vector:
            c.drawImage(_raster(mark.logo), b.x * mm, b.y * mm, b.w * mm, b.h * mm)
            return
        name = self._form(mark.logo)
        c.saveState()
        c.translate(b.x * mm, b.y * mm)
        c.scale(b.w * mm / mark.logo.width, b.h * mm / mark.logo.height)
        c.doForm(name)
        c.restoreState()

    def _form(self, logo: Logo) -> str:
        """A form XObject holding an SVG logo as drawn by svglib, in CMYK, made once per file."""
        name = "logo" + hashlib.sha1(f"{logo.path}{logo.stamp}".encode()).hexdigest()[:12]
        if name in self._forms:
            return name
        c = self.canvas
        c.beginForm(name, 0, 0, logo.width, logo.height)
        renderPDF.draw(cmyk_drawing(logo), c, 0, 0, showBoundary=False)
        c.endForm()
        self._forms.add(name)
        return name


def _ink(colour: str) -> CMYKColor:
    return CMYKColor(*cmyk(colour))


@lru_cache(maxsize=16)
def _raster(logo: Logo) -> ImageReader:
    """A raster logo converted once to CMYK on white (reportlab then stores it once a file)."""
    with Image.open(logo.path) as source:
        return ImageReader(cmyk_image(source))


@lru_cache(maxsize=16)
def cmyk_drawing(logo: Logo) -> Drawing:
    """A copy of an SVG logo's drawing with every fill and stroke converted to CMYK."""
    drawing = copy.deepcopy(logo.drawing)
    assert drawing is not None  # only vector logos are drawn as forms
    # renderPDF starts from reportlab's state defaults (Helvetica, RGB black) unless the drawing
    # names its own; set through __dict__ as reportlab's attribute checks know only some of them
    for key, value in STATE_DEFAULTS.items():
        if isinstance(value, Color):
            drawing.__dict__["initial" + key[0].upper() + key[1:]] = _cmyk_colour(value)
    drawing.initialFontName = faces()[False].name  # type: ignore[attr-defined]  # renderPDF reads it; not in the stubs
    _to_cmyk(drawing)
    return drawing


def _cmyk_colour(value: Color) -> CMYKColor:
    c, m, y, k = cmyk("#" + value.hexval()[2:].rjust(6, "0"))
    return CMYKColor(c, m, y, k, alpha=value.alpha)


def _to_cmyk(node: object) -> None:
    if hasattr(node, "fontName"):
        # svglib's default and any font an SVG names would be unembedded base-14 fonts
        node.fontName = faces()[False].name
    for name in ("fillColor", "strokeColor"):
        value = getattr(node, name, None)
        if isinstance(value, Color) and not isinstance(value, CMYKColor):
            setattr(node, name, _cmyk_colour(value))
    if isinstance(node, Group):
        for child in node.contents:
            _to_cmyk(child)
    elif not isinstance(node, Shape):
        return
