"""SVG logos read into filled outlines: the common shapes, paths with curves and arcs, transforms."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from .spec import PosterError, hex_colour

Point = tuple[float, float]
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)
NUMBER = r"[-+]?(?:\d*\.\d+|\d+\.?)(?:[eE][-+]?\d+)?"
TOKEN = re.compile(rf"[MmLlHhVvCcSsQqTtAaZz]|{NUMBER}")
NAMED = {"black": "#000000", "white": "#ffffff", "red": "#ff0000", "green": "#008000",
         "blue": "#0000ff", "yellow": "#ffff00", "grey": "#808080", "gray": "#808080"}
SKIP = {"defs", "clipPath", "mask", "style", "text", "title", "desc", "metadata", "symbol"}
CURVE_STEPS = 12


@dataclass(frozen=True)
class Shape:
    """One filled SVG element: a colour and its closed outlines, in the logo's own units."""

    colour: str
    outlines: tuple[tuple[Point, ...], ...]


def read_svg(path: Path) -> tuple[float, float, tuple[Shape, ...]]:
    """The viewBox width and height of an SVG file and its filled shapes (strokes are ignored)."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise PosterError(f"logo {path.name} is not valid SVG: {exc}") from None
    x0, y0, width, height = _viewbox(root)
    shapes: list[Shape] = []
    _walk(root, (1, 0, 0, 1, -x0, -y0), "#000000", shapes)
    if not shapes or width <= 0 or height <= 0:
        raise PosterError(f"logo {path.name} has no filled shapes this reader understands")
    return width, height, tuple(shapes)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _length(value: str | None) -> float:
    match = re.match(NUMBER, (value or "").strip())
    return float(match.group()) if match else 0.0


def _viewbox(root: ET.Element) -> tuple[float, float, float, float]:
    box = root.get("viewBox")
    if box:
        x, y, w, h = (float(v) for v in re.findall(NUMBER, box)[:4])
        return x, y, w, h
    return 0.0, 0.0, _length(root.get("width")), _length(root.get("height"))


def _style(element: ET.Element, name: str) -> str | None:
    for item in (element.get("style") or "").split(";"):
        key, _, value = item.partition(":")
        if key.strip() == name:
            return value.strip()
    return element.get(name)


def _colour(value: str, inherited: str | None) -> str | None:
    value = value.strip()
    if value == "none":
        return None
    if value in ("inherit", "currentColor"):
        return inherited
    if value.startswith("rgb("):
        parts = [float(v) for v in re.findall(NUMBER, value)[:3]]
        return "#" + "".join(f"{round(min(max(v, 0), 255)):02x}" for v in parts)
    try:
        return hex_colour(NAMED.get(value.lower(), value))
    except PosterError:
        return inherited


def _walk(element: ET.Element, matrix: Matrix, fill: str | None, out: list[Shape]) -> None:
    tag = _local(element.tag)
    if tag in SKIP:
        return
    if element.get("transform"):
        matrix = _multiply(matrix, _transform(element.get("transform", "")))
    value = _style(element, "fill")
    if value is not None:
        fill = _colour(value, fill)
    outlines = _outlines(tag, element)
    if outlines and fill:
        out.append(Shape(fill, tuple(tuple(_apply(matrix, p) for p in o) for o in outlines)))
    for child in element:
        _walk(child, matrix, fill, out)


def _outlines(tag: str, e: ET.Element) -> list[list[Point]]:
    num = {k: _length(e.get(k)) for k in ("x", "y", "width", "height", "cx", "cy", "r", "rx", "ry")}
    if tag == "rect":
        x, y, w, h = num["x"], num["y"], num["width"], num["height"]
        return [[(x, y), (x + w, y), (x + w, y + h), (x, y + h)]]
    if tag in ("circle", "ellipse"):
        rx = num["r"] if tag == "circle" else num["rx"]
        ry = num["r"] if tag == "circle" else num["ry"]
        steps = 48
        return [[(num["cx"] + rx * math.cos(2 * math.pi * i / steps),
                  num["cy"] + ry * math.sin(2 * math.pi * i / steps)) for i in range(steps)]]
    if tag in ("polygon", "polyline"):
        values = [float(v) for v in re.findall(NUMBER, e.get("points", ""))]
        return [list(zip(values[::2], values[1::2], strict=False))]
    if tag == "path":
        return _path(e.get("d", ""))
    return []


def _path(d: str) -> list[list[Point]]:
    tokens = TOKEN.findall(d)
    outlines: list[list[Point]] = []
    current: list[Point] = []
    x = y = sx = sy = 0.0
    last_ctrl: Point | None = None
    command = ""
    i = 0

    def take(n: int) -> list[float]:
        nonlocal i
        values = [float(t) for t in tokens[i:i + n]]
        i += n
        return values

    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
        rel = command.islower()
        ox, oy = (x, y) if rel else (0.0, 0.0)
        op = command.upper()
        ctrl: Point | None = None
        if op == "Z":
            if current:
                outlines.append(current)
            current, x, y = [], sx, sy
            continue
        if i >= len(tokens) or tokens[i].isalpha():
            break  # a command without its numbers: stop rather than loop
        if op == "M":
            if current:
                outlines.append(current)
            a, b = take(2)
            x, y = sx, sy = ox + a, oy + b
            current = [(x, y)]
            command = "l" if rel else "L"
        elif op in ("L", "H", "V"):
            if op == "L":
                a, b = take(2)
                x, y = ox + a, oy + b
            elif op == "H":
                x = ox + take(1)[0]
            else:
                y = oy + take(1)[0]
            current.append((x, y))
        elif op in ("C", "S", "Q", "T"):
            if op == "C":
                v = take(6)
                c1, c2 = (ox + v[0], oy + v[1]), (ox + v[2], oy + v[3])
                end = (ox + v[4], oy + v[5])
            elif op == "S":
                v = take(4)
                c1 = _reflect(last_ctrl, (x, y))
                c2, end = (ox + v[0], oy + v[1]), (ox + v[2], oy + v[3])
            elif op == "Q":
                v = take(4)
                q, end = (ox + v[0], oy + v[1]), (ox + v[2], oy + v[3])
                c1, c2 = _quad_to_cubic((x, y), q, end)
                ctrl = q
            else:
                v = take(2)
                q, end = _reflect(last_ctrl, (x, y)), (ox + v[0], oy + v[1])
                c1, c2 = _quad_to_cubic((x, y), q, end)
                ctrl = q
            current.extend(_cubic((x, y), c1, c2, end))
            ctrl = ctrl or c2
            x, y = end
        elif op == "A":
            v = take(7)
            end = (ox + v[5], oy + v[6])
            current.extend(_arc((x, y), v[0], v[1], v[2], bool(v[3]), bool(v[4]), end))
            x, y = end
        last_ctrl = ctrl
    if current:
        outlines.append(current)
    return [o for o in outlines if len(o) > 2]


def _reflect(ctrl: Point | None, at: Point) -> Point:
    return at if ctrl is None else (2 * at[0] - ctrl[0], 2 * at[1] - ctrl[1])


def _quad_to_cubic(p0: Point, q: Point, p3: Point) -> tuple[Point, Point]:
    return ((p0[0] + 2 * (q[0] - p0[0]) / 3, p0[1] + 2 * (q[1] - p0[1]) / 3),
            (p3[0] + 2 * (q[0] - p3[0]) / 3, p3[1] + 2 * (q[1] - p3[1]) / 3))


def _cubic(p0: Point, p1: Point, p2: Point, p3: Point) -> list[Point]:
    points = []
    for step in range(1, CURVE_STEPS + 1):
        t = step / CURVE_STEPS
        u = 1 - t
        a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
        points.append((a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
                       a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]))
    return points


def _arc(p0: Point, rx: float, ry: float, angle: float, large: bool, sweep: bool,
         p1: Point) -> list[Point]:
    """SVG's endpoint arc as points (the centre parameterisation of SVG 1.1 appendix F.6)."""
    rx, ry = abs(rx), abs(ry)
    if rx == 0 or ry == 0 or p0 == p1:
        return [p1]
    phi = math.radians(angle)
    cos, sin = math.cos(phi), math.sin(phi)
    dx, dy = (p0[0] - p1[0]) / 2, (p0[1] - p1[1]) / 2
    x1, y1 = cos * dx + sin * dy, -sin * dx + cos * dy
    scale = (x1 * x1) / (rx * rx) + (y1 * y1) / (ry * ry)
    if scale > 1:
        rx, ry = rx * math.sqrt(scale), ry * math.sqrt(scale)
    num = rx * rx * ry * ry - rx * rx * y1 * y1 - ry * ry * x1 * x1
    den = rx * rx * y1 * y1 + ry * ry * x1 * x1
    factor = math.sqrt(max(num / den, 0)) * (-1 if large == sweep else 1)
    cx1, cy1 = factor * rx * y1 / ry, -factor * ry * x1 / rx
    cx = cos * cx1 - sin * cy1 + (p0[0] + p1[0]) / 2
    cy = sin * cx1 + cos * cy1 + (p0[1] + p1[1]) / 2
    start = math.atan2((y1 - cy1) / ry, (x1 - cx1) / rx)
    end = math.atan2((-y1 - cy1) / ry, (-x1 - cx1) / rx)
    delta = end - start
    if sweep and delta < 0:
        delta += 2 * math.pi
    elif not sweep and delta > 0:
        delta -= 2 * math.pi
    steps = max(4, int(abs(delta) / (math.pi / 12)))
    points = []
    for step in range(1, steps + 1):
        t = start + delta * step / steps
        ex, ey = rx * math.cos(t), ry * math.sin(t)
        points.append((cos * ex - sin * ey + cx, sin * ex + cos * ey + cy))
    return points


