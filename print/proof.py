"""A proof sheet: the poster at scale beside the figures a printer and a reviewer check."""

from __future__ import annotations

import re
from io import BytesIO

import pikepdf

from print.colour import OUTPUT_CONDITION
from print.layout import Box, Code, Mark, Page, Words, module_for
from print.pdf import PdfWriter
from print.render import layout, render_pdf
from print.spec import PosterSpec, contrast, rgb
from print.typesetting import wrap

A4_LANDSCAPE = (297.0, 210.0)
MARGIN = 12.0
DEVICE_COLOUR = re.compile(rb"(?:^|\s)(?:rg|RG|g|G)(?:\s|$)")


def render_proof(spec: PosterSpec) -> bytes:
    """A one-page PDF: the first page of the poster at scale, its QR and module size, logo ppi,
    contrast ratios, any warnings and the result of a preflight of the poster's own PDF."""

    page = layout(spec)[0]
    poster = render_pdf(spec)
    writer = PdfWriter(title=f"Proof: {spec.format} {spec.code}", level=spec.pdfx)
    sheet = Page(*A4_LANDSCAPE, Box(0, 0, *A4_LANDSCAPE))
    room = (A4_LANDSCAPE[0] / 2 - 1.5 * MARGIN, A4_LANDSCAPE[1] - 2 * MARGIN)
    scale = min(room[0] / page.width, room[1] / page.height)
    y = A4_LANDSCAPE[1] - MARGIN
    width = A4_LANDSCAPE[0] / 2 - MARGIN
    for fact in facts(spec, page, scale) + [f"preflight: {p}" for p in preflight(poster)]:
        for line in wrap(fact, 8, width):
            y -= 4.5
            sheet.items.append(Words(A4_LANDSCAPE[0] / 2, y, line, 8, False, "#000000", "left"))
        y -= 1.5
    writer.add_with(sheet, page, (MARGIN, MARGIN), scale)
    return writer.data()


def facts(spec: PosterSpec, page: Page, scale: float) -> list[str]:
    """The figures of one laid-out page, a line each."""
    w, h = spec.trim_mm()
    out = [f"{spec.format}: trim {w:g} × {h:g} mm, shown at {scale * 100:.0f} %",
           f"PDF/X-{spec.pdfx[1:].upper()}, CMYK, output intent {OUTPUT_CONDITION}, bleed "
           f"{'3 mm' if page.bleed else 'none'}"]
    codes = [i for i in page.items if isinstance(i, Code)]
    if codes:
        code = codes[0]
        out.append(f"QR code {code.side:.1f} mm wide, {code.symbol.size} modules (version "
                   f"{code.symbol.version}, level {code.symbol.level}), modules "
                   f"{code.module:.2f} mm (at least {module_for(spec.fmt):.2f} mm for "
                   f"{spec.fmt.scan_distance_m:g} m), {len(codes)} on the page")
    for mark in (i for i in page.items if isinstance(i, Mark)):
        ppi = mark.logo.ppi(mark.box.w)
        kind = "vector (SVG)" if mark.logo.vector else f"{ppi:.0f} ppi at {mark.box.w:.0f} mm"
        out.append(f"logo {mark.logo.path.name}: {kind}")
    white = (1.0, 1.0, 1.0)
    out.append(f"contrast with white: brand {spec.primary} {contrast(rgb(spec.primary), white):.1f}:1,"
               f" ink {spec.ink} {contrast(rgb(spec.ink), white):.1f}:1 (text needs 4.5:1)")
    sizes = {(w.size_pt, w.bold) for w in page.items if isinstance(w, Words)}
    out.append(f"text: {len(sizes)} size/weight combinations, smallest "
               f"{min(s for s, _ in sizes):.1f} pt" if sizes else "text: none")
    out += page.notes or ["no warnings"]
    return out


def preflight(pdf: bytes) -> list[str]:
    """A structural PDF/X check of a rendered file: what passed, or each problem found."""
    problems = []
    with pikepdf.open(BytesIO(pdf)) as doc:
        if len(doc.Root.get("/OutputIntents", [])) != 1:
            problems.append("no single output intent")
        for n, p in enumerate(doc.pages, start=1):
            if "/TrimBox" not in p.obj or "/BleedBox" not in p.obj:
                problems.append(f"page {n}: TrimBox or BleedBox missing")
            for font in p.obj.Resources.get("/Font", {}).values():
                descriptor = font.get("/FontDescriptor")
                if descriptor is None or "/FontFile2" not in descriptor:
                    problems.append(f"page {n}: font {font.get('/BaseFont')} not embedded")
            if DEVICE_COLOUR.search(p.obj.Contents.read_bytes()):
                problems.append(f"page {n}: RGB or grey colour")
    return problems or ["passed (output intent, trim and bleed boxes, fonts embedded, CMYK only)"]
