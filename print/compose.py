"""Poster pages: a title band, the call to action, the biggest QR code that fits, the fallbacks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from print.formats import QUIET_ZONE_MODULES
from print.layout import (
    Box,
    Code,
    Disc,
    Fill,
    Item,
    Mark,
    Page,
    Words,
    blank_page,
    check_resolution,
    check_size,
    crop_marks,
    fit_box,
    logo_on_code,
    paper_edge,
    pt,
    smallest_side,
)
from print.logo import Logo, load
from print.qr import Symbol, encode
from print.spec import Bilingual, PosterError, PosterSpec
from print.typesetting import CODE, break_url, closing_line, width_mm, wrap

SCALES = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4)  # text shrinks in these steps to make room for the code
COMFORT = 1.2  # shrink text until the code is this much over the minimum, when it can be
LINE = 1.25  # line height over font size
BASELINE = 0.95  # baseline below the top of its line, over font size
WHITE = "#ffffff"


@dataclass(frozen=True)
class Line:
    """A line of text before placement; size in mm."""

    text: str
    size: float
    bold: bool
    colour: str

    @property
    def height(self) -> float:
        """The line's share of the column."""
        return self.size * LINE

    @property
    def width(self) -> float:
        """The line's advance width in mm."""
        return width_mm(self.text, pt(self.size), self.bold)


@dataclass(frozen=True)
class Plan:
    """A layout at one text scale: the biggest QR block that fits and how to place a block."""

    block_max: float
    place: Callable[[float], list[Item]]


def compose_poster(spec: PosterSpec, bleed: bool) -> Page:
    """Lay out a poster or cutout page for spec."""
    page = blank_page(spec, bleed)
    symbol = encode(spec.url, spec.level)
    logo = load(spec.logo) if spec.logo else None
    round_panel = spec.fmt.kind == "cutout" and spec.cutout_shape == "round"
    planner = _round if round_panel else _rect
    quiet = (symbol.size + 2 * QUIET_ZONE_MODULES) / symbol.size
    forced = None if spec.qr_size_mm is None else spec.qr_size_mm * quiet
    need = forced or smallest_side(spec.fmt, symbol) * quiet
    plans = [planner(page, spec, symbol, logo, scale) for scale in SCALES[:1]]
    while plans[-1].block_max < need * (1 if forced else COMFORT) and len(plans) < len(SCALES):
        plans.append(planner(page, spec, symbol, logo, SCALES[len(plans)]))
    # the largest text that leaves a comfortable code, else one that passes, else the biggest code
    passing = [p for p in plans if p.block_max >= need]
    comfortable = plans[-1] if plans[-1].block_max >= need * COMFORT else None
    plan = comfortable or (passing[0] if passing else max(plans, key=lambda p: p.block_max))
    if forced is not None and plan.block_max < forced:
        raise PosterError(f"a {spec.qr_size_mm:g} mm QR code does not fit on {spec.format}: "
                          f"at most {max(plan.block_max / quiet, 0):.0f} mm")
    block = forced or plan.block_max
    if block <= 0:
        raise PosterError(f"the text leaves no room for the QR code on {spec.format}: "
                          "shorten the title or call to action")
    page.items.extend(plan.place(block))
    code = next(i for i in page.items if isinstance(i, Code))
    page.notes.extend(check_size(spec, spec.fmt, code))
    if logo is not None and spec.logo_on_qr:
        page.items.append(logo_on_code(code, logo))
    for mark in (i for i in page.items if isinstance(i, Mark)):
        page.notes.extend(check_resolution(spec, mark))
    if bleed:
        page.items.extend(crop_marks(page))
    return page


def _lines(text: str, size: float, bold: bool, colour: str, width: float) -> list[Line]:
    lines = []
    for part in wrap(text, pt(size), width, bold):
        fitted = min(size, size * width / max(width_mm(part, pt(size), bold), 1e-9))
        lines.append(Line(part, fitted, bold, colour))
    return lines


def _bilingual(spec: PosterSpec, text: Bilingual | None, size: float, colour: str,
               width: float) -> list[Line]:
    """Both languages at one size and weight (Welsh Language Standards: not less favourable):
    a line that must shrink to fit makes the other language shrink with it."""
    lines = [ln for _, part in spec.lines(text) for ln in _lines(part, size, True, colour, width)]
    if not lines:
        return lines
    common = min(ln.size for ln in lines)
    return [Line(ln.text, common, True, ln.colour) for ln in lines]


def _blocks(spec: PosterSpec, u: float, width: float, title_colour: str,
            cta_colour: str) -> tuple[list[Line], list[Line], list[Line]]:
    """Title, call-to-action and footer lines at unit size u (mm)."""
    title = _bilingual(spec, spec.title, 6.25 * u, title_colour, width)
    cta = _bilingual(spec, spec.call_to_action, 4.5 * u, cta_colour, width)
    size = 4.5 * u
    url = break_url(spec.short_url, pt(size), width)
    footer = [ln for part in url for ln in _lines(part, size, True, spec.ink, width)]
    labels = " / ".join(CODE[lang] for lang in spec.langs)
    footer += _lines(f"{labels}: {spec.code}", 3.2 * u, False, spec.ink, width)
    if spec.closes is not None:
        for lang in spec.langs:
            footer += _lines(closing_line(spec.closes, lang), 3.2 * u, False, spec.ink, width)
    for _, name in spec.lines(spec.organisation):
        footer += _lines(name, 3.2 * u, True, spec.ink, width)
    return title, cta, footer


