"""Read rendered posters back with real tools: pdfium rasterises and extracts, zxing-cpp decodes."""

from __future__ import annotations

import ctypes
from io import BytesIO

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import zxingcpp
from PIL import Image

MM_PER_PT = 25.4 / 72


def page_count(pdf: bytes) -> int:
    """How many pages the PDF has."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def page_size_mm(pdf: bytes, index: int = 0) -> tuple[float, float]:
    """The media size of a page in mm."""
    doc = pdfium.PdfDocument(pdf)
    try:
        width, height = doc[index].get_size()
        return width * MM_PER_PT, height * MM_PER_PT
    finally:
        doc.close()


def boxes_mm(pdf: bytes, index: int = 0) -> dict[str, tuple[float, ...]]:
    """The page's trim and bleed boxes in mm."""
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[index]
        return {name: tuple(v * MM_PER_PT for v in getattr(page, f"get_{name}box")())
                for name in ("trim", "bleed", "media")}
    finally:
        doc.close()


def rasterise(pdf: bytes, width_px: int = 1000, index: int = 0, mode: str = "L") -> Image.Image:
    """A page rendered so that it is width_px wide (large formats stay cheap), greyscale."""
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[index]
        return page.render(scale=width_px / page.get_width()).to_pil().convert(mode)
    finally:
        doc.close()


def positions(image: Image.Image) -> list[tuple[str, int, int]]:
    """Each QR code found: its text and the x and y of its top-left corner in pixels."""
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return [(b.text, b.position.top_left.x, b.position.top_left.y) for b in found]


def qr_width_px(image: Image.Image) -> float:
    """The width of the first QR code found, in pixels (finder pattern edge to edge)."""
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)[0].position
    return ((found.top_right.x - found.top_left.x) ** 2
            + (found.top_right.y - found.top_left.y) ** 2) ** 0.5


def decoded(image: Image.Image) -> list[str]:
    """The text of every QR code zxing-cpp finds in the image."""
    return [b.text for b in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def text(pdf: bytes, index: int = 0) -> str:
    """The page's extractable text with runs of whitespace made single spaces."""
    doc = pdfium.PdfDocument(pdf)
    try:
        textpage = doc[index].get_textpage()
        return " ".join(textpage.get_text_range().split())
    finally:
        doc.close()


def object_types(pdf: bytes, index: int = 0) -> list[int]:
    """The type of every page object, looking inside form XObjects."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return [obj.type for obj in doc[index].get_objects(max_depth=5)]
    finally:
        doc.close()


def image_count(pdf: bytes, index: int = 0) -> int:
    """How many raster images a page draws."""
    return object_types(pdf, index).count(pdfium_c.FPDF_PAGEOBJ_IMAGE)


def png_image(data: bytes) -> Image.Image:
    """A PNG's pixels, greyscale."""
    return Image.open(BytesIO(data)).convert("L")


def text_runs(pdf: bytes, index: int = 0) -> list[tuple[str, float, bool]]:
    """Each text object on a page as drawn: its text, its size in points, and whether its font
    is bold (weight 600 or more), read by pdfium from the PDF itself."""
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[index]
        textpage = page.get_textpage()
        runs = []
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
            n = pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
            buffer = ctypes.create_string_buffer(n)
            pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw,
                                         ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), n)
            text = buffer.raw.decode("utf-16-le").rstrip("\x00")
            size = ctypes.c_float()
            pdfium_c.FPDFTextObj_GetFontSize(obj.raw, ctypes.byref(size))
            matrix = obj.get_matrix()
            weight = pdfium_c.FPDFFont_GetWeight(pdfium_c.FPDFTextObj_GetFont(obj.raw))
            runs.append((text, round(size.value * matrix.a, 2), weight >= 600))
        return runs
    finally:
        doc.close()
