"""Charts drawn on the server as inline SVG: no JavaScript, no CDN, readable without colour.

Each chart has a title for screen readers; the same figures are always in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

#: Fill colours for up to four series, dark enough on white, told apart by their labels too.
PALETTE = ("#1d3557", "#2a7f62", "#b35c00", "#6b3fa0")


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _legend(series: Sequence[tuple[str, Sequence[int]]], y: float) -> list[str]:
    parts, x = [], 0.0
    for i, (name, _values) in enumerate(series):
        parts.append(f'<rect x="{_fmt(x)}" y="{_fmt(y)}" width="12" height="12" '
                     f'fill="{PALETTE[i % len(PALETTE)]}"/>'
                     f'<text x="{_fmt(x + 16)}" y="{_fmt(y + 11)}">{escape(name)}</text>')
        x += 24 + 8 * len(name)
    return parts


def hbars(title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]],
          width: int = 640) -> Markup:
    """Horizontal grouped bars: one group per label, one bar per series (e.g. a funnel)."""
    label_w, bar_h, gap = 190, 14, 10
    group_h = bar_h * len(series) + gap
    top = 24
    height = top + group_h * len(labels) + 10
    peak = max([v for _n, values in series for v in values] + [1])
    room = width - label_w - 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(title)}</title>',
             '<g font-size="12" fill="#0b0c0c">', *_legend(series, 0)]
    for g, label in enumerate(labels):
        y0 = top + g * group_h
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(f'<text x="0" y="{_fmt(y0 + group_h / 2)}">{escape(short)}</text>')
        for s, (_name, values) in enumerate(series):
            w = room * values[g] / peak
            y = y0 + s * bar_h
            parts.append(f'<rect x="{label_w}" y="{_fmt(y)}" width="{_fmt(w)}" height="{bar_h - 2}" '
                         f'fill="{PALETTE[s % len(PALETTE)]}"/>'
                         f'<text x="{_fmt(label_w + w + 4)}" y="{_fmt(y + bar_h - 3)}">{values[g]}</text>')
    parts.append("</g></svg>")
    return Markup("".join(parts))


def columns(title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]],
            width: int = 640, height: int = 220) -> Markup:
    """Vertical grouped columns over time (e.g. per day), labelling every few days."""
    left, top, bottom = 36, 24, 28
    plot_w, plot_h = width - left - 4, height - top - bottom
    n = max(len(labels), 1)
    slot = plot_w / n
    bar_w = max(slot / (len(series) + 1), 0.5)
    peak = max([v for _n, values in series for v in values] + [1])
    every = max(1, round(n / 8))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(title)}</title>',
             '<g font-size="11" fill="#0b0c0c">', *_legend(series, 0),
             f'<text x="0" y="{top + 10}">{peak}</text><text x="0" y="{top + plot_h}">0</text>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width}" y2="{top + plot_h}" stroke="#505a5f"/>']
    for i, label in enumerate(labels):
        x0 = left + i * slot
        for s, (_name, values) in enumerate(series):
            h = plot_h * values[i] / peak
            parts.append(f'<rect x="{_fmt(x0 + s * bar_w)}" y="{_fmt(top + plot_h - h)}" '
                         f'width="{_fmt(bar_w)}" height="{_fmt(h)}" fill="{PALETTE[s % len(PALETTE)]}"/>')
        if i % every == 0:
            parts.append(f'<text x="{_fmt(x0)}" y="{height - 8}">{escape(label)}</text>')
    parts.append("</g></svg>")
    return Markup("".join(parts))
