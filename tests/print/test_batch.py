"""Batches: one PDF per placement plus a combined print file, written all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from print.posters import PosterError, render_batch
from tests.print import pdfcheck, preflight


def placements(make_spec, n: int, fmt: str = "a6", **fields: object) -> list:
    return [make_spec(fmt, code=f"PL{i:04d}", url=f"https://hub.example/q/PL{i:04d}", **fields)
            for i in range(n)]


def test_batch_writes_one_pdf_per_placement_and_a_combined_file(make_spec,
                                                                tmp_path: Path) -> None:
    specs = placements(make_spec, 3) + [make_spec("a4", code="BIG01",
                                                  url="https://hub.example/q/BIG01", bleed=True)]

    paths = render_batch(specs, tmp_path / "out")

    names = [p.name for p in paths]
    assert names == ["PL0000-a6.pdf", "PL0001-a6.pdf", "PL0002-a6.pdf", "BIG01-a4.pdf", "all.pdf"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(names)
    for spec, path in zip(specs, paths, strict=False):
        pdf = path.read_bytes()
        assert pdfcheck.page_count(pdf) == 1
        assert pdfcheck.decoded(pdfcheck.rasterise(pdf)) == [spec.url]
    combined = paths[-1].read_bytes()
    assert pdfcheck.page_count(combined) == 4
    assert pdfcheck.page_size_mm(combined, 3) == pytest.approx((229, 316), abs=0.01)  # bleed + marks
    assert pdfcheck.boxes_mm(combined, 0)["trim"] == pytest.approx((0, 0, 105, 148), abs=0.01)
    for index, spec in enumerate(specs):
        assert pdfcheck.decoded(pdfcheck.rasterise(combined, index=index)) == [spec.url]


def test_failure_in_the_middle_leaves_no_output(make_spec, tmp_path: Path) -> None:
    specs = placements(make_spec, 4)
    specs.insert(2, make_spec("a4", code="TINY", qr_size_mm=18))
    out = tmp_path / "out"

    with pytest.raises(PosterError, match="too small"):
        render_batch(specs, out)

    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary folder left behind either


def test_failure_leaves_an_existing_folder_as_it_was(make_spec, tmp_path: Path) -> None:
    out = tmp_path / "out"
    render_batch(placements(make_spec, 2), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    specs = placements(make_spec, 3, "a5") + [make_spec("a4", code="TINY", qr_size_mm=18)]

    with pytest.raises(PosterError):
        render_batch(specs, out)

    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_failing_progress_callback_also_leaves_no_output(make_spec, tmp_path: Path) -> None:
    def cancel(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        render_batch(placements(make_spec, 4), tmp_path / "out", progress=cancel)

    assert list(tmp_path.iterdir()) == []


def test_new_files_join_an_existing_folder(make_spec, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")

    render_batch(placements(make_spec, 2), out, combined_name="print-run.pdf")

    assert sorted(p.name for p in out.iterdir()) == [
        "PL0000-a6.pdf", "PL0001-a6.pdf", "notes.txt", "print-run.pdf"]


def test_no_combined_file_when_not_named(make_spec, tmp_path: Path) -> None:
    paths = render_batch(placements(make_spec, 2), tmp_path / "out", combined_name=None)

    assert [p.name for p in paths] == ["PL0000-a6.pdf", "PL0001-a6.pdf"]


def test_two_placements_with_the_same_code_and_format_are_refused(make_spec,
                                                                 tmp_path: Path) -> None:
    specs = placements(make_spec, 2) + placements(make_spec, 1)

    with pytest.raises(PosterError, match="PL0000 appears twice"):
        render_batch(specs, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_combined_name_must_not_clash_with_a_placement(make_spec, tmp_path: Path) -> None:
    with pytest.raises(PosterError, match="plain file name"):
        render_batch(placements(make_spec, 1), tmp_path / "out", combined_name="PL0000-a6.pdf")
    with pytest.raises(PosterError, match="plain file name"):
        render_batch(placements(make_spec, 1), tmp_path / "out", combined_name="../all.pdf")


@pytest.mark.slow  # about 6 s on an idle machine
def test_progress_is_called_once_per_placement_of_a_500_batch(make_spec, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []

    paths = render_batch(placements(make_spec, 500), tmp_path / "out",
                         progress=lambda done, total: calls.append((done, total)))

    assert calls == [(i, 500) for i in range(1, 501)]
    assert len(paths) == 501
    assert pdfcheck.page_count(paths[-1].read_bytes()) == 500


def test_png_and_svg_batches_write_one_image_each_and_no_print_file(make_spec,
                                                                   tmp_path: Path) -> None:
    specs = placements(make_spec, 2, "a4")

    pngs = render_batch(specs, tmp_path / "png", output="png", png_px=800)
    svgs = render_batch(specs, tmp_path / "svg", output="svg")

    assert [p.name for p in pngs] == ["PL0000-a4.png", "PL0001-a4.png"]
    assert sorted(p.name for p in (tmp_path / "png").iterdir()) == ["PL0000-a4.png", "PL0001-a4.png"]
    for spec, path in zip(specs, pngs, strict=True):
        image = pdfcheck.png_image(path.read_bytes())
        assert image.size == (round(800 * 210 / 297), 800)
        assert pdfcheck.decoded(image) == [spec.url]
    assert [p.name for p in svgs] == ["PL0000-a4.svg", "PL0001-a4.svg"]
    assert "hub.example/q/PL0001" in svgs[1].read_text(encoding="utf-8")


def test_stems_name_the_files(make_spec, tmp_path: Path) -> None:
    specs = placements(make_spec, 2)

    paths = render_batch(specs, tmp_path / "out", combined_name="run.pdf",
                         stems=["sheet-1", "sheet-2"])

    assert [p.name for p in paths] == ["sheet-1.pdf", "sheet-2.pdf", "run.pdf"]
    with pytest.raises(PosterError, match="2 file names given for 3 posters"):
        render_batch(placements(make_spec, 3), tmp_path / "other", stems=["a", "b"])
    with pytest.raises(PosterError, match="both be written to a.pdf"):
        render_batch(specs, tmp_path / "other", stems=["a", "a"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_an_unknown_output_is_refused_before_anything_is_written(make_spec,
                                                                tmp_path: Path) -> None:
    with pytest.raises(PosterError, match="unknown output 'gif': use one of pdf, png, svg"):
        render_batch(placements(make_spec, 1), tmp_path / "out", output="gif")
    assert list(tmp_path.iterdir()) == []


def test_two_workers_write_the_same_files_and_print_file_in_csv_order(make_spec,
                                                                      tmp_path: Path) -> None:
    specs = placements(make_spec, 60, "a6")
    done: list[int] = []

    paths = render_batch(specs, tmp_path / "out", workers=2,
                         progress=lambda n, total: done.append(n))

    assert [p.name for p in paths[:-1]] == [f"PL{i:04d}-a6.pdf" for i in range(60)]
    combined = paths[-1].read_bytes()
    assert pdfcheck.page_count(combined) == 60
    for i in (0, 24, 25, 26, 59):  # either side of a chunk boundary
        image = pdfcheck.rasterise(combined, 600, index=i)
        assert pdfcheck.decoded(image) == [specs[i].url]
    assert preflight.check(combined).problems == []
    assert done == sorted(done) and done[-1] == 60
    assert pdfcheck.decoded(pdfcheck.rasterise(paths[7].read_bytes(), 600)) == [specs[7].url]


def test_a_failure_in_a_worker_leaves_no_output(make_spec, tmp_path: Path) -> None:
    specs = placements(make_spec, 40) + [make_spec("a4", code="BAD", qr_size_mm=18)]

    with pytest.raises(PosterError, match="too small"):
        render_batch(specs, tmp_path / "out", workers=2)

    assert list(tmp_path.iterdir()) == []
