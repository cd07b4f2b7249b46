"""CSV downloads: streamed, named, and with a UTF-8 byte-order mark when asked (``?excel=1``), so
Excel shows "ŵ" as "ŵ" rather than "Åµ"; LibreOffice and scripts read either."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from flask import Response, request, stream_with_context

from kiosk.responses.store import safe_cell

BOM = "\ufeff"


def csv_download(lines: Iterable[str], filename: str) -> Response:
    """A streamed CSV attachment; a byte-order mark first when the request asks for ``excel=1``."""
    body: Iterable[str] = lines
    if request.args.get("excel") == "1":
        body = itertools.chain([BOM], lines)
    return Response(stream_with_context(iter(body)), mimetype="text/csv",
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
