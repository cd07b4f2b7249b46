"""Page layout in millimetres: the drawing items every output (PDF, PNG, SVG) draws the same way."""

from __future__ import annotations

from dataclasses import dataclass, field

from print.formats import BLEED_MM, MIN_MODULE_MM, QUIET_ZONE_MODULES, Format
from print.logo import Logo
from print.qr import Symbol
from print.spec import PosterError, PosterSpec
from print.typesetting import PT_PER_MM

MARK_OFFSET_MM = 0.5  # marks start this far outside the bleed box, so none print on the work
MARK_LENGTH_MM = 5.0
MARK_SLUG_MM = 1.0  # media beyond the ends of the marks
CROP_MARK_WIDTH_MM = 0.1
MODULES_PER_DISTANCE = 330  # scan distance over module size: 1 m / 330 = 3.03 mm
NO_BLEED_BORDER_MM = 5.0
MIN_PPI, WARN_PPI = 100, 150  # raster logos at their printed size  # without bleed, colour stops this far inside the trim
LOGO_ON_QR_SIDE = 0.4  # backing pad side as a fraction of the code: 16% of its area (max 25%)
ALIGN = ("left", "centre", "right")


@dataclass(frozen=True)
class Box:
    """A rectangle in mm, origin at the page's bottom-left."""

    x: float
    y: float
    w: float
    h: float

    @property
    def top(self) -> float:
        """The upper edge."""
        return self.y + self.h

    def inset(self, by: float) -> Box:
        """This box shrunk by `by` on every side."""
        return Box(self.x + by, self.y + by, self.w - 2 * by, self.h - 2 * by)


@dataclass(frozen=True)
class Fill:
    """A filled rectangle."""

    box: Box
    colour: str


@dataclass(frozen=True)
class Disc:
    """A round panel: white inside, a ring of colour on its edge."""

    cx: float
    cy: float
    r: float
    ring: float
    colour: str


@dataclass(frozen=True)
class Words:
    """One line of text; (x, y) is the baseline point the alignment refers to."""

    x: float
    y: float
    text: str
    size_pt: float
    bold: bool
    colour: str
    align: str = "centre"


@dataclass(frozen=True)
class Code:
    """A QR symbol; (x, y) is the bottom-left of the symbol, quiet zone excluded."""

    x: float
    y: float
    module: float
    symbol: Symbol
    colour: str

    @property
    def side(self) -> float:
        """The symbol's width in mm."""
        return self.module * self.symbol.size


@dataclass(frozen=True)
class Mark:
    """A logo in a box; backing draws a white pad first (a logo in the middle of a code)."""

    box: Box
    logo: Logo
    backing: Box | None = None


@dataclass(frozen=True)
class Line:
    """A stroked line (crop marks)."""

    x1: float
    y1: float
    x2: float
    y2: float
    width: float


Item = Fill | Disc | Words | Code | Mark | Line


@dataclass
class Page:
    """One page: the media size, the trim and bleed boxes inside it and the items to draw in order."""

    width: float
    height: float
    trim: Box
    items: list[Item] = field(default_factory=list)
    bleed: float = 0.0  # how far the artwork runs past the trim on each side
    notes: list[str] = field(default_factory=list)  # warnings and waived checks, for the proof

    @property
    def bleed_box(self) -> Box:
        """The trim grown by the bleed: what the printer images before cutting."""
        return self.trim.inset(-self.bleed)


def blank_page(spec: PosterSpec, bleed: bool) -> Page:
    """A page of the spec's trim size; with bleed, 3 mm more each side and, with marks, a slug
    around that for crop marks that start outside the bleed."""
    width, height = spec.trim_mm()
    b = BLEED_MM if bleed else 0.0
    margin = b + (MARK_OFFSET_MM + MARK_LENGTH_MM + MARK_SLUG_MM if bleed and spec.marks else 0.0)
    return Page(width + 2 * margin, height + 2 * margin, Box(margin, margin, width, height),
                bleed=b)


def crop_marks(page: Page) -> list[Line]:
    """Corner marks on the trim lines, starting outside the bleed, so none print on the work."""
    t = page.trim
    if t.x < page.bleed + MARK_OFFSET_MM + MARK_LENGTH_MM - 1e-9:
        return []  # no slug to draw them in (marks off, or no bleed)
    start, end = page.bleed + MARK_OFFSET_MM, page.bleed + MARK_OFFSET_MM + MARK_LENGTH_MM
    lines = []
    for x, out_x in ((t.x, -1), (t.x + t.w, 1)):
        for y, out_y in ((t.y, -1), (t.y + t.h, 1)):
            lines.append(Line(x + out_x * start, y, x + out_x * end, y, CROP_MARK_WIDTH_MM))
            lines.append(Line(x, y + out_y * start, x, y + out_y * end, CROP_MARK_WIDTH_MM))
    return lines


