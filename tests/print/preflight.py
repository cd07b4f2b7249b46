"""An independent PDF/X preflight, written against ISO 15930-7 (PDF/X-4) and -4 (PDF/X-1a), read
with pikepdf (qpdf), plus Ghostscript's per-plate ink coverage. It shares no code with print/."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from io import BytesIO

import pikepdf

STANDARD_SPACES = {"/DeviceCMYK", "/Pattern", "/Separation", "/DeviceN"}


@dataclass
class Report:
    """What the preflight found: problems (empty when the file passes) and what it read."""

    problems: list[str] = field(default_factory=list)
    fills: set[tuple[float, ...]] = field(default_factory=set)  # CMYK values set with k/K
    strokes: list[tuple[int, tuple[float, float, float, float]]] = field(default_factory=list)
    stroke_colours: set[tuple[float, ...]] = field(default_factory=set)
    fonts: list[str] = field(default_factory=list)
    boxes: list[dict[str, list[float]]] = field(default_factory=list)


def check(pdf: bytes, level: str = "x4") -> Report:
    """Preflight pdf as PDF/X-4 (level "x4") or PDF/X-1a ("x1a")."""
    report = Report()
    doc = pikepdf.open(BytesIO(pdf))
    _document(doc, level, report)
    for number, page in enumerate(doc.pages):
        _page(page, number, report)
        _resources(page.obj, f"page {number + 1}", level, report, set())
    return report


def _document(doc: pikepdf.Pdf, level: str, report: Report) -> None:
    want = "PDF/X-4" if level == "x4" else "PDF/X-1a:2003"
    low, high = ("1.6", "1.7") if level == "x4" else ("1.3", "1.4")
    if not low <= doc.pdf_version <= high:
        report.problems.append(f"PDF version {doc.pdf_version} is not {low}–{high}")
    if doc.is_encrypted:
        report.problems.append("encrypted")
    if "/ID" not in doc.trailer:
        report.problems.append("no /ID in the trailer")
    info = doc.docinfo
    if str(info.get("/GTS_PDFXVersion", "")) != want:
        report.problems.append(f"Info GTS_PDFXVersion is {info.get('/GTS_PDFXVersion')!r}")
    for key in ("/Title", "/CreationDate", "/ModDate", "/Creator"):
        if not str(info.get(key, "")).strip():
            report.problems.append(f"Info {key} missing")
    if str(info.get("/Trapped", "")) not in ("/True", "/False"):
        report.problems.append("Info Trapped must be True or False")
    if re.match(r"D:2000", str(info.get("/CreationDate", ""))):
        report.problems.append("creation date is a fixed placeholder")
    metadata = doc.Root.get("/Metadata")
    xmp = metadata.read_bytes().decode("utf-8", "replace") if metadata is not None else ""
    if f"<pdfxid:GTS_PDFXVersion>{want}</pdfxid:GTS_PDFXVersion>" not in xmp:
        report.problems.append("XMP metadata lacks pdfxid:GTS_PDFXVersion")
    intents = [i for i in doc.Root.get("/OutputIntents", []) if i.get("/S") == "/GTS_PDFX"]
    if len(intents) != 1:
        report.problems.append(f"{len(intents)} GTS_PDFX output intents, need exactly one")
        return
    intent = intents[0]
    if not str(intent.get("/OutputConditionIdentifier", "")).strip():
        report.problems.append("output intent has no OutputConditionIdentifier")
    profile = intent.get("/DestOutputProfile")
    if profile is None:
        report.problems.append("output intent has no embedded DestOutputProfile")
        return
    data = profile.read_bytes()
    if data[12:16] != b"prtr" or data[16:20] != b"CMYK" or int(profile.get("/N", 0)) != 4:
        report.problems.append("DestOutputProfile is not a CMYK output (prtr) profile")


def _page(page: pikepdf.Page, number: int, report: Report) -> None:
    obj = page.obj
    media = [float(v) for v in obj.MediaBox]
    boxes = {"media": media}
    for name in ("TrimBox", "BleedBox"):
        value = obj.get(f"/{name}")
        if value is None:
            report.problems.append(f"page {number + 1}: no {name}")
            continue
        boxes[name[:-3].lower()] = [float(v) for v in value]
    report.boxes.append(boxes)
    if "trim" in boxes and "bleed" in boxes:
        if not _inside(boxes["trim"], boxes["bleed"]) or not _inside(boxes["bleed"], media):
            report.problems.append(f"page {number + 1}: TrimBox ⊄ BleedBox ⊄ MediaBox")


def _inside(a: list[float], b: list[float]) -> bool:
    return a[0] >= b[0] - 0.01 and a[1] >= b[1] - 0.01 and a[2] <= b[2] + 0.01 \
        and a[3] <= b[3] + 0.01


def _resources(holder: pikepdf.Object, where: str, level: str, report: Report,
               seen: set[tuple[int, int]]) -> None:
    """Content, fonts, images and forms of a page or form, forms followed recursively."""
    key = holder.objgen
    if key != (0, 0) and key in seen:
        return
    seen.add(key)
    _content(holder, where, report)
    resources = holder.get("/Resources", pikepdf.Dictionary())
    for name, font in resources.get("/Font", pikepdf.Dictionary()).items():
        _font(font, f"{where} font {name}", report)
    for name, space in resources.get("/ColorSpace", pikepdf.Dictionary()).items():
        _space(space, f"{where} colour space {name}", report)
    for name, state in resources.get("/ExtGState", pikepdf.Dictionary()).items():
        if level == "x1a" and (float(state.get("/ca", 1)) < 1 or float(state.get("/CA", 1)) < 1
                               or state.get("/SMask", "/None") != "/None"):
            report.problems.append(f"{where} {name}: transparency in PDF/X-1a")
    for name, xobject in resources.get("/XObject", pikepdf.Dictionary()).items():
        if xobject.get("/Subtype") == "/Image":
            _image(xobject, f"{where} image {name}", level, report)
        elif xobject.get("/Subtype") == "/Form":
            _resources(xobject, f"{where} form {name}", level, report, seen)


def _content(holder: pikepdf.Object, where: str, report: Report) -> None:
    try:
        instructions = pikepdf.parse_content_stream(holder)
    except pikepdf.PdfError as exc:
        report.problems.append(f"{where}: unreadable content ({exc})")
        return
    colour: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 1.0)
    path: list[tuple[float, float]] = []
    for operands, operator in instructions:
        op = str(operator)
        if op in ("rg", "RG", "g", "G"):
            kind = "grey" if op.lower() == "g" else "RGB"
            report.problems.append(f"{where}: device {kind} colour ({op})")
        elif op in ("k", "K"):
            values = tuple(round(float(v), 4) for v in operands)
            if op == "k":
                report.fills.add(values)
            else:
                colour = values  # type: ignore[assignment]
        elif op in ("cs", "CS") and str(operands[0]) in ("/DeviceRGB", "/DeviceGray"):
            report.problems.append(f"{where}: {operands[0]} colour space set")
        elif op == "m":
            path = [(float(operands[0]), float(operands[1]))]
        elif op == "l":
            path.append((float(operands[0]), float(operands[1])))
        elif op == "S" and len(path) == 2:
            (x1, y1), (x2, y2) = path
            report.strokes.append((len(report.boxes) - 1, (x1, y1, x2, y2)))
            report.stroke_colours.add(colour)


def _font(font: pikepdf.Object, where: str, report: Report) -> None:
    report.fonts.append(str(font.get("/BaseFont", "?")))
    descendants = font.get("/DescendantFonts")
    targets = list(descendants) if descendants is not None else [font]
    for target in targets:
        descriptor = target.get("/FontDescriptor")
        if descriptor is None or not any(k in descriptor for k in
                                         ("/FontFile", "/FontFile2", "/FontFile3")):
            report.problems.append(f"{where} ({font.get('/BaseFont')}) is not embedded")


def _space(space: pikepdf.Object, where: str, report: Report) -> None:
    if isinstance(space, pikepdf.Name):
        if str(space) not in STANDARD_SPACES:
            report.problems.append(f"{where}: {space}")
        return
    family = str(space[0])
    if family == "/ICCBased" and int(space[1].get("/N", 0)) != 4:
        report.problems.append(f"{where}: ICC-based with {space[1].get('/N')} components")
    elif family in ("/CalRGB", "/Lab", "/CalGray"):
        report.problems.append(f"{where}: {family}")


def _image(image: pikepdf.Object, where: str, level: str, report: Report) -> None:
    space = image.get("/ColorSpace")
    if image.get("/ImageMask", False):
        return
    if space is None or (isinstance(space, pikepdf.Name) and str(space) != "/DeviceCMYK"):
        report.problems.append(f"{where}: colour space {space}")
    elif not isinstance(space, pikepdf.Name):
        _space(space, where, report)
    if level == "x1a" and "/SMask" in image:
        report.problems.append(f"{where}: soft mask (transparency) in PDF/X-1a")


def ghostscript_ink(pdf: bytes, page: int = 1) -> tuple[float, float, float, float] | None:
    """Ghostscript's ink coverage of a page, C M Y K as fractions of the page (None without gs)."""
    gs = shutil.which("gs")
    if gs is None:
        return None
    done = subprocess.run(
        [gs, "-q", "-dSAFER", "-dNOPAUSE", "-dBATCH", "-sDEVICE=inkcov", "-r36",
         f"-dFirstPage={page}", f"-dLastPage={page}", "-sOutputFile=-", "-"],
        input=pdf, capture_output=True, timeout=120, check=True)
    numbers = re.findall(r"(\d+\.\d+)", done.stdout.decode())
    return tuple(float(v) for v in numbers[:4])  # type: ignore[return-value]
