"""Draw a laid-out page as SVG in millimetre units, for the web and social media."""

from __future__ import annotations

import base64
from xml.sax.saxutils import escape, quoteattr

from print import qr
from print.layout import Code, Disc, Fill, Item, Line, Mark, Page, Words
from print.typesetting import PT_PER_MM

FONT_FAMILY = "'DejaVu Sans', Verdana, Arial, sans-serif"
ANCHOR = {"left": "start", "centre": "middle", "right": "end"}
MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def render(page: Page) -> str:
    """The page as a standalone SVG document."""
    w, h = _n(page.width), _n(page.height)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}mm" height="{h}mm" '
        f'viewBox="0 0 {w} {h}">',
        f'<rect width="{w}" height="{h}" fill="#ffffff"/>',
    ]
    parts.extend(_item(item, page.height) for item in page.items)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _n(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _item(item: Item, height: float) -> str:
    if isinstance(item, Words):
        weight = ' font-weight="bold"' if item.bold else ""
        return (f'<text x="{_n(item.x)}" y="{_n(height - item.y)}" '
                f'font-family="{FONT_FAMILY}" font-size="{_n(item.size_pt / PT_PER_MM)}"'
                f'{weight} fill="{item.colour}" text-anchor="{ANCHOR[item.align]}">'
                f"{escape(item.text)}</text>")
    if isinstance(item, Code):
        top = height - item.y - item.side
        return (f'<path class="qr" transform="translate({_n(item.x)} {_n(top)}) '
                f'scale({item.module:.5f})" fill="{item.colour}" shape-rendering="crispEdges" '
                f'd="{qr.svg_path_data(item.symbol)}"/>')
    if isinstance(item, Fill):
        b = item.box
        return (f'<rect x="{_n(b.x)}" y="{_n(height - b.y - b.h)}" width="{_n(b.w)}" '
                f'height="{_n(b.h)}" fill="{item.colour}"/>')
    if isinstance(item, Disc):
        cx, cy = _n(item.cx), _n(height - item.cy)
        return (f'<circle cx="{cx}" cy="{cy}" r="{_n(item.r)}" fill="{item.colour}"/>'
                f'<circle cx="{cx}" cy="{cy}" r="{_n(item.r - item.ring)}" fill="#ffffff"/>')
    if isinstance(item, Mark):
        return _mark(item, height)
    if isinstance(item, Line):
        return (f'<line x1="{_n(item.x1)}" y1="{_n(height - item.y1)}" x2="{_n(item.x2)}" '
                f'y2="{_n(height - item.y2)}" stroke="#000000" stroke-width="{_n(item.width)}"/>')
    raise TypeError(f"cannot draw {item!r}")


def _mark(mark: Mark, height: float) -> str:
    b, logo = mark.box, mark.logo
    out = []
    if mark.backing is not None:
        k = mark.backing
        out.append(f'<rect x="{_n(k.x)}" y="{_n(height - k.y - k.h)}" width="{_n(k.w)}" '
                   f'height="{_n(k.h)}" fill="#ffffff"/>')
    x, y = _n(b.x), _n(height - b.y - b.h)
    # the logo file itself, as an image: an SVG logo stays the vector artwork it was
    mime = "image/svg+xml" if logo.vector else MIME[logo.path.suffix.lower()]
    data = base64.b64encode(logo.path.read_bytes()).decode("ascii")
    href = quoteattr(f"data:{mime};base64,{data}")
    out.append(f'<image x="{x}" y="{y}" width="{_n(b.w)}" height="{_n(b.h)}" '
               f'preserveAspectRatio="none" href={href}/>')
    return "".join(out)
