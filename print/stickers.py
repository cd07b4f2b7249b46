"""Sticker sheets on real label stock: each label its own QR code, call to action in both
languages, short URL and code, kept inside the label and the printer's reach."""

from __future__ import annotations

from print.formats import QUIET_ZONE_MODULES
from print.labels import A4, LABEL_PADDING_MM, PRINTER_EDGE_MM, Stock, stock
from print.layout import Box, Code, Item, Line, Page, Words, check_size, logo_on_code, pt
from print.logo import load
from print.qr import encode
from print.spec import PosterError, PosterSpec, short_url
from print.typesetting import break_url, width_mm, wrap

SIZES_PT = tuple(x / 2 for x in range(16, 7, -1))  # 8 pt down to 4 pt
LINE = 1.2
MIN_URL_PT = 4.5  # below this a one-line URL is hard to read: break it after a slash instead
GAP_MM = 1.5  # between the code's quiet zone and the text
OUTLINE_MM = 0.1


def compose_sheets(spec: PosterSpec) -> list[Page]:
    """One A4 page per sheet; the first starts at spec.start_label, labels beyond a sheet start
    another. Label stock prints as it is: no bleed, no crop marks."""
    template = stock(spec.sticker_template)
    if spec.logo and not spec.logo_on_qr:
        raise PosterError("a label has no room for a logo beside its code: use --logo-on-qr "
                          "to put it in the middle of the code, or leave --logo out")
    labels = spec.labels()
    slot = spec.start_label - 1
    pages: list[Page] = []
    for url, code in labels:
        if slot == template.count or not pages:
            pages.append(Page(*A4, Box(0, 0, *A4)))
            slot = slot % template.count
        x, y = template.origin(slot)
        label = Box(x, y, template.width, template.height)
        page = pages[-1]
        page.items.extend(_label(spec, page, template, label, url, code))
        slot += 1
    return pages


def alignment_page(name: str) -> Page:
    """A test page for plain paper: every label's outline and centre, to hold against a sheet."""
    template = stock(name)
    page = Page(*A4, Box(0, 0, *A4))
    for slot in range(template.count):
        x, y = template.origin(slot)
        w, h = template.width, template.height
        page.items += [Line(x, y, x + w, y, OUTLINE_MM), Line(x, y + h, x + w, y + h, OUTLINE_MM),
                       Line(x, y, x, y + h, OUTLINE_MM), Line(x + w, y, x + w, y + h, OUTLINE_MM),
                       Line(x + w / 2 - 3, y + h / 2, x + w / 2 + 3, y + h / 2, OUTLINE_MM),
                       Line(x + w / 2, y + h / 2 - 3, x + w / 2, y + h / 2 + 3, OUTLINE_MM)]
        page.items.append(Words(x + w / 2, y + h / 2 - 8, str(slot + 1), 8, False, "#000000"))
    page.items.append(Words(105, A4[1] - 8, f"Alignment test: {template.description}. Print at "
                            "100 % (no 'fit to page') on plain paper and hold it against a sheet.",
                            7, False, "#000000"))
    return page


def safe_area(template: Stock, label: Box) -> Box:
    """Where a label's content may go: its padding inside the cut, within the printer's reach."""
    inner = label.inset(LABEL_PADDING_MM)
    x0, y0 = max(inner.x, PRINTER_EDGE_MM), max(inner.y, PRINTER_EDGE_MM)
    x1 = min(inner.x + inner.w, A4[0] - PRINTER_EDGE_MM)
    y1 = min(inner.top, A4[1] - PRINTER_EDGE_MM)
    return Box(x0, y0, x1 - x0, y1 - y0)


def _label(spec: PosterSpec, page: Page, template: Stock, label: Box, url: str,
           code_text: str) -> list[Item]:
    """The code with its quiet zone at the left of the safe area, the text to its right."""
    safe = safe_area(template, label)
    symbol = encode(url, spec.level)
    n = symbol.size
    quiet = (n + 2 * QUIET_ZONE_MODULES) / n
    most = min(safe.h, safe.w * 0.6)
    block = most if spec.qr_size_mm is None else spec.qr_size_mm * quiet
    if block > most + 1e-9:
        raise PosterError(f"a {spec.qr_size_mm:g} mm QR code does not fit on a "
                          f"{template.name} label: at most {most / quiet:.1f} mm")
    module = block / (n + 2 * QUIET_ZONE_MODULES)
    side = module * n
    bottom = safe.y + (safe.h - block) / 2
    code = Code(safe.x + (block - side) / 2, bottom + (block - side) / 2, module, symbol,
                spec.ink)
    for note in check_size(spec, spec.fmt, code):
        if note not in page.notes:
            page.notes.append(note)
    items: list[Item] = [code]
    if spec.logo and spec.logo_on_qr:
        items.append(logo_on_code(code, load(spec.logo)))
    x = safe.x + block + GAP_MM
    width = safe.x + safe.w - x
    lines = _fit(spec, url, code_text, width, safe.h)
    top = safe.y + (safe.h + sum(size for _, size, _, _ in lines) / pt(1) * LINE) / 2
    for text, size, bold, colour in lines:
        size_mm = size / pt(1)
        top -= size_mm * LINE
        items.append(Words(x, top + size_mm * 0.25, text, size, bold, colour, "left"))
    return items


def _fit(spec: PosterSpec, url: str, code: str, width: float,
         height: float) -> list[tuple[str, float, bool, str]]:
    """The label's lines at the largest size that fits; the title goes before either language's
    call to action does."""
    for with_title in (True, False):
        for size in SIZES_PT:
            lines = _lines(spec, url, code, size, width, with_title)
            tall = sum(s for _, s, _, _ in lines) / pt(1) * LINE
            wide = all(width_mm(t, s, b) <= width + 1e-6 for t, s, b, _ in lines)
            if tall <= height and wide:
                return lines
    return lines  # an address too long for any size: set smallest, the code still carries it


def _lines(spec: PosterSpec, url: str, code: str, size: float, width: float,
           with_title: bool) -> list[tuple[str, float, bool, str]]:
    """Title and call to action in both languages at one size and weight, then URL and code."""
    lines: list[tuple[str, float, bool, str]] = []
    if with_title:
        lines += [(t, size, True, spec.primary) for _, text in spec.lines(spec.title)
                  for t in wrap(text, size, width, True)]
    lines += [(t, size, True, spec.ink) for _, text in spec.lines(spec.call_to_action)
              for t in wrap(text, size, width, True)]
    small = size * 0.85
    text = short_url(url)
    fitted = min(small, small * width / width_mm(text, small, True))
    if fitted >= MIN_URL_PT:
        lines.append((text, fitted, True, spec.ink))
    else:
        lines += [(part, small, True, spec.ink) for part in break_url(text, small, width)]
    lines.append((code, small, False, spec.ink))
    return lines
