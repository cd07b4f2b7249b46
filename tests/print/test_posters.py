"""Posters scan: every format is rendered, rasterised by pdfium and decoded by zxing-cpp."""

from __future__ import annotations

import pytest

from print.colour import cmyk
from print.formats import BLEED_MM, MIN_MODULE_MM
from print.layout import MARK_LENGTH_MM, MARK_OFFSET_MM, MARK_SLUG_MM
from print.posters import FORMATS, PosterError, render_pdf
from print.qr import encode
from tests.print import pdfcheck, preflight
from tests.print.conftest import URL

# pixels across the whole page: enough for 400-800 px codes without rendering a0 at 300 dpi
WIDTH_PX = {"stickers": 1600}


@pytest.mark.parametrize("bleed", [False, True], ids=["trimmed", "bleed"])
@pytest.mark.parametrize("name", list(FORMATS))
def test_every_format_decodes_to_the_tracking_url(make_spec, name: str, bleed: bool) -> None:
    pdf = render_pdf(make_spec(name, bleed=bleed))

    image = pdfcheck.rasterise(pdf, WIDTH_PX.get(name, 1000))
    assert set(pdfcheck.decoded(image)) == {URL}


@pytest.mark.parametrize("bleed", [False, True], ids=["trimmed", "bleed"])
@pytest.mark.parametrize("name", list(FORMATS))
def test_page_is_the_format_size_plus_bleed_when_asked(make_spec, name: str, bleed: bool) -> None:
    pdf = render_pdf(make_spec(name, bleed=bleed))

    fmt = FORMATS[name]
    grows = bleed and name != "stickers"  # label stock prints on A4 as it is
    extra = 2 * (BLEED_MM + MARK_OFFSET_MM + MARK_LENGTH_MM + MARK_SLUG_MM) if grows else 0
    assert pdfcheck.page_size_mm(pdf) == pytest.approx((fmt.width_mm + extra,
                                                        fmt.height_mm + extra), abs=0.01)


@pytest.mark.parametrize("name", list(FORMATS))
def test_title_short_url_and_code_are_text(make_spec, name: str) -> None:
    text = pdfcheck.text(render_pdf(make_spec(name)))

    assert "Park survey" in text
    assert "Arolwg y parc ŵŷâ" in text
    assert "hub.example/q/BS7KQ2" in text
    assert "https://" not in text
    assert "BS7KQ2" in text


def test_bleed_sets_trim_and_bleed_boxes_and_draws_crop_marks(make_spec) -> None:
    pdf = render_pdf(make_spec("a5", bleed=True))

    boxes = pdfcheck.boxes_mm(pdf)
    assert boxes["trim"] == pytest.approx((9.5, 9.5, 157.5, 219.5), abs=0.01)
    assert boxes["bleed"] == pytest.approx((6.5, 6.5, 160.5, 222.5), abs=0.01)
    page = pdfcheck.rasterise(pdf, 1670)  # 10 px/mm
    assert page.crop((0, 90, 60, 100)).getextrema()[0] < 200  # a hairline mark on the trim line
    assert page.crop((61, 90, 64, 100)).getextrema()[0] > 200  # it stops short of the bleed
    assert page.getpixel((70, 70)) < 128  # where the title band runs into the bleed


def test_trimmed_poster_has_no_crop_marks_or_boxes(make_spec) -> None:
    pdf = render_pdf(make_spec("a5"))

    boxes = pdfcheck.boxes_mm(pdf)
    assert boxes["trim"] == pytest.approx(boxes["media"], abs=0.01)
    assert boxes["bleed"] == pytest.approx(boxes["media"], abs=0.01)


def test_closing_date_is_printed_in_both_languages(make_spec) -> None:
    text = pdfcheck.text(render_pdf(make_spec("a4")))

    assert "Closing date: 31 January 2027" in text
    assert "Dyddiad cau: 31 Ionawr 2027" in text


def test_welsh_first_puts_welsh_above_english(make_spec) -> None:
    english_first = pdfcheck.text(render_pdf(make_spec("a4")))
    welsh_first = pdfcheck.text(render_pdf(make_spec("a4", welsh_first=True)))

    assert english_first.index("Park survey") < english_first.index("Arolwg y parc")
    assert welsh_first.index("Arolwg y parc") < welsh_first.index("Park survey")
    assert welsh_first.index("Dweud eich dweud") < welsh_first.index("Have your say")
    assert "Cod / Code: BS7KQ2" in welsh_first


def test_english_only_text_is_printed_once(make_spec) -> None:
    text = pdfcheck.text(render_pdf(make_spec("a4", title="Park survey",
                                              call_to_action={"en": "Tell us"})))

    assert text.count("Park survey") == 1
    assert "Tell us" in text


def test_qr_code_is_vector_artwork_not_an_image(make_spec) -> None:
    pdf = render_pdf(make_spec("a4"))

    assert pdfcheck.image_count(pdf) == 0
    assert pdfcheck.decoded(pdfcheck.rasterise(pdf)) == [URL]


