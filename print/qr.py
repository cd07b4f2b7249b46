"""QR codes as vector artwork: encode once, merge dark modules into rectangles, draw one path."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q

_LEVELS = {"L": ERROR_CORRECT_L, "M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q, "H": ERROR_CORRECT_H}


@dataclass(frozen=True)
class Symbol:
    """An encoded QR symbol without its quiet zone; rects are (x, y, w, h) in modules from top-left."""

    text: str
    level: str
    version: int
    size: int
    rects: tuple[tuple[int, int, int, int], ...]
    rows: tuple[bytes, ...]  # one byte per module, 0 dark, 255 light: ready for a greyscale image


@lru_cache(maxsize=4096)
def encode(text: str, level: str = "Q") -> Symbol:
    """Encode text at error-correction level L, M, Q or H (cached: batches draw each code twice)."""
    code = qrcode.QRCode(error_correction=_LEVELS[level], border=0)
    code.add_data(text, optimize=0)
    code.make(fit=True)
    # qrcode types a module not yet placed as None; after make() every one is dark or light
    modules = [[bool(dark) for dark in row] for row in code.modules]
    rows = tuple(bytes(0 if dark else 255 for dark in row) for row in modules)
    return Symbol(text, level, code.version, len(modules), merge_rects(modules), rows)


def merge_rects(modules: list[list[bool]]) -> tuple[tuple[int, int, int, int], ...]:
    """Cover the dark modules with few rectangles: horizontal runs, stacked when rows repeat them."""
    done: list[list[int]] = []
    open_runs: dict[tuple[int, int], list[int]] = {}
    for y, row in enumerate(modules):
        runs: dict[tuple[int, int], list[int]] = {}
        x, n = 0, len(row)
        while x < n:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < n and row[x]:
                x += 1
            key = (start, x - start)
            rect = open_runs.pop(key, None)
            if rect is None:
                rect = [start, y, x - start, 0]
            rect[3] += 1
            runs[key] = rect
        done.extend(open_runs.values())
        open_runs = runs
    done.extend(open_runs.values())
    done.sort(key=lambda r: (r[1], r[0]))
    return tuple((x, y, w, h) for x, y, w, h in done)


def pdf_operators(symbol: Symbol, x: float, y: float, module: float) -> str:
    """PDF path operators filling every dark module; (x, y) is the symbol's bottom-left in points."""
    top = y + symbol.size * module
    parts = [
        f"{x + rx * module:.3f} {top - (ry + rh) * module:.3f} {rw * module:.3f} {rh * module:.3f} re"
        for rx, ry, rw, rh in symbol.rects
    ]
    parts.append("f")
    return "\n".join(parts)


def svg_path_data(symbol: Symbol) -> str:
    """SVG path data in module units, one subpath per rectangle."""
    return "".join(f"M{x} {y}h{w}v{h}h-{w}z" for x, y, w, h in symbol.rects)


def mask(symbol: Symbol, pixels: int) -> Image.Image:
    """A pixels-square greyscale mask: 255 where a module is dark (for Image.paste)."""
    size = symbol.size
    image = Image.frombytes("L", (size, size), b"".join(symbol.rows))
    image = image.point(lambda v: 255 - v)
    return image.resize((pixels, pixels), Image.Resampling.NEAREST)
