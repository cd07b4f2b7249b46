"""Downloads of responses: CSV streamed, named, and with a UTF-8 byte-order mark when asked
(``?excel=1``), so Excel shows "ŵ" as "ŵ" rather than "Åµ" (LibreOffice and scripts read either);
XLSX streamed from openpyxl's write-only workbook. ``?values=1`` asks for question keys and stored
values instead of question text and option labels; ``?lang=cy`` for the Welsh texts."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from flask import Response, request, stream_with_context

from kiosk.responses import xlsx
from kiosk.responses.store import safe_cell

BOM = "\ufeff"


def export_form() -> dict[str, Any]:
    """The export's form from the query string: labels (default) or values, and the language."""
    return {"labels": request.args.get("values") != "1",
            "lang": "cy" if request.args.get("lang") == "cy" else "en"}


def counted_form() -> dict[str, Any]:
    """Which rows an export covers beyond the counted ones: ``excluded=1`` adds staff-excluded
    responses, ``synthetic=1``/``0`` includes or leaves out synthetic ones (kiosk.responses.counting)."""
    return {"excluded": request.args.get("excluded") == "1",
            "synthetic": {"1": True, "0": False}.get(request.args.get("synthetic") or "")}


def csv_download(lines: Iterable[str], filename: str) -> Response:
    """A streamed CSV attachment; a byte-order mark first when the request asks for ``excel=1``."""
    body: Iterable[str] = lines
    if request.args.get("excel") == "1":
        body = itertools.chain([BOM], lines)
    return Response(stream_with_context(iter(body)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def xlsx_download(chunks: Iterable[bytes], filename: str) -> Response:
    """A streamed XLSX attachment."""
    return Response(stream_with_context(iter(chunks)), mimetype=xlsx.MIMETYPE,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Rows of cells as CSV lines, each cell made safe to open in a spreadsheet."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    for row in rows:
        buf.seek(0)
        buf.truncate()
        writer.writerow([safe_cell(v) for v in row])
        yield buf.getvalue()
