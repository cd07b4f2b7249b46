"""One poster (or one sheet of stickers) rendered: laid out, then drawn as PDF, PNG or SVG.

``print.posters`` is the front door (it adds batches and proofs); this module knows nothing of
either, so the batch workers and the proof sheet can use it without importing each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from print import png, svg
from print.compose import compose_poster
from print.formats import OUTPUTS
from print.layout import Page
from print.pdf import PdfWriter
from print.spec import PosterError, PosterSpec
from print.stickers import alignment_page, compose_sheets

Labels = Iterable[tuple[str, str]]
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
