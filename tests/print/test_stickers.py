"""Sticker sheets on real label stock: every label carries its own code inside its label, both
languages' call to action, and decodes where it sits on the sheet."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from print.formats import QUIET_ZONE_MODULES
from print.labels import PRINTER_EDGE_MM, STOCKS
from print.layout import Code
from print.posters import PosterError, layout, render_alignment, render_pdf, render_png, render_svg
from tests.print import pdfcheck, preflight

PX_PER_MM = 12
PT_PER_MM = 72 / 25.4


def labels(n: int) -> list[tuple[str, str]]:
    """n distinct labels."""
    return [(f"https://hub.example/q/ST{i:04d}", f"ST{i:04d}") for i in range(n)]


def label_box(stock_name: str, slot: int) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of a label on the sheet in mm, from the product's published geometry."""
    s = STOCKS[stock_name]
    row, col = divmod(slot, s.cols)
    x0 = s.left + col * s.pitch_x
    top = 297 - s.top - row * s.pitch_y
    return x0, top - s.height, x0 + s.width, top


def label_text(pdf: bytes, box: tuple[float, float, float, float]) -> str:
    """The text pdfium finds inside one label."""
    doc = pdfium.PdfDocument(pdf)
    try:
        textpage = doc[0].get_textpage()
        x0, y0, x1, y1 = (v * PT_PER_MM for v in box)
        return " ".join(textpage.get_text_bounded(left=x0, bottom=y0, right=x1, top=y1).split())
    finally:
        doc.close()


@pytest.mark.parametrize("stock_name", list(STOCKS))
def test_each_label_keeps_its_code_inside_decodes_alone_and_speaks_both_languages(
        make_spec, stock_name: str) -> None:
    stock = STOCKS[stock_name]
    sheet = labels(stock.count)
    spec = make_spec("stickers", sticker_template=stock_name, stickers=tuple(sheet))
    [page] = layout(spec)
    pdf = render_pdf(spec)
    image = pdfcheck.rasterise(pdf, 210 * PX_PER_MM)

    codes = [item for item in page.items if isinstance(item, Code)]
    assert len(codes) == stock.count
    for slot, (code, (url, text)) in enumerate(zip(codes, sheet, strict=True)):
        x0, y0, x1, y1 = label_box(stock_name, slot)
        q = QUIET_ZONE_MODULES * code.module
        zone = (code.x - q, code.y - q, code.x + code.side + q, code.y + code.side + q)
        assert zone[0] - x0 >= 1.5 - 1e-6 and zone[1] - y0 >= 1.5 - 1e-6
        assert x1 - zone[2] >= 1.5 - 1e-6 and y1 - zone[3] >= 1.5 - 1e-6
        assert min(zone[0], zone[1], 210 - zone[2], 297 - zone[3]) >= PRINTER_EDGE_MM - 1e-6
        crop = image.crop((round(x0 * PX_PER_MM), round((297 - y1) * PX_PER_MM),
                           round(x1 * PX_PER_MM), round((297 - y0) * PX_PER_MM)))
        assert pdfcheck.decoded(crop) == [url]
        words = label_text(pdf, (x0, y0, x1, y1))
        assert "Have your say" in words and "Dweud eich dweud" in words, words
        assert text in words
    assert preflight.check(pdf).problems == []
    assert pdfcheck.page_size_mm(pdf) == pytest.approx((210, 297), abs=0.01)


def test_both_languages_are_set_at_one_size_and_weight_on_a_label(make_spec) -> None:
    [page] = layout(make_spec("stickers", stickers=tuple(labels(1))))

    words = [w for w in page.items if type(w).__name__ == "Words"]
    english = [(w.size_pt, w.bold) for w in words if w.text in "Have your say"]
    welsh = [(w.size_pt, w.bold) for w in words if w.text in "Dweud eich dweud"]
    assert welsh and english and set(welsh) == set(english) == {(english[0][0], True)}


def test_start_label_skips_the_used_labels_of_a_part_used_sheet(make_spec) -> None:
    spec = make_spec("stickers", start_label=5, stickers=tuple(labels(3)))
    [page] = layout(spec)

    codes = [item for item in page.items if isinstance(item, Code)]
    first = label_box("L7160", 4)
    assert first[0] < codes[0].x < first[2] and first[1] < codes[0].y < first[3]
    with pytest.raises(PosterError, match="start_label must be 1 to 21"):
        layout(make_spec("stickers", start_label=22))


def test_more_labels_than_a_sheet_holds_continue_on_another_sheet(make_spec) -> None:
    sheet = labels(25)
    pdf = render_pdf(make_spec("stickers", bleed=True), stickers=sheet)

    assert pdfcheck.page_count(pdf) == 2
    assert pdfcheck.page_size_mm(pdf, 1) == pytest.approx((210, 297), abs=0.01)  # still A4
    second = pdfcheck.decoded(pdfcheck.rasterise(pdf, 2400, index=1))
    assert sorted(second) == [url for url, _ in sheet[21:]]


def test_qr_size_is_honoured_or_refused_with_the_most_that_fits(make_spec) -> None:
    [page] = layout(make_spec("stickers", qr_size_mm=26, stickers=tuple(labels(1))))
    [code] = [item for item in page.items if isinstance(item, Code)]
    assert code.side == pytest.approx(26)

    with pytest.raises(PosterError, match=r"a 40 mm QR code does not fit on a L7160 label: "
                                          r"at most \d+\.\d mm"):
        layout(make_spec("stickers", qr_size_mm=40))


def test_a_logo_is_refused_beside_the_code_and_honoured_in_its_middle(make_spec,
                                                                     png_logo: Path) -> None:
    with pytest.raises(PosterError, match="no room for a logo"):
        layout(make_spec("stickers", logo=png_logo))

    sheet = labels(3)
    pdf = render_pdf(make_spec("stickers", logo=png_logo, logo_on_qr=True), stickers=sheet)
    assert pdfcheck.image_count(pdf) == 3
    assert sorted(pdfcheck.decoded(pdfcheck.rasterise(pdf, 2400))) == [u for u, _ in sheet]


def test_a_dense_code_on_a_label_is_refused_naming_the_module_size(make_spec) -> None:
    url = "https://consultations.example-police-and-crime-commissioner.gov.uk/q/LONG01"

    with pytest.raises(PosterError, match=r"each at least 0\.76 mm"):
        render_pdf(make_spec("stickers"), stickers=[(url, "LONG01")])


def test_the_alignment_page_outlines_every_label(tmp_path: Path) -> None:
    pdf = render_alignment("L7163")

    assert preflight.check(pdf).problems == []
    assert len(preflight.check(pdf).strokes) == 14 * 6
    assert "Alignment test" in pdfcheck.text(pdf)
    with pytest.raises(PosterError, match="unknown label stock 'L9999'"):
        render_alignment("L9999")


def test_png_and_svg_show_one_sheet(make_spec) -> None:
    spec = make_spec("stickers")
    sheet = labels(21)

    image = pdfcheck.png_image(render_png(spec, dpi=200, stickers=sheet))
    assert len(pdfcheck.decoded(image)) == 21
    assert render_svg(spec, stickers=sheet).count('class="qr"') == 21
    with pytest.raises(PosterError, match="2 sticker sheets"):
        render_png(spec, stickers=sheet * 2)
