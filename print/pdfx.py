"""PDF/X on a reportlab canvas: the output intent, the version keys and XMP metadata."""

from __future__ import annotations

import datetime
import zlib
from functools import lru_cache
from typing import IO
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFInfo,
    PDFName,
    PDFStream,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas

from print.colour import OUTPUT_CONDITION, OUTPUT_CONDITION_INFO, REGISTRY, profile_bytes

VERSIONS = {"x4": ("PDF/X-4", (1, 6)), "x1a": ("PDF/X-1a:2003", (1, 4))}
CREATOR = "voxbox"


class _XInfo(PDFInfo):
    """The document information dictionary with the PDF/X version key."""

    pdfx = "PDF/X-4"

    def format(self, document: object) -> bytes:
        """The Info dictionary, GTS_PDFXVersion added."""
        out = super().format(document)
        key = b"/GTS_PDFXVersion " + PDFString(self.pdfx).format(document)
        return out.replace(b"<<", b"<< " + key + b"\n", 1)


def new_canvas(target: str | IO[bytes], title: str, level: str = "x4") -> Canvas:
    """A reportlab canvas whose document is PDF/X: call finish(canvas) before saving."""
    version, pdf_version = VERSIONS[level]
    from print.typesetting import faces  # registers the embedded TrueType faces

    canvas = Canvas(target, pageCompression=1, pdfVersion=pdf_version,
                    # types-reportlab has initialFontName as a float; reportlab takes a font name
                    initialFontName=faces()[False].name,  # type: ignore[arg-type]
                    initialFontSize=10)
    doc = canvas._doc  # type: ignore[attr-defined]  # the canvas's document: private, not in the stubs
    info = _XInfo()
    info.pdfx = version
    doc.info = info
    canvas.setTitle(title or "voxbox")
    canvas.setCreator(CREATOR)
    canvas.setAuthor(CREATOR)
    canvas.setSubject("QR poster")
    _output_intent(canvas)
    _metadata(canvas, title or "voxbox", version)
    return canvas


def _output_intent(canvas: Canvas) -> None:
    doc = canvas._doc  # type: ignore[attr-defined]  # private, not in the stubs
    # compressed once per process, not once per file: a batch embeds it in every poster
    icc = PDFStream(PDFDictionary({"N": 4, "Filter": PDFName("FlateDecode")}), _profile_flate(),
                    filters=[])
    ref = doc.Reference(icc)
    intent = PDFDictionary({
        "Type": PDFName("OutputIntent"), "S": PDFName("GTS_PDFX"),
        "OutputConditionIdentifier": PDFString(OUTPUT_CONDITION),
        "OutputCondition": PDFString(OUTPUT_CONDITION_INFO),
        "RegistryName": PDFString(REGISTRY), "Info": PDFString(OUTPUT_CONDITION_INFO),
        "DestOutputProfile": ref})
    catalog = doc.Catalog
    catalog.__NoDefault__ = [*type(catalog).__NoDefault__, "OutputIntents"]
    catalog.OutputIntents = PDFArray([intent])


@lru_cache(maxsize=1)
def _profile_flate() -> bytes:
    return zlib.compress(profile_bytes(), 9)


def _metadata(canvas: Canvas, title: str, version: str) -> None:
    """XMP with the same title, creator, dates and PDF/X version as the Info dictionary."""
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()
    x = escape(title)
    xmp = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{x}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{CREATOR}</rdf:li></rdf:Seq></dc:creator>
<dc:format>application/pdf</dc:format>
<xmp:CreatorTool>{CREATOR}</xmp:CreatorTool><xmp:CreateDate>{now}</xmp:CreateDate>
<xmp:ModifyDate>{now}</xmp:ModifyDate><xmp:MetadataDate>{now}</xmp:MetadataDate>
<pdf:Producer>ReportLab</pdf:Producer><pdf:Trapped>False</pdf:Trapped>
<pdfxid:GTS_PDFXVersion>{version}</pdfxid:GTS_PDFXVersion>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"""
    stream = PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                       xmp.encode("utf-8"), filters=[])
    doc = canvas._doc  # type: ignore[attr-defined]  # private, not in the stubs
    doc.Catalog.Metadata = doc.Reference(stream)
