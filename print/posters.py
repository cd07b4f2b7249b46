"""Posters for placements: a PosterSpec in, a print-ready vector PDF (or a PNG or SVG) out.

    from print.posters import PosterSpec, render_pdf
    pdf = render_pdf(PosterSpec(format="a4", url="https://hub.example/q/BS7KQ2", code="BS7KQ2",
                                title={"en": "Policing priorities", "cy": "Blaenoriaethau plismona"}))
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from print import png, svg
from print.batch import render_parallel
from print.compose import compose_poster
from print.formats import FORMATS, OUTPUTS, Format
from print.layout import Page
from print.pdf import PdfWriter
from print.proof import render_proof
from print.spec import PosterError, PosterSpec
from print.stickers import alignment_page, compose_sheets

__all__ = ["FORMATS", "notes", "render_alignment", "render_proof", "OUTPUTS", "Format", "PosterError", "PosterSpec", "layout", "render",
           "render_batch", "render_pdf", "render_png", "render_svg", "web_dpi"]

Labels = Iterable[tuple[str, str]]
Progress = Callable[[int, int], object]
WEB_PX = 2000  # PNG for the web: the longer side in pixels (a six-sheet at 150 dpi is 75 Mpx)


def layout(spec: PosterSpec, bleed: bool | None = None) -> list[Page]:
    """Check spec and lay out its pages (one, or one per sticker sheet); bleed defaults to spec's."""
    spec.validate()
    with_bleed = spec.bleed if bleed is None else bleed
    if spec.fmt.kind == "stickers":
        return compose_sheets(spec)  # label stock prints as it is: no bleed, no marks
    return [compose_poster(spec, with_bleed)]


def render_pdf(spec: PosterSpec, stickers: Labels | None = None) -> bytes:
    """A print-ready PDF; for format "stickers", stickers gives each label's (url, code)."""
    spec = _with_stickers(spec, stickers)
    writer = PdfWriter(title=_title(spec), level=spec.pdfx,
                       registration_marks=spec.registration_marks)
    for page in layout(spec):
        writer.add(page)
    return writer.data()


def notes(spec: PosterSpec) -> list[str]:
    """Warnings and waived checks for a spec, laid out as it would be printed."""
    return [note for page in layout(spec) for note in page.notes]


def render_alignment(template: str) -> bytes:
    """A one-page PDF of a label stock's outlines, to check a printer's alignment on plain paper."""
    writer = PdfWriter(title=f"Alignment test {template}")
    writer.add(alignment_page(template))
    return writer.data()


def render_png(spec: PosterSpec, dpi: float = 150, stickers: Labels | None = None) -> bytes:
    """The poster as a PNG at dpi, trimmed (no bleed), for the web and social media."""
    return png.render(_single_page(_with_stickers(spec, stickers)), dpi)


def render_svg(spec: PosterSpec, stickers: Labels | None = None) -> str:
    """The poster as an SVG document in millimetres, trimmed (no bleed)."""
    return svg.render(_single_page(_with_stickers(spec, stickers)))


def web_dpi(spec: PosterSpec, longest_px: int = WEB_PX) -> float:
    """The resolution at which the spec's trimmed page is longest_px on its longer side."""
    if longest_px < 1:
        raise PosterError("a PNG needs at least one pixel")
    return longest_px / max(spec.trim_mm()) * 25.4


def render(spec: PosterSpec, output: str = "pdf", png_px: int = WEB_PX) -> bytes:
    """One poster as a PDF, a PNG (png_px on its longer side) or an SVG."""
    if output == "pdf":
        return render_pdf(spec)
    if output == "png":
        spec.validate()  # before web_dpi reads its size
        return render_png(spec, dpi=web_dpi(spec, png_px))
    if output == "svg":
        return render_svg(spec).encode("utf-8")
    raise PosterError(f"unknown output {output!r}: use one of {', '.join(OUTPUTS)}")