def _logo_height(logo: Logo | None, spec: PosterSpec, u: float, width: float) -> float:
    if logo is None or spec.logo_on_qr:
        return 0.0
    return min(9 * u, width * 0.4 / logo.aspect)


def _place(lines: list[Line], cx: float, top: float) -> tuple[list[Item], float]:
    """Centre lines on cx from top down; returns the words and the bottom of the last line."""
    words: list[Item] = []
    for line in lines:
        words.append(Words(cx, top - line.size * BASELINE, line.text, pt(line.size), line.bold,
                           line.colour))
        top -= line.height
    return words, top


def _height(lines: list[Line]) -> float:
    return sum(line.height for line in lines)


def _code(spec: PosterSpec, symbol: Symbol, cx: float, cy: float, block: float) -> Code:
    module = block / (symbol.size + 2 * QUIET_ZONE_MODULES)
    side = module * symbol.size
    return Code(cx - side / 2, cy - side / 2, module, symbol, spec.ink)


def _rect(page: Page, spec: PosterSpec, symbol: Symbol, logo: Logo | None, s: float) -> Plan:
    """A rectangular page: title band across the top, code in the middle, fallbacks below."""
    t, (ix, iy), m = page.trim, spec.visible_inset, spec.fmt.margin_mm
    safe = Box(t.x + ix + m, t.y + iy + m, t.w - 2 * (ix + m), t.h - 2 * (iy + m))
    u = min(safe.w, safe.h / 2 ** 0.5) / 100 * s  # text sized as on an A-series page
    gap, pad = 3 * u, 2.5 * u
    title, cta, footer = _blocks(spec, u, safe.w, WHITE, spec.primary)
    logo_h = _logo_height(logo, spec, u, safe.w)
    band_bottom = safe.top - 2 * pad - _height(title)
    footer_top = safe.y + _height(footer) + (logo_h + gap if logo_h else 0)
    room_top = band_bottom - gap - _height(cta) - gap
    block_max = min(safe.w, room_top - footer_top - gap)
    cx = safe.x + safe.w / 2

    def place(block: float) -> list[Item]:
        edge = paper_edge(page)
        items: list[Item] = [Fill(Box(edge.x, band_bottom, edge.w, edge.top - band_bottom),
                                  spec.primary)]
        words, _ = _place(title, cx, safe.top - pad)
        items += words
        words, _ = _place(cta, cx, band_bottom - gap)
        items += words
        middle = (room_top + footer_top + gap) / 2
        items.append(_code(spec, symbol, cx, middle, block))
        words, _ = _place(footer, cx, footer_top)
        items += words
        if logo is not None and logo_h:
            box = fit_box(Box(safe.x, safe.y, safe.w, logo_h), logo.aspect)
            items.append(Mark(box, logo))
        return items

    return Plan(block_max, place)


def _round(page: Page, spec: PosterSpec, symbol: Symbol, logo: Logo | None, s: float) -> Plan:
    """A round panel: everything stacked on the centre line, each line inside the circle."""
    t = page.trim
    cx, cy, r = t.x + t.w / 2, t.y + t.h / 2, t.w / 2
    ring = 0.02 * t.w
    radius = r - ring - spec.fmt.margin_mm
    u = 2 * radius / 100 * s
    gap = 2.5 * u
    title, cta, footer = _blocks(spec, u, 1.5 * radius, spec.primary, spec.ink)
    logo_h = _logo_height(logo, spec, u, radius)
    above, below = title + cta, footer

    def stack(block: float) -> list[tuple[float, float, float]]:
        """(top, bottom, width) of each row relative to the centre, the stack centred."""
        rows: list[tuple[float, float]] = [(ln.height, ln.width) for ln in above]
        rows += [(gap, 0), (block, block), (gap, 0)]
        rows += [(ln.height, ln.width) for ln in below]
        if logo_h and logo is not None:  # a logo height means a logo
            rows += [(gap, 0), (logo_h, logo_h * logo.aspect)]
        top = sum(h for h, _ in rows) / 2
        out = []
        for h, w in rows:
            out.append((top, top - h, w))
            top -= h
        return out

    def fits(block: float) -> bool:
        return all((w / 2) ** 2 + max(a * a, b * b) <= radius * radius
                   for a, b, w in stack(block) if w)

    lo, hi = 0.0, 2 * radius
    if not fits(lo):
        lo = hi = -1.0
    for _ in range(40):
        if hi - lo < 0.01:
            break
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if fits(mid) else (lo, mid)

    def place(block: float) -> list[Item]:
        rows = stack(block)
        items: list[Item] = [Disc(cx, cy, r, ring, spec.primary)]
        words, _ = _place(above, cx, cy + rows[0][0])
        items += words
        qr_top = rows[len(above) + 1][0]
        items.append(_code(spec, symbol, cx, cy + qr_top - block / 2, block))
        words, bottom = _place(below, cx, cy + rows[len(above) + 3][0])
        items += words
        if logo is not None and logo_h:
            box = fit_box(Box(cx - radius, bottom - gap - logo_h, 2 * radius, logo_h), logo.aspect)
            items.append(Mark(box, logo))
        return items

    return Plan(lo, place)
