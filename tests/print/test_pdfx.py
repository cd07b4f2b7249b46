"""PDF/X: every format passes an independent preflight and still scans after the CMYK PDF is drawn."""

from __future__ import annotations

import shutil
from io import BytesIO
from pathlib import Path

import pikepdf
import pytest
from reportlab.pdfgen.canvas import Canvas

from print.posters import FORMATS, render_pdf
from tests.print import pdfcheck, preflight
from tests.print.conftest import URL

PT_PER_MM = 72 / 25.4
K_ONLY = (0.0, 0.0, 0.0, 1.0)
WIDTH_PX = {"stickers": 1600}


def _outside(box: list[float], x: float, y: float) -> bool:
    return x <= box[0] + 1e-3 or x >= box[2] - 1e-3 or y <= box[1] + 1e-3 or y >= box[3] - 1e-3


@pytest.mark.parametrize("logo", ["png", "svg"])
@pytest.mark.parametrize("bleed", [False, True], ids=["trimmed", "bleed"])
@pytest.mark.parametrize("name", list(FORMATS))
def test_every_format_passes_pdfx4_preflight_and_decodes(make_spec, png_logo: Path,
                                                         svg_logo: Path, name: str, bleed: bool,
                                                         logo: str) -> None:
    path = png_logo if logo == "png" else svg_logo
    on_sheet = name != "stickers"
    spec = make_spec(name, bleed=bleed, primary="#7b2d8e", logo=path if on_sheet else None,
                     allow_low_ppi=True)  # the 300 px fixture is below 100 ppi on big formats
    pdf = render_pdf(spec)

    report = preflight.check(pdf)
    assert report.problems == []
    assert K_ONLY in report.fills  # the QR and small text: 100 % K, no rich black
    assert not any(k > 0.5 and min(c, m, y) > 0.2 for c, m, y, k in report.fills)
    [boxes] = report.boxes
    if bleed and on_sheet:
        grown = 3.0 * PT_PER_MM
        assert boxes["bleed"] == pytest.approx([boxes["trim"][0] - grown, boxes["trim"][1] - grown,
                                                boxes["trim"][2] + grown,
                                                boxes["trim"][3] + grown], abs=0.01)
        assert len(report.strokes) == 8
        for _, (x1, y1, x2, y2) in report.strokes:  # every mark lies wholly outside the bleed
            assert _outside(boxes["bleed"], x1, y1) and _outside(boxes["bleed"], x2, y2)
            assert all(0 <= v for v in (x1, y1, x2, y2))
        assert report.stroke_colours == {K_ONLY}
    else:
        assert boxes["trim"] == boxes["bleed"] == boxes["media"]
        assert report.strokes == []
    image = pdfcheck.rasterise(pdf, WIDTH_PX.get(name, 1000))
    assert set(pdfcheck.decoded(image)) == {URL}


def test_no_marks_keeps_the_bleed_without_a_slug(make_spec) -> None:
    pdf = render_pdf(make_spec("a4", bleed=True, marks=False))

    report = preflight.check(pdf)
    assert report.problems == [] and report.strokes == []
    assert pdfcheck.page_size_mm(pdf) == pytest.approx((216, 303), abs=0.01)


def test_registration_marks_only_when_asked(make_spec) -> None:
    report = preflight.check(render_pdf(make_spec("a4", bleed=True, registration_marks=True)))

    assert report.stroke_colours == {(1.0, 1.0, 1.0, 1.0)}


def test_pdfx1a_has_no_transparency_and_flattens_the_logo(make_spec, png_logo: Path) -> None:
    pdf = render_pdf(make_spec("a4", pdfx="x1a", logo=png_logo, bleed=True))

    assert preflight.check(pdf, "x1a").problems == []
    assert b"/SMask" not in pdf
    assert set(pdfcheck.decoded(pdfcheck.rasterise(pdf))) == {URL}


def test_the_preflight_catches_an_rgb_pdf_without_intent_or_embedded_fonts() -> None:
    buffer = BytesIO()
    canvas = Canvas(buffer)
    canvas.setFillColorRGB(1, 0, 0)
    canvas.drawString(100, 100, "Helvetica, not embedded")
    canvas.showPage()
    canvas.save()

    problems = " ".join(preflight.check(buffer.getvalue()).problems)
    for expected in ("output intents", "no TrimBox", "not embedded", "device RGB",
                     "GTS_PDFXVersion"):
        assert expected in problems


@pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript not installed (tests/run.sh)")
def test_ghostscript_sees_black_text_qr_and_marks_on_the_k_plate_only(make_spec) -> None:
    pdf = render_pdf(make_spec("a4", bleed=True, primary="#000000"))

    c, m, y, k = preflight.ghostscript_ink(pdf)  # type: ignore[misc]
    assert (c, m, y) == (0.0, 0.0, 0.0)
    assert k > 0.1
    coloured = preflight.ghostscript_ink(render_pdf(make_spec("a4", primary="#c1121f")))
    assert coloured is not None and coloured[1] > 0  # a red band does use the magenta plate


def test_metadata_names_the_poster_and_its_creator(make_spec) -> None:
    document = pikepdf.open(BytesIO(render_pdf(make_spec("a5"))))
    info = document.docinfo
    assert str(info["/Title"]) == "Park survey / Arolwg y parc ŵŷâ"
    assert str(info["/Creator"]) == "voxbox"
