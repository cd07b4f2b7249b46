"""Sticker sheets: an A4 grid of labels, each with its own QR code, short URL and tracking code."""

from __future__ import annotations

from .formats import QUIET_ZONE_MODULES, STICKER_PADDING_MM
from .layout import Box, Code, Item, Page, Words, blank_page, check_size, crop_marks, pt
from .qr import encode
from .spec import PosterSpec, short_url
from .typesetting import break_url, width_mm, wrap

PRINTER_EDGE_MM = 4.0  # keep the symbol this far inside a label: sheet-fed printers lose the edge
SIZES_PT = tuple(x / 2 for x in range(16, 7, -1))  # 8 pt down to 4 pt
LINE = 1.2
MIN_URL_PT = 4.5  # below this a one-line URL is hard to read: break it after a slash instead


def compose_sheets(spec: PosterSpec, bleed: bool) -> list[Page]:
    """One page per sheet of rows x cols labels; labels beyond a sheet start another."""
    labels = spec.labels()
    per_sheet = spec.sticker_rows * spec.sticker_cols
    pages = []
    for start in range(0, len(labels), per_sheet):
        page = blank_page(spec, bleed)
        t = page.trim
        w, h = t.w / spec.sticker_cols, t.h / spec.sticker_rows
        for i, (url, code) in enumerate(labels[start:start + per_sheet]):
            row, col = divmod(i, spec.sticker_cols)
            box = Box(t.x + col * w, t.top - (row + 1) * h, w, h)
            page.items.extend(_label(spec, box, url, code))
        if bleed:
            page.items.extend(crop_marks(page))
        pages.append(page)
    return pages


def _label(spec: PosterSpec, box: Box, url: str, code_text: str) -> list[Item]:
    """A QR code on the left (its quiet zone may reach the label's edge), text on the right."""
    symbol = encode(url, "Q")
    block = min(box.h, box.w * 0.6)
    n = symbol.size
    side = min(block * n / (n + 2 * QUIET_ZONE_MODULES), block - 2 * PRINTER_EDGE_MM)
    module = side / n
    code = Code(box.x + (block - side) / 2, box.y + (box.h - side) / 2, module, symbol, spec.ink)
    check_size(spec, spec.fmt, code)
    items: list[Item] = [code]
    x = box.x + block
    width = box.w - block - STICKER_PADDING_MM
    if width <= 0:
        return items
    lines = _fit(spec, url, code_text, width, box.h - 2 * STICKER_PADDING_MM)
    top = box.y + (box.h + sum(size for _, size, _, _ in lines) / pt(1) * LINE) / 2
    for text, size, bold, colour in lines:
        size_mm = size / pt(1)
        top -= size_mm * LINE
        items.append(Words(x, top + size_mm * 0.25, text, size, bold, colour, "left"))
    return items


def _fit(spec: PosterSpec, url: str, code: str, width: float,
         height: float) -> list[tuple[str, float, bool, str]]:
    """The label's lines at the largest size that fits; drop the extra language if none does."""
    for full in (True, False):
        for size in SIZES_PT:
            lines = _lines(spec, url, code, size, width, full)
            tall = sum(s for _, s, _, _ in lines) / pt(1) * LINE
            wide = all(width_mm(t, s, b) <= width for t, s, b, _ in lines)
            if tall <= height and wide:
                return lines
    return lines


def _lines(spec: PosterSpec, url: str, code: str, size: float, width: float,
           full: bool) -> list[tuple[str, float, bool, str]]:
    titles = spec.lines(spec.title)[: 2 if full else 1]
    lines = [(t, size, i == 0, spec.primary) for i, (_, text) in enumerate(titles)
             for t in wrap(text, size, width, i == 0)]
    if full:
        ctas = spec.lines(spec.call_to_action)[:1]
        lines += [(t, size * 0.85, True, spec.ink) for _, text in ctas
                  for t in wrap(text, size * 0.85, width, True)]
    small = size * 0.85
    text = short_url(url)
    fitted = min(small, small * width / width_mm(text, small, True))
    if fitted >= MIN_URL_PT:
        lines.append((text, fitted, True, spec.ink))
    else:
        lines += [(part, small, True, spec.ink) for part in break_url(text, small, width)]
    lines.append((code, small, False, spec.ink))
    return lines

