"""Sticker sheets: every label carries its own code, decodable where it sits on the sheet."""

from __future__ import annotations

import pytest

from print.posters import PosterError, render_pdf, render_png, render_svg
from tests.print import pdfcheck

LABELS = [(f"https://hub.example/q/ST{i:04d}", f"ST{i:04d}") for i in range(21)]


def test_every_label_decodes_to_its_own_code(make_spec) -> None:
    pdf = render_pdf(make_spec("stickers"), stickers=LABELS)

    found = pdfcheck.positions(pdfcheck.rasterise(pdf, 1600))
    assert sorted(text for text, _, _ in found) == [url for url, _ in LABELS]


def test_labels_run_left_to_right_then_down(make_spec) -> None:
    pdf = render_pdf(make_spec("stickers"), stickers=LABELS)

    found = pdfcheck.positions(pdfcheck.rasterise(pdf, 1600))
    cell_w, cell_h = 1600 / 3, 1600 * 297 / 210 / 7
    for text, x, y in found:
        index = int(text[-4:])
        assert (int(y // cell_h), int(x // cell_w)) == divmod(index, 3)


def test_every_label_prints_its_code_and_short_url(make_spec) -> None:
    text = pdfcheck.text(render_pdf(make_spec("stickers"), stickers=LABELS))

    for url, code in LABELS:
        assert url.removeprefix("https://") in text
        assert code in text


def test_rows_and_cols_set_the_number_of_labels(make_spec) -> None:
    labels = LABELS[:8]
    pdf = render_pdf(make_spec("stickers", sticker_rows=4, sticker_cols=2), stickers=labels)

    found = pdfcheck.decoded(pdfcheck.rasterise(pdf, 1200))
    assert sorted(found) == [url for url, _ in labels]


def test_more_labels_than_a_sheet_holds_continue_on_another_sheet(make_spec) -> None:
    labels = [(f"https://hub.example/q/MM{i:04d}", f"MM{i:04d}") for i in range(25)]
    pdf = render_pdf(make_spec("stickers"), stickers=labels)

    assert pdfcheck.page_count(pdf) == 2
    second = pdfcheck.decoded(pdfcheck.rasterise(pdf, 1600, index=1))
    assert sorted(second) == [url for url, _ in labels[21:]]


def test_a_sheet_without_labels_repeats_the_spec_code(make_spec) -> None:
    pdf = render_pdf(make_spec("stickers"))

    found = pdfcheck.decoded(pdfcheck.rasterise(pdf, 1600))
    assert found == ["https://hub.example/q/BS7KQ2"] * 21


def test_labels_too_small_for_arm_length_are_refused(make_spec) -> None:
    dense = make_spec("stickers", sticker_rows=14, sticker_cols=5)

    with pytest.raises(PosterError, match=r"scan distance of 0\.3 m: at least 30 mm needed"):
        render_pdf(dense)
    pdf = render_pdf(make_spec("stickers", sticker_rows=14, sticker_cols=5, allow_small=True))
    assert len(pdfcheck.decoded(pdfcheck.rasterise(pdf, 2400))) == 70


def test_stickers_argument_is_only_for_sticker_sheets(make_spec) -> None:
    with pytest.raises(PosterError, match="stickers format"):
        render_pdf(make_spec("a4"), stickers=LABELS)


def test_a_long_url_breaks_after_a_slash_and_still_decodes(make_spec) -> None:
    url = "https://consultations.example-police-and-crime-commissioner.gov.uk/q/LONG01"
    pdf = render_pdf(make_spec("stickers"), stickers=[(url, "LONG01")])

    assert pdfcheck.decoded(pdfcheck.rasterise(pdf, 1600)) == [url]
    text = pdfcheck.text(pdf)
    assert "consultations.example-police-and-crime-commissioner.gov.uk/ q/LONG01" in text


def test_png_and_svg_show_one_sheet(make_spec) -> None:
    spec = make_spec("stickers")

    image = pdfcheck.png_image(render_png(spec, dpi=200, stickers=LABELS))
    assert len(pdfcheck.decoded(image)) == 21
    assert render_svg(spec, stickers=LABELS).count('class="qr"') == 21
    with pytest.raises(PosterError, match="2 sticker sheets"):
        render_png(spec, stickers=LABELS * 2)