def _transform(text: str) -> Matrix:
    matrix = IDENTITY
    for name, args in re.findall(r"(\w+)\s*\(([^)]*)\)", text):
        v = [float(a) for a in re.findall(NUMBER, args)]
        if name == "matrix" and len(v) == 6:
            step: Matrix = (v[0], v[1], v[2], v[3], v[4], v[5])
        elif name == "translate" and v:
            step = (1, 0, 0, 1, v[0], v[1] if len(v) > 1 else 0)
        elif name == "scale" and v:
            step = (v[0], 0, 0, v[1] if len(v) > 1 else v[0], 0, 0)
        elif name == "rotate" and v:
            a = math.radians(v[0])
            step = (math.cos(a), math.sin(a), -math.sin(a), math.cos(a), 0, 0)
            if len(v) == 3:
                step = _multiply(_multiply((1, 0, 0, 1, v[1], v[2]), step),
                                 (1, 0, 0, 1, -v[1], -v[2]))
        else:
            continue
        matrix = _multiply(matrix, step)
    return matrix


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    g, h, i, j, k, l_ = n
    return (a * g + c * h, b * g + d * h, a * i + c * j, b * i + d * j,
            a * k + c * l_ + e, b * k + d * l_ + f)


def _apply(m: Matrix, p: Point) -> Point:
    return (m[0] * p[0] + m[2] * p[1] + m[4], m[1] * p[0] + m[3] * p[1] + m[5])
