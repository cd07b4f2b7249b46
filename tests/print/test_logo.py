"""Logos: embedded once per file, vector when SVG, and a code with a logo in its middle still scans."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from print.colour import cmyk
from print.posters import PosterError, layout, render_batch, render_pdf, render_png, render_svg
from tests.print import pdfcheck, preflight
from tests.print.conftest import URL

SVG = "{http://www.w3.org/2000/svg}"


def test_png_logo_is_one_image_and_the_code_still_decodes(make_spec, png_logo: Path) -> None:
    pdf = render_pdf(make_spec("a4", logo=png_logo))

    assert pdfcheck.image_count(pdf) == 1
    assert pdfcheck.decoded(pdfcheck.rasterise(pdf)) == [URL]


@pytest.mark.parametrize("name", ["a6", "a4", "six-sheet", "cutout"])
def test_logo_in_the_middle_of_the_code_still_decodes(make_spec, png_logo: Path,
                                                      name: str) -> None:
    pdf = render_pdf(make_spec(name, logo=png_logo, logo_on_qr=True, allow_low_ppi=True))

    assert pdfcheck.image_count(pdf) == 1
    assert pdfcheck.decoded(pdfcheck.rasterise(pdf)) == [URL]


def test_logo_in_the_middle_uses_level_h_and_covers_at_most_a_quarter(make_spec,
                                                                      png_logo: Path) -> None:
    spec = make_spec("a4", logo=png_logo, logo_on_qr=True)
    page = layout(spec)[0]

    code = next(i for i in page.items if type(i).__name__ == "Code")
    mark = next(i for i in page.items if type(i).__name__ == "Mark")
    assert spec.level == "H" and code.symbol.level == "H"
    assert mark.backing.w * mark.backing.h <= 0.25 * code.side ** 2
    assert make_spec("a4", logo=png_logo).level == "Q"


def test_logo_is_stored_once_in_a_many_page_file(make_spec, png_logo: Path,
                                                 tmp_path: Path) -> None:
    specs = [make_spec("a5", code=f"LG{i}", url=f"https://hub.example/q/LG{i}", logo=png_logo)
             for i in range(3)]
    combined = render_batch(specs, tmp_path / "out")[-1].read_bytes()

    assert pdfcheck.page_count(combined) == 3
    assert all(pdfcheck.image_count(combined, i) == 1 for i in range(3))
    images = len(re.findall(rb"/Subtype\s*/Image", combined))
    alpha_masks = len(re.findall(rb"/SMask\s+\d+\s+0\s+R", combined))
    assert (images, alpha_masks) == (1, 0)  # the logo once for 3 pages, flattened onto white


def test_svg_logo_stays_vector(make_spec, svg_logo: Path) -> None:
    pdf = render_pdf(make_spec("a4", logo=svg_logo))

    assert pdfcheck.image_count(pdf) == 0
    c, m, y, k = cmyk("#e63946")  # the circle's fill, in CMYK inside the logo's form
    assert (round(c, 4), round(m, 4), round(y, 4), round(k, 4)) in preflight.check(pdf).fills
    image = pdfcheck.rasterise(pdf, 210, mode="RGB")  # 1 px per mm: the logo sits at the bottom
    bottom = image.crop((0, 250, 210, 290))
    assert any(r > 180 and g < 120 and b < 120 for _, (r, g, b)
               in bottom.getcolors(maxcolors=100000))
    assert pdfcheck.decoded(pdfcheck.rasterise(pdf)) == [URL]


def test_svg_logo_is_a_form_drawn_once_per_file(make_spec, svg_logo: Path,
                                                tmp_path: Path) -> None:
    specs = [make_spec("a6", code=f"SV{i}", url=f"https://hub.example/q/SV{i}", logo=svg_logo)
             for i in range(3)]
    combined = render_batch(specs, tmp_path / "out")[-1].read_bytes()

    assert len(re.findall(rb"/Subtype\s*/Form", combined)) == 1


def test_svg_logo_in_the_middle_of_the_code_still_decodes(make_spec, svg_logo: Path) -> None:
    pdf = render_pdf(make_spec("a4", logo=svg_logo, logo_on_qr=True))

    assert pdfcheck.decoded(pdfcheck.rasterise(pdf)) == [URL]


def test_png_and_svg_outputs_carry_the_logo(make_spec, png_logo: Path, svg_logo: Path) -> None:
    image = pdfcheck.png_image(render_png(make_spec("a4", logo=svg_logo, logo_on_qr=True),
                                          dpi=120))
    assert pdfcheck.decoded(image) == [URL]

    root = ET.fromstring(render_svg(make_spec("a4", logo=png_logo)))
    images = list(root.iter(f"{SVG}image"))
    assert len(images) == 1
    assert images[0].get("href", "").startswith("data:image/png;base64,")
    vector = ET.fromstring(render_svg(make_spec("a4", logo=svg_logo)))
    [logo] = vector.iter(f"{SVG}image")
    assert logo.get("href", "").startswith("data:image/svg+xml;base64,")


def test_unreadable_logo_is_refused(make_spec, tmp_path: Path) -> None:
    broken = tmp_path / "broken.svg"
    broken.write_text("<svg><rect")

    with pytest.raises(PosterError, match="not valid SVG"):
        render_pdf(make_spec("a4", logo=broken))
