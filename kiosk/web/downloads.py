"""CSV downloads: streamed, named, and with a UTF-8 byte-order mark when asked (``?excel=1``), so
Excel shows "ŵ" as "ŵ" rather than "Åµ"; LibreOffice and scripts read either."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from flask import Response, request, stream_with_context

BOM = "\ufeff"


def csv_download(lines: Iterable[str], filename: str) -> Response:
    """A streamed CSV attachment; a byte-order mark first when the request asks for ``excel=1``."""
    body: Iterable[str] = lines
    if request.args.get("excel") == "1":
        body = itertools.chain([BOM], lines)
    return Response(stream_with_context(iter(body)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
