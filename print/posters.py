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

from . import png, svg
from .compose import compose_poster
from .formats import FORMATS, Format
from .layout import Page
from .pdf import PdfWriter
from .spec import PosterError, PosterSpec
from .stickers import compose_sheets

__all__ = ["FORMATS", "Format", "PosterError", "PosterSpec", "layout", "render_batch",
           "render_pdf", "render_png", "render_svg"]

Labels = Iterable[tuple[str, str]]
Progress = Callable[[int, int], object]


def layout(spec: PosterSpec, bleed: bool | None = None) -> list[Page]:
    """Check spec and lay out its pages (one, or one per sticker sheet); bleed defaults to spec's."""
    spec.validate()
    with_bleed = spec.bleed if bleed is None else bleed
    if spec.fmt.kind == "stickers":
        return compose_sheets(spec, with_bleed)
    return [compose_poster(spec, with_bleed)]


def render_pdf(spec: PosterSpec, stickers: Labels | None = None) -> bytes:
    """A print-ready PDF; for format "stickers", stickers gives each label's (url, code)."""
    spec = _with_stickers(spec, stickers)
    writer = PdfWriter(title=_title(spec))
    for page in layout(spec):
        writer.add(page)
    return writer.data()


def render_png(spec: PosterSpec, dpi: float = 150, stickers: Labels | None = None) -> bytes:
    """The poster as a PNG at dpi, trimmed (no bleed), for the web and social media."""
    return png.render(_single_page(_with_stickers(spec, stickers)), dpi)


def render_svg(spec: PosterSpec, stickers: Labels | None = None) -> str:
    """The poster as an SVG document in millimetres, trimmed (no bleed)."""
    return svg.render(_single_page(_with_stickers(spec, stickers)))


def render_batch(specs: Iterable[PosterSpec], out_dir: str | Path,
                 combined_name: str | None = "all.pdf",
                 progress: Progress | None = None) -> list[Path]:
    """Write one PDF per spec and a combined print file into out_dir, all or nothing.

    Returns the per-spec paths in the order given, then the combined file's path (when named).
    Files are rendered into a temporary folder beside out_dir and moved in only when every one
    is written, so a failure leaves out_dir as it was. progress(done, total) follows each spec.
    """
    specs = list(specs)
    names = _file_names(specs, combined_name)
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        combined = PdfWriter(work / combined_name, "voxbox posters") if combined_name else None
        for done, (spec, name) in enumerate(zip(specs, names, strict=False), start=1):
            pages = layout(spec)
            single = PdfWriter(work / name, _title(spec))
            for page in pages:
                single.add(page)
                if combined is not None:
                    combined.add(page)
            single.save()
            if progress is not None:
                progress(done, len(specs))
        if combined is not None:
            combined.save()
        return _move_into_place(work, out_dir, names + ([combined_name] if combined_name else []))
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


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


def _file_names(specs: Sequence[PosterSpec], combined: str | None) -> list[str]:
    """'<code>-<format>.pdf' for each spec; refuse two alike or one clashing with combined."""
    names: list[str] = []
    for i, spec in enumerate(specs):
        stem = re.sub(r"[^A-Za-z0-9_-]+", "_", spec.code).strip("_") or f"poster{i + 1}"
        name = f"{stem}-{spec.format}.pdf"
        if name in names:
            raise PosterError(f"two placements would both be written to {name}: "
                              f"tracking code {spec.code} appears twice for {spec.format}")
        names.append(name)
    if combined is not None and (combined in names or Path(combined).name != combined):
        raise PosterError(f"combined_name {combined!r} must be a plain file name "
                          "that no placement uses")
    return names


def _move_into_place(work: Path, out_dir: Path, names: list[str]) -> list[Path]:
    if not out_dir.exists():
        os.replace(work, out_dir)  # one rename: the folder appears complete
    else:
        for name in names:
            os.replace(work / name, out_dir / name)
        work.rmdir()
    return [out_dir / name for name in names]
