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
from pathlib import Path

from print.batch import render_parallel
from print.formats import FORMATS, OUTPUTS, Format
from print.pdf import PdfWriter
from print.proof import render_proof
from print.render import (
    WEB_PX,
    layout,
    notes,
    render,
    render_alignment,
    render_pdf,
    render_png,
    render_svg,
    web_dpi,
    write_pdf,
)
from print.spec import PosterError, PosterSpec

__all__ = ["FORMATS", "notes", "render_alignment", "render_proof", "OUTPUTS", "Format", "PosterError", "PosterSpec", "layout", "render",
           "render_batch", "render_pdf", "render_png", "render_svg", "web_dpi"]

Progress = Callable[[int, int], object]


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
