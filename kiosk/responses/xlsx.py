"""XLSX exports through openpyxl's write-only mode: each row goes to a temporary file as it comes,
so memory stays bounded however many responses there are; the finished workbook is then read out
in chunks. Numbers are numbers; text is always a text cell (never a formula, without the CSV's
apostrophe guard, which a spreadsheet would show)."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from kiosk.consultations.types import Definition
from kiosk.responses import exports
from kiosk.responses.models import Response

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Rows in one worksheet (Excel's limit); more responses go on to a further sheet.
MAX_ROWS = 1_048_576
#: Stored text that is a number, and no code or phone number: "58000000", "-3.5" (not "007", "+44 …").
NUMBER = re.compile(r"-?(0|[1-9]\d{0,14})(\.\d+)?")
CHUNK = 64 * 1024


def value(raw: Any) -> Any:
    """A cell value: numbers (and numeric text) as numbers, everything else as text or empty."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        return int(raw)
    if isinstance(raw, int | float):
        return raw
    text = str(raw)
    if NUMBER.fullmatch(text):
        return float(text) if "." in text else int(text)
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def chunks(header: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Responses") -> Iterator[bytes]:
    """The workbook's bytes: a header and the rows (streamed in), read out in chunks."""
    book = Workbook(write_only=True)
    sheet, used, sheets = book.create_sheet(title), 0, 1
    sheet.append(list(header))
    used = 1
    for row in rows:
        if used == MAX_ROWS:
            sheets += 1
            sheet = book.create_sheet(f"{title} {sheets}")
            sheet.append(list(header))
            used = 1
        sheet.append([_cell(sheet, v) for v in row])
        used += 1
    with tempfile.TemporaryFile() as out:
        book.save(out)
        out.seek(0)
        while chunk := out.read(CHUNK):
            yield chunk


def _cell(sheet: Any, raw: Any) -> Any:
    v = value(raw)
    if not isinstance(v, str):
        return v
    cell = WriteOnlyCell(sheet, v)
    cell.data_type = "s"  # "=…" is text here, never a formula
    return cell


def export(defn: Definition, rows: Iterable[Response], extra: Sequence[Any] = (), *, labels: bool = True,
           lang: str = "en") -> Iterator[bytes]:
    """Responses as an XLSX workbook, the same columns as the CSV export, streamed from rows."""
    cols = exports.columns(defn, labels, lang)
    return chunks(exports.header(cols, list(extra)), exports.rows(cols, iter(rows), list(extra)))
