"""PNG and SVG for the web: the same layout, decodable and well-formed."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from print.posters import FORMATS, render_pdf, render_png, render_svg
from tests.print import pdfcheck
from tests.print.conftest import URL

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("name", ["a6", "a4", "six-sheet", "cutout"])
def test_png_decodes_to_the_tracking_url(make_spec, name: str) -> None:
    dpi = 1000 / FORMATS[name].width_mm * 25.4  # about 1000 px across
    image = pdfcheck.png_image(render_png(make_spec(name), dpi=dpi))

    assert image.width == pytest.approx(1000, abs=1)
    assert pdfcheck.decoded(image) == [URL]


def test_png_is_trimmed_even_when_the_pdf_has_bleed(make_spec) -> None:
    image = pdfcheck.png_image(render_png(make_spec("a4", bleed=True), dpi=25.4))

    assert image.size == (210, 297)


def test_png_round_cutout_decodes(make_spec) -> None:
    image = pdfcheck.png_image(render_png(make_spec("cutout", cutout_shape="round"), dpi=60))

    assert pdfcheck.decoded(image) == [URL]


def test_svg_is_valid_xml_with_the_code_as_one_path(make_spec) -> None:
    root = ET.fromstring(render_svg(make_spec("a4")))

    assert root.tag == f"{SVG}svg"
    assert (root.get("width"), root.get("height")) == ("210mm", "297mm")
    codes = [p for p in root.iter(f"{SVG}path") if p.get("class") == "qr"]
    assert len(codes) == 1
    assert codes[0].get("d", "").startswith("M")
    assert root.find(f"{SVG}image") is None


def test_svg_carries_the_text(make_spec) -> None:
    root = ET.fromstring(render_svg(make_spec("a4", welsh_first=True)))

    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "hub.example/q/BS7KQ2" in texts
    assert texts.index("Arolwg y parc ŵŷâ") < texts.index("Park survey")
    assert "Cod / Code: BS7KQ2" in texts


def test_svg_escapes_markup_in_text(make_spec) -> None:
    svg = render_svg(make_spec("a4", title={"en": "Buses & <trams>"}))

    texts = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "Buses & <trams>" in texts


def test_svg_rasterised_by_pdfium_route_matches_pdf_layout(make_spec) -> None:
    """The three outputs share one layout: the PDF's text lines appear in the SVG in order."""
    spec = make_spec("a5")
    pdf_text = pdfcheck.text(render_pdf(spec))
    svg_text = " ".join(t.text or "" for t in ET.fromstring(render_svg(spec)).iter(f"{SVG}text"))

    assert pdf_text == svg_text