def test_round_cutout_draws_a_circular_panel(make_spec) -> None:
    pdf = render_pdf(make_spec("cutout", cutout_shape="round"))

    image = pdfcheck.rasterise(pdf, 800)
    assert image.getpixel((2, 2)) == 255  # outside the circle stays paper
    assert image.getpixel((400, 4)) < 128  # the ring touches the top edge
    assert pdfcheck.decoded(image) == [URL]


def test_cutout_size_is_configurable(make_spec) -> None:
    pdf = render_pdf(make_spec("cutout", cutout_size_mm=600, cutout_shape="round"))

    assert pdfcheck.page_size_mm(pdf) == pytest.approx((600, 600), abs=0.01)
    assert pdfcheck.decoded(pdfcheck.rasterise(pdf, 800)) == [URL]


def test_six_sheet_keeps_content_inside_the_visible_area(make_spec) -> None:
    inset = 150
    pdf = render_pdf(make_spec("six-sheet", visible_inset_mm=inset))

    image = pdfcheck.rasterise(pdf, 1200)  # 1 px per mm
    hidden_bottom = image.crop((0, 1800 - inset, 1200, 1800))
    hidden_sides = [image.crop((0, 400, inset, 1800)), image.crop((1200 - inset, 400, 1200, 1800))]
    assert hidden_bottom.getextrema()[0] == 255
    assert all(side.getextrema()[0] == 255 for side in hidden_sides)
    assert pdfcheck.decoded(image) == [URL]


def test_brand_colours_fill_the_title_band(make_spec) -> None:
    pdf = render_pdf(make_spec("a4", primary="#c1121f"))

    c, m, y, k = cmyk("#c1121f")
    assert (round(c, 4), round(m, 4), round(y, 4), round(k, 4)) in preflight.check(pdf).fills
    image = pdfcheck.rasterise(pdf, 210, mode="RGB")  # 1 px per mm, under the 5 mm border
    red, green, blue = image.getpixel((105, 8))
    assert red > 200 and green < 110 and blue < 110
    assert image.getpixel((105, 2)) == (255, 255, 255)  # no bleed: colour stops short of the edge


def test_too_small_qr_is_refused_naming_the_minimum(make_spec) -> None:
    with pytest.raises(PosterError) as refused:
        render_pdf(make_spec("a4", qr_size_mm=18))

    assert str(refused.value) == (
        "QR code 18 mm wide is too small for a scan distance of 1.0 m: at least 100 mm needed "
        "(pass allow_small=True to override)")


def test_allow_small_prints_the_forced_size_anyway(make_spec) -> None:
    pdf = render_pdf(make_spec("a4", qr_size_mm=18, allow_small=True))

    assert pdfcheck.decoded(pdfcheck.rasterise(pdf, 2000)) == [URL]


def test_modules_below_the_printable_minimum_are_refused(make_spec) -> None:
    url = "https://hub.example/q/BS7KQ2?" + "x" * 300  # a long URL: many small modules
    modules = encode(url, "Q").size
    need = MIN_MODULE_MM * modules
    assert need > FORMATS["a6"].min_qr_mm

    with pytest.raises(PosterError, match=rf"modules 0\.\d+ mm .* at least {need:.0f} mm wide"):
        render_pdf(make_spec("a6", url=url, qr_size_mm=need - 1))


def test_small_custom_cutout_is_refused_and_allow_small_overrides(make_spec) -> None:
    with pytest.raises(PosterError, match="at least 150 mm needed"):
        render_pdf(make_spec("cutout", cutout_size_mm=150))

    pdf = render_pdf(make_spec("cutout", cutout_size_mm=150, allow_small=True))
    assert pdfcheck.decoded(pdfcheck.rasterise(pdf, 800)) == [URL]


def test_qr_that_cannot_fit_the_page_is_refused(make_spec) -> None:
    with pytest.raises(PosterError, match="does not fit on a6"):
        render_pdf(make_spec("a6", qr_size_mm=200))


def test_forced_size_is_the_printed_size(make_spec) -> None:
    pdf = render_pdf(make_spec("a4", qr_size_mm=120))

    image = pdfcheck.rasterise(pdf, 2100)  # 10 px per mm
    assert pdfcheck.qr_width_px(image) / 10 == pytest.approx(120, abs=1.5)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("format", "a7", "unknown format 'a7'"),
    ("ink", "#dddddd", "too light"),
    ("primary", "navy", "not a hex colour"),
    ("cutout_shape", "oval", "'square' or 'round'"),
    ("url", "", "must be non-empty"),
    ("code", " ", "tracking code"),
    ("title", {"en": " "}, "needs a title"),
    ("logo", "missing.png", "not found"),
    ("logo", "logo.gif", "PNG, JPEG or SVG"),
])
def test_bad_specs_are_refused_with_a_reason(make_spec, field: str, value: object,
                                             message: str) -> None:
    with pytest.raises(PosterError, match=message):
        render_pdf(make_spec(**{field: value}))