def render_batch(specs: Iterable[PosterSpec], out_dir: str | Path,
                 combined_name: str | None = "all.pdf",
                 progress: Progress | None = None, output: str = "pdf",
                 stems: Sequence[str] | None = None, png_px: int = WEB_PX,
                 before_move: Callable[[Path, list[Path]], object] | None = None,
                 workers: int = 1) -> list[Path]:
    """Write one file per spec (and, for PDF, a combined print file) into out_dir, all or nothing.

    output is "pdf", "png" (png_px on the longer side) or "svg"; PNG and SVG are trimmed and
    get no combined file. Files are named '<code>-<format>.<output>', or '<stem>.<output>'
    when stems are given. Returns the per-spec paths in the order given, then the combined
    file's path (when written). Files are rendered into a temporary folder beside out_dir and
    moved in only when every one is written, so a failure leaves out_dir as it was.
    progress(done, total) follows each spec. before_move(work, paths), if given, runs last,
    before anything moves: what it writes into the work folder moves in too, and if it raises,
    nothing does (the caller's manifest and database commit ride on the same all-or-nothing).
    workers > 1 renders in that many processes (see print.batch); files and pages keep the
    order given.
    """
    if output not in OUTPUTS:
        raise PosterError(f"unknown output {output!r}: use one of {', '.join(OUTPUTS)}")
    specs = list(specs)
    combined_name = combined_name if output == "pdf" else None
    names = _file_names(specs, combined_name, output, stems)
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        if workers > 1 and len(specs) > 1:
            render_parallel(specs, [work / n for n in names], work / combined_name
                            if combined_name else None, output, png_px, workers, progress)
        else:
            _render_serial(specs, names, work, combined_name, output, png_px, progress)
        names += [combined_name] if combined_name else []
        if before_move is not None:
            before_move(work, [work / name for name in names])
        _move_into_place(work, out_dir)
        return [out_dir / name for name in names]
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def _render_serial(specs: list[PosterSpec], names: list[str], work: Path,
                   combined_name: str | None, output: str, png_px: int,
                   progress: Progress | None) -> None:
    combined = (PdfWriter(work / combined_name, "voxbox posters", specs[0].pdfx,
                          specs[0].registration_marks)
                if combined_name and specs else None)
    for done, (spec, name) in enumerate(zip(specs, names, strict=False), start=1):
        if output == "pdf":
            write_pdf(spec, work / name, combined)
        else:
            (work / name).write_bytes(render(spec, output, png_px))
        if progress is not None:
            progress(done, len(specs))
    if combined is not None:
        combined.save()


def write_pdf(spec: PosterSpec, path: Path, combined: PdfWriter | None) -> None:
    """Lay the spec out once; draw its pages into its own file and the combined one."""
    single = PdfWriter(path, _title(spec), spec.pdfx, spec.registration_marks)
    for page in layout(spec):
        single.add(page)
        if combined is not None:
            combined.add(page)
    single.save()


def _with_stickers(spec: PosterSpec, stickers: Labels | None) -> PosterSpec:
    if stickers is None:
        return spec
    if spec.format != "stickers":
        raise PosterError(f"stickers= is for the stickers format, not {spec.format}")
    labels = tuple((url, code) for url, code in stickers)
    if not labels:
        raise PosterError("stickers= is empty: give at least one (url, code)")
    return replace(spec, stickers=labels)


def _single_page(spec: PosterSpec) -> Page:
    pages = layout(spec, bleed=False)
    if len(pages) > 1:
        raise PosterError(f"{len(pages)} sticker sheets cannot go in one image: "
                          "render a sheet's worth of labels at a time, or use render_pdf")
    return pages[0]


def _title(spec: PosterSpec) -> str:
    return " / ".join(text for _, text in spec.lines(spec.title))


def _file_names(specs: Sequence[PosterSpec], combined: str | None, output: str = "pdf",
                stems: Sequence[str] | None = None) -> list[str]:
    """'<code>-<format>.<output>' (or '<stem>.<output>') for each spec; refuse two alike or
    one clashing with combined."""
    if stems is not None and len(stems) != len(specs):
        raise PosterError(f"{len(stems)} file names given for {len(specs)} posters")
    names: list[str] = []
    for i, spec in enumerate(specs):
        given = spec.code if stems is None else stems[i]
        stem = re.sub(r"[^A-Za-z0-9_-]+", "_", given).strip("_") or f"poster{i + 1}"
        name = f"{stem}-{spec.format}.{output}" if stems is None else f"{stem}.{output}"
        if name in names and stems is not None:
            raise PosterError(f"two posters would both be written to {name}: name them apart")
        if name in names:
            raise PosterError(f"two placements would both be written to {name}: "
                              f"tracking code {spec.code} appears twice for {spec.format}")
        names.append(name)
    if combined is not None and (combined in names or Path(combined).name != combined):
        raise PosterError(f"combined_name {combined!r} must be a plain file name "
                          "that no placement uses")
    return names


def _move_into_place(work: Path, out_dir: Path) -> None:
    """Everything in work into out_dir: one rename when out_dir is new, else file by file."""
    if not out_dir.exists():
        os.replace(work, out_dir)  # one rename: the folder appears complete
    else:
        for path in sorted(work.iterdir()):
            os.replace(path, out_dir / path.name)
        work.rmdir()
