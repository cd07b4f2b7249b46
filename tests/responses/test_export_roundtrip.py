"""Exports open in a real spreadsheet: the CSV for Excel (UTF-8 with a byte-order mark), converted
by LibreOffice headless, keeps the Welsh letters and its numbers are numbers; the XLSX opens in
LibreOffice too, and reads back with openpyxl. Skips locally without ``soffice``; fails under CI=true
(tests/run.sh installs libreoffice-calc-nogui)."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from tests.responses.survey_cy import SLUG, answer

SOFFICE = shutil.which("soffice")
#: The CSV import a person picks in LibreOffice's dialog: comma, double quote, Unicode (UTF-8), from row 1.
CSV_UTF8 = "CSV:44,34,76,1"


@pytest.fixture
def soffice() -> str:
    """LibreOffice's soffice; skips locally without it, fails in CI."""
    if SOFFICE is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no soffice: apt-get install libreoffice-calc-nogui")
        pytest.skip("no soffice (apt-get install libreoffice-calc-nogui)")
    return SOFFICE


def convert(soffice: str, source: Path, to: str, tmp_path: Path, infilter: str | None = None) -> Path:
    """source converted by LibreOffice headless (its own profile, a time limit) into tmp_path/out."""
    out = tmp_path / "out"
    args = [soffice, f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless",
            "--norestore", "--convert-to", to, "--outdir", str(out), str(source)]
    if infilter:
        args.insert(3, f"--infilter={infilter}")
    subprocess.run(args, check=True, capture_output=True, timeout=120)
    return out / f"{source.stem}.{to.split(':')[0]}"


def test_the_csv_for_excel_opens_in_libreoffice_with_welsh_letters_and_numbers(app, staff_client, soffice,
                                                                               tmp_path) -> None:  # type: ignore[no-untyped-def]
    answer(app)
    body = staff_client.get(f"/staff/c/{SLUG}/responses.csv?excel=1&lang=cy").get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    source = tmp_path / "responses.csv"
    source.write_bytes(body)
    sheet = openpyxl.load_workbook(convert(soffice, source, "xlsx", tmp_path, CSV_UTF8)).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert header[0] == "uuid"  # the byte-order mark is read as one, not as text in the first cell
    table = [dict(zip(header, row, strict=True)) for row in rows]
    place = "Ble ydych chi'n teimlo'n fwyaf diogel?"
    assert sorted(row[place] for row in table) == ["Yn y tŷ", "Yn y tŷ", "Yn yr ŵyl", "Yn yr ŵyl"]
    assert "Mae'r ŵyl yn y tŷ" in {row["Unrhyw beth arall?"] for row in table}
    safe = [row["Pa mor ddiogel ydych chi'n teimlo?"] for row in table]
    assert sorted(safe) == [2, 3, 4, 5] and all(isinstance(v, int | float) for v in safe)
    words = {row["Unrhyw beth arall?"] for row in table}
    assert -3.5 in words  # a negative number stays a number, without the formula guard's apostrophe
    assert 3 not in words and any(isinstance(v, str) and "=1+2" in v for v in words)  # never run
    assert sorted(row["version"] for row in table) == [1, 1, 1, 1]


def test_the_xlsx_opens_in_libreoffice_and_reads_back_with_openpyxl(app, staff_client, soffice,
                                                                    tmp_path) -> None:  # type: ignore[no-untyped-def]
    answer(app)
    source = tmp_path / "responses.xlsx"
    source.write_bytes(staff_client.get(f"/staff/c/{SLUG}/responses.xlsx?lang=cy").get_data())
    book = openpyxl.load_workbook(source)
    assert [c.value for c in book.active[1]][10] == "Ble ydych chi'n teimlo'n fwyaf diogel?"
    text = convert(soffice, source, "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path).read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["Pa mor ddiogel ydych chi'n teimlo?"] for r in rows) == ["2", "3", "4", "5"]
    assert "Mae'r ŵyl yn y tŷ" in {r["Unrhyw beth arall?"] for r in rows}
    assert "Yn yr ŵyl" in {r["Ble ydych chi'n teimlo'n fwyaf diogel?"] for r in rows}
