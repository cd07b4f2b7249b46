"""Checks before printing, and Welsh no less favourable: read back from the rendered PDFs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from print.layout import Code, Mark
from print.posters import PosterError, layout, notes, render_pdf, render_proof
from tests.print import pdfcheck

LONG_BASE = "https://consultations.example-police-and-crime-commissioner.gov.uk/"
LONG_URL = LONG_BASE + "x" * (129 - len(LONG_BASE) - 9) + "/q/BS7KQ2"
TITLE = {"en": "Policing priorities", "cy": "Blaenoriaethau plismona"}


def test_a_pale_brand_colour_is_refused_with_its_measured_contrast(make_spec) -> None:
    with pytest.raises(PosterError) as refused:
        render_pdf(make_spec("a4", primary="#ffe066"))

    assert "contrast ratio of 1.3:1" in str(refused.value)
    assert "at least 4.5:1" in str(refused.value)
    assert render_pdf(make_spec("a4", primary="#ffe066", allow_low_contrast=True))


def _logo(tmp_path: Path, width: int) -> Path:
    path = tmp_path / f"logo{width}.png"
    Image.new("RGB", (width, width // 2), (29, 53, 87)).save(path)
    return path


def _printed_ppi(make_spec, path: Path, fmt: str) -> float:
    page = layout(make_spec(fmt, logo=path, allow_low_ppi=True))[0]
    mark = next(i for i in page.items if isinstance(i, Mark))
    return Image.open(path).width / (mark.box.w / 25.4)


def test_a_60_ppi_logo_is_refused_with_its_resolution_and_a_150_ppi_one_warned(
        make_spec, tmp_path: Path) -> None:
    probe = _printed_ppi(make_spec, _logo(tmp_path, 100), "a2")
    low = _logo(tmp_path, round(100 * 60 / probe))  # 60 ppi at its printed size
    mid = _logo(tmp_path, round(100 * 120 / probe))  # 120 ppi

    with pytest.raises(PosterError) as refused:
        render_pdf(make_spec("a2", logo=low))
    assert re.search(r"prints at (59|60|61) ppi", str(refused.value))
    assert "at least 100 ppi needed" in str(refused.value)
    [warning] = notes(make_spec("a2", logo=mid))
    assert re.match(r"warning: logo .* prints at (119|120|121) ppi", warning)
    assert notes(make_spec("a2", logo=low, allow_low_ppi=True))[0].startswith("warning:")


def test_a_129_character_url_on_a6_gets_modules_big_enough_or_is_refused_naming_them(
        make_spec) -> None:
    assert len(LONG_URL) == 129
    spec = make_spec("a6", url=LONG_URL, title=TITLE)
    code = next(i for i in layout(spec)[0].items if isinstance(i, Code))
    assert code.module >= 300 / 330  # distance / 330 whatever the density
    assert pdfcheck.decoded(pdfcheck.rasterise(render_pdf(spec), 1400)) == [LONG_URL]

    with pytest.raises(PosterError) as refused:
        layout(make_spec("a6", url=LONG_URL, title=TITLE, qr_size_mm=45))
    message = str(refused.value)
    assert re.search(r"QR modules 0\.\d\d mm wide are too small for a scan distance of 0\.3 m: "
                     r"this address needs \d+ modules \(version \d+\), each at least 0\.91 mm",
                     message)


def test_allow_small_names_what_it_waives(make_spec) -> None:
    waived = notes(make_spec("a6", url=LONG_URL, title=TITLE, qr_size_mm=45, allow_small=True))

    assert waived and all(n.startswith("allow_small waives: QR modules") for n in waived)


@pytest.mark.parametrize("fmt", ["a6", "a4", "six-sheet", "cutout"])
def test_welsh_first_sets_welsh_first_and_both_languages_alike(make_spec, fmt: str) -> None:
    runs = pdfcheck.text_runs(render_pdf(make_spec(fmt, title=TITLE, welsh_first=True)))
    texts = [text for text, _, _ in runs]
    style = {text: (size, bold) for text, size, bold in runs}

    assert texts.index("Blaenoriaethau plismona") < texts.index("Policing priorities")
    assert texts.index("Dweud eich dweud") < texts.index("Have your say")
    assert style["Blaenoriaethau plismona"] == style["Policing priorities"]
    assert style["Dweud eich dweud"] == style["Have your say"]
    assert style["Policing priorities"][1] and style["Have your say"][1]
    english = [text for text, _, _ in pdfcheck.text_runs(render_pdf(make_spec(fmt, title=TITLE)))]
    assert english.index("Policing priorities") < english.index("Blaenoriaethau plismona")


def test_the_proof_sheet_gives_the_figures_and_the_preflight_result(make_spec,
                                                                    png_logo: Path) -> None:
    text = pdfcheck.text(render_proof(make_spec("a4", logo=png_logo, bleed=True)))

    assert re.search(r"QR code \d+\.\d mm wide, \d+ modules", text)
    assert re.search(r"modules \d\.\d\d mm \(at least 3\.03 mm for 1 m\)", text)
    assert re.search(r"logo logo\.png: \d+ ppi", text)
    assert "contrast with white: brand #1d3557 12.4:1" in text
    assert "preflight: passed" in text


def test_a_contractor_trim_and_visible_area_hold_the_text_and_code(make_spec) -> None:
    spec = make_spec("six-sheet", trim_size_mm=(1185, 1750), visible_size_mm=(1160, 1720),
                     bleed=True)
    [page] = layout(spec)

    t = page.trim
    assert (t.w, t.h) == (1185, 1750)
    left, bottom = t.x + (1185 - 1160) / 2, t.y + (1750 - 1720) / 2
    for item in page.items:
        if isinstance(item, Code):
            assert left <= item.x and item.x + item.side <= left + 1160
            assert bottom <= item.y and item.y + item.side <= bottom + 1720
    with pytest.raises(PosterError, match="larger than the trim"):
        layout(make_spec("six-sheet", trim_size_mm=(1185, 1750), visible_size_mm=(1200, 1720)))
    with pytest.raises(PosterError, match="a trim size is for posters"):
        layout(make_spec("cutout", trim_size_mm=(300, 300)))