def paper_edge(page: Page) -> Box:
    """Where a full-bleed fill may run: the bleed box, or without bleed a white border a desktop
    or digital press can print up to (it cannot print to the edge of the sheet)."""
    if page.bleed:
        return page.bleed_box
    return page.trim.inset(NO_BLEED_BORDER_MM)


def quiet_block(symbol: Symbol, side_mm: float) -> float:
    """The module size when a symbol and its quiet zone fill side_mm."""
    return side_mm / (symbol.size + 2 * QUIET_ZONE_MODULES)


def check_size(spec: PosterSpec, fmt: Format, code: Code) -> list[str]:
    """Refuse a code too narrow for the format's scan distance, with modules too small for that
    distance at its data density, or unprintably small; with allow_small, name what is waived."""
    problems = size_problems(fmt, code)
    if not problems:
        return []
    if not spec.allow_small:
        raise PosterError(f"{problems[0]} (pass allow_small=True to override)")
    return [f"allow_small waives: {p}" for p in problems]


def size_problems(fmt: Format, code: Code) -> list[str]:
    """What is too small about a code for its format, in words with the figures needed."""
    problems = []
    n, side, distance = code.symbol.size, code.side, fmt.scan_distance_m
    if code.module < MIN_MODULE_MM - 1e-9:
        problems.append(
            f"QR modules {code.module:.2f} mm wide are too small to print reliably: at least "
            f"{MIN_MODULE_MM} mm needed, so this code must be at least "
            f"{MIN_MODULE_MM * n:.0f} mm wide")
    if side < fmt.min_qr_mm - 1e-6:
        problems.append(f"QR code {side:.0f} mm wide is too small for a scan distance of "
                        f"{distance:.1f} m: at least {fmt.min_qr_mm:.0f} mm needed")
    need = module_for(fmt)
    if code.module < need - 1e-9:
        problems.append(
            f"QR modules {code.module:.2f} mm wide are too small for a scan distance of "
            f"{distance:.1f} m: this address needs {n} modules (version {code.symbol.version}), "
            f"each at least {need:.2f} mm (distance / {MODULES_PER_DISTANCE}), so the code must "
            f"be at least {need * n:.0f} mm wide; shorten PUBLIC_URL or use a larger format")
    return problems


def module_for(fmt: Format) -> float:
    """The smallest module (mm) that scans from the format's distance: what the default 33-module
    code gives at the 10:1 rule, kept for denser codes from longer addresses."""
    return fmt.scan_distance_m * 1000 / MODULES_PER_DISTANCE


def check_resolution(spec: PosterSpec, mark: Mark) -> list[str]:
    """A raster logo's resolution at its printed size: refused below 100 ppi unless
    allow_low_ppi, a warning below 150 ppi."""
    ppi = mark.logo.ppi(mark.box.w)
    if ppi >= WARN_PPI:
        return []
    message = (f"logo {mark.logo.path.name} prints at {ppi:.0f} ppi ({mark.box.w:.0f} mm wide "
               f"from {mark.logo.width:.0f} px); {WARN_PPI} ppi or more looks sharp")
    if ppi < MIN_PPI and not spec.allow_low_ppi:
        raise PosterError(f"{message}: at least {MIN_PPI} ppi needed, so supply a file at least "
                          f"{MIN_PPI * mark.box.w / 25.4:.0f} px wide or an SVG "
                          "(pass allow_low_ppi=True to override)")
    return [f"warning: {message}"]


def smallest_side(fmt: Format, symbol: Symbol) -> float:
    """The narrowest symbol (mm) that passes check_size."""
    return max(fmt.min_qr_mm, MIN_MODULE_MM * symbol.size, module_for(fmt) * symbol.size)


def logo_on_code(code: Code, logo: Logo) -> Mark:
    """Centre a logo on a code on a white pad of whole modules, clear of the finder patterns."""
    n = code.symbol.size
    pad = min(int(n * LOGO_ON_QR_SIDE), n - 2 * 8)
    if (n - pad) % 2:
        pad -= 1
    if pad < 3:
        raise PosterError("this code is too small to carry a logo in its middle: "
                          "set logo_on_qr=False")
    m = code.module
    start = (n - pad) / 2 * m
    backing = Box(code.x + start, code.y + start, pad * m, pad * m)
    inner = backing.inset(m)
    return Mark(fit_box(inner, logo.aspect), logo, backing)


def fit_box(box: Box, aspect: float) -> Box:
    """The largest box of the given width/height aspect centred in box."""
    w = min(box.w, box.h * aspect)
    h = w / aspect
    return Box(box.x + (box.w - w) / 2, box.y + (box.h - h) / 2, w, h)


def pt(mm: float) -> float:
    """Millimetres as points."""
    return mm * PT_PER_MM
