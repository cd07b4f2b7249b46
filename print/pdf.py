"""Draw laid-out pages on a reportlab canvas: vector QR paths, TrueType text, one copy of each logo."""

from __future__ import annotations

import hashlib
from io import BytesIO
from pathlib import Path

from reportlab.lib.colors import CMYKColor, HexColor, white
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import FILL_NON_ZERO, Canvas

from . import qr
from .layout import Code, Disc, Fill, Item, Line, Mark, Page, Words
from .logo import Logo
from .typesetting import faces

REGISTRATION = CMYKColor(1, 1, 1, 1)  # crop marks print on every plate
DRAW_TEXT = {"left": Canvas.drawString, "centre": Canvas.drawCentredString,
             "right": Canvas.drawRightString}


class PdfWriter:
    """One PDF document: add pages, then take the bytes or save; fonts and logos are stored once."""

    def __init__(self, path: Path | None = None, title: str = "") -> None:
        self._buffer = BytesIO() if path is None else None
        target = self._buffer if path is None else str(path)
        self.canvas = Canvas(target, invariant=1, pageCompression=1)
        self.canvas.setCreator("voxbox")
        if title:
            self.canvas.setTitle(title)
        self._forms: set[str] = set()
        self._colours: dict[str, HexColor] = {}

    def add(self, page: Page) -> None:
        """Draw page as the next page of the document."""
        c = self.canvas
        c.setPageSize((page.width * mm, page.height * mm))
        if page.bleed:
            t = page.trim
            c.setTrimBox([t.x * mm, t.y * mm, (t.x + t.w) * mm, (t.y + t.h) * mm])
            c.setBleedBox([0, 0, page.width * mm, page.height * mm])
        else:
            c.setTrimBox(None)
            c.setBleedBox(None)
        for item in page.items:
            self._draw(item)
        c.showPage()

    def data(self) -> bytes:
        """The finished document (in-memory writers only)."""
        assert self._buffer is not None, "this writer saves to a file"
        return self.canvas.getpdfdata()

    def save(self) -> None:
        """Write the finished document to its file."""
        self.canvas.save()

    def _colour(self, value: str) -> HexColor:
        if value not in self._colours:
            self._colours[value] = HexColor(value)
        return self._colours[value]

    def _draw(self, item: Item) -> None:
        c = self.canvas
        if isinstance(item, Words):
            c.setFillColor(self._colour(item.colour))
            c.setFont(faces()[item.bold].name, item.size_pt)
            DRAW_TEXT[item.align](c, item.x * mm, item.y * mm, item.text)
        elif isinstance(item, Code):
            c.setFillColor(self._colour(item.colour))
            c.addLiteral(qr.pdf_operators(item.symbol, item.x * mm, item.y * mm, item.module * mm))
        elif isinstance(item, Fill):
            c.setFillColor(self._colour(item.colour))
            b = item.box
            c.rect(b.x * mm, b.y * mm, b.w * mm, b.h * mm, stroke=0, fill=1)
        elif isinstance(item, Disc):
            c.setFillColor(self._colour(item.colour))
            c.circle(item.cx * mm, item.cy * mm, item.r * mm, stroke=0, fill=1)
            c.setFillColor(white)
            c.circle(item.cx * mm, item.cy * mm, (item.r - item.ring) * mm, stroke=0, fill=1)
        elif isinstance(item, Mark):
            self._mark(item)
        elif isinstance(item, Line):
            c.setStrokeColor(REGISTRATION)
            c.setLineWidth(item.width * mm)
            c.line(item.x1 * mm, item.y1 * mm, item.x2 * mm, item.y2 * mm)

    def _mark(self, mark: Mark) -> None:
        c, b = self.canvas, mark.box
        if mark.backing is not None:
            k = mark.backing
            c.setFillColor(white)
            c.rect(k.x * mm, k.y * mm, k.w * mm, k.h * mm, stroke=0, fill=1)
        if not mark.logo.vector:
            # reportlab keys images by file, so a logo on every page is stored once per document
            c.drawImage(str(mark.logo.path), b.x * mm, b.y * mm, b.w * mm, b.h * mm, mask="auto")
            return
        name = self._form(mark.logo)
        c.saveState()
        c.translate(b.x * mm, b.y * mm)
        c.scale(b.w * mm / mark.logo.width, b.h * mm / mark.logo.height)
        c.doForm(name)
        c.restoreState()

    def _form(self, logo: Logo) -> str:
        """A form XObject holding an SVG logo's shapes, made once per document."""
        name = "logo" + hashlib.sha1(str(logo.path).encode()).hexdigest()[:12]
        if name in self._forms:
            return name
        c = self.canvas
        c.beginForm(name, 0, 0, logo.width, logo.height)
        for shape in logo.shapes:
            c.setFillColor(self._colour(shape.colour))
            path = c.beginPath()
            for outline in shape.outlines:
                (x, y), *rest = outline
                path.moveTo(x, logo.height - y)
                for x, y in rest:
                    path.lineTo(x, logo.height - y)
                path.close()
            c.drawPath(path, stroke=0, fill=1, fillMode=FILL_NON_ZERO)
        c.endForm()
        self._forms.add(name)
        return name
