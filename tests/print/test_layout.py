"""Layout rules hold for any wording: text stays on the page and out of the code's quiet zone."""

from __future__ import annotations

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from print.formats import QUIET_ZONE_MODULES
from print.layout import Box, Code, Disc, Page, Words
from print.posters import FORMATS, PosterError, PosterSpec, layout, render_pdf
from print.typesetting import PT_PER_MM, width_mm
from tests.print import pdfcheck

ASCENT, DESCENT = 0.93, 0.24  # DejaVu Sans, as fractions of the font size
WELSH = "abcdefghijlmnoprstuwyâêîôûŵŷäëïöüÿáéíóúẃýàèìòùẁỳ ABCDEFGHIJLMNOPRSTUWYŴŶ'-,.?!&"
words = st.text(alphabet=WELSH, min_size=1, max_size=60).filter(lambda t: t.strip())
codes = st.text(alphabet="ABCDEFGHJKMNPQRSTVWXYZ23456789", min_size=4, max_size=8)


def text_box(w: Words) -> Box:
    size = w.size_pt / PT_PER_MM
    width = width_mm(w.text, w.size_pt, w.bold)
    left = {"left": w.x, "centre": w.x - width / 2, "right": w.x - width}[w.align]
    return Box(left, w.y - DESCENT * size, width, (ASCENT + DESCENT) * size)


def overlaps(a: Box, b: Box) -> bool:
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.top and b.y < a.top


def inside(a: Box, b: Box, slack: float = 0.01) -> bool:
    return (a.x >= b.x - slack and a.y >= b.y - slack and a.x + a.w <= b.x + b.w + slack
            and a.top <= b.top + slack)


def quiet_zone(code: Code) -> Box:
    q = QUIET_ZONE_MODULES * code.module
    return Box(code.x - q, code.y - q, code.side + 2 * q, code.side + 2 * q)


def check_page(page: Page, spec: PosterSpec) -> None:
    texts = [text_box(i) for i in page.items if isinstance(i, Words)]
    codes = [quiet_zone(i) for i in page.items if isinstance(i, Code)]
    (ix, iy), t = spec.visible_inset, page.trim
    visible = Box(t.x + ix, t.y + iy, t.w - 2 * ix, t.h - 2 * iy)
    for box in texts:
        assert inside(box, visible), box
        assert not any(overlaps(box, zone) for zone in codes)
    for zone in codes:
        assert inside(zone, page.trim)
    discs = [i for i in page.items if isinstance(i, Disc)]
    for disc in discs:
        inner = disc.r - disc.ring
        for box in [*texts, *codes]:
            corners = [(box.x, box.y), (box.x + box.w, box.y), (box.x, box.top),
                       (box.x + box.w, box.top)]
            assert all((x - disc.cx) ** 2 + (y - disc.cy) ** 2 <= inner ** 2 + 0.01
                       for x, y in corners)
    for i, a in enumerate(texts):
        assert not any(overlaps(a, b) for b in texts[i + 1:])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from([*FORMATS, "round"]),
    title_en=words, title_cy=words, cta=words, code=codes,
    welsh_first=st.booleans(), bleed=st.booleans(), dated=st.booleans(),
)
def test_text_never_touches_the_code_or_leaves_the_page(
        name: str, title_en: str, title_cy: str, cta: str, code: str, welsh_first: bool,
        bleed: bool, dated: bool) -> None:
    spec = PosterSpec(
        format="cutout" if name == "round" else name, cutout_shape="round" if name == "round"
        else "square", url=f"https://hub.example/q/{code}", code=code,
        title={"en": title_en, "cy": title_cy}, call_to_action={"en": cta, "cy": cta[::-1]},
        welsh_first=welsh_first, bleed=bleed,
        closes=datetime.date(2027, 1, 31) if dated else None)
    try:
        pages = layout(spec)
    except PosterError as exc:  # a title so long nothing fits is refused, never squeezed
        assert "no room" in str(exc) or "too small" in str(exc)
        return
    for page in pages:
        check_page(page, spec)


@settings(max_examples=15, deadline=None)
@given(code=codes, title=words, name=st.sampled_from(["a6", "a3", "cutout", "six-sheet"]))
def test_any_code_and_title_scan_back(code: str, title: str, name: str) -> None:
    url = f"https://hub.example/q/{code}"
    pdf = render_pdf(PosterSpec(format=name, url=url, code=code, title=title))

    assert pdfcheck.decoded(pdfcheck.rasterise(pdf, 900)) == [url]
    assert code in pdfcheck.text(pdf)
