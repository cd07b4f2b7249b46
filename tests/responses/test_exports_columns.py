"""Exports people can open: question text and option labels by default (keys and stored values
with ?values=1), one 1/0 column per multiple-choice option, numbers as numbers, XLSX read back."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from tests.responses.survey_cy import SLUG, answer

HEAR = "How should we reach you?"


@pytest.fixture
def exported(app, staff_client):  # type: ignore[no-untyped-def]
    uuids = answer(app)

    def get(path: str) -> list[dict[str, str]]:
        body = staff_client.get(f"/staff/c/{SLUG}/{path}").get_data(as_text=True)
        rows = list(csv.DictReader(io.StringIO(body)))
        return sorted(rows, key=lambda r: uuids.index(r["uuid"]))

    return get


def test_the_default_csv_has_question_text_option_labels_and_a_column_per_option(exported) -> None:  # type: ignore[no-untyped-def]
    rows = exported("responses.csv")
    assert [r["Where do you feel safest?"] for r in rows] == ["At the fair", "At home", "At home", "At the fair"]
    assert [r["How safe do you feel?"] for r in rows] == ["4", "2", "5", "3"]
    assert [r["Anything else?"] for r in rows] == ["Mae'r ŵyl yn y tŷ", "-3.5", "'=1+2", ""]
    assert [r[f"{HEAR}: Other (text)"] for r in rows] == ["", "Drwy'r ŷd", "", ""]
    assert "place" not in rows[0] and HEAR not in rows[0]  # no joined column: one per option
    by_option = {o: [r[f"{HEAR}: {o}"] for r in rows] for o in ("Post", "Email", "Street stall", "Other")}
    assert by_option == {"Post": ["1", "0", "", "0"], "Email": ["0", "0", "", "1"],
                         "Street stall": ["1", "0", "", "0"], "Other": ["0", "1", "", "0"]}


def test_values_give_keys_and_stored_values_and_lang_gives_welsh_labels(exported) -> None:  # type: ignore[no-untyped-def]
    rows = exported("responses.csv?values=1")
    assert [r["place"] for r in rows] == ["fair", "home", "home", "fair"]
    assert [r["hear"] for r in rows] == ["post; stall", "other", "", "email"]
    assert [r["hear:stall"] for r in rows] == ["1", "0", "", "0"]
    assert [r["hear.other"] for r in rows] == ["", "Drwy'r ŷd", "", ""]
    report = exported("report.csv?values=1")
    assert [r["place"] for r in report] == ["fair", "home", "home", "fair"] and "flags" in report[0]
    rows = exported("responses.csv?lang=cy")
    assert [r["Ble ydych chi'n teimlo'n fwyaf diogel?"] for r in rows][:2] == ["Yn yr ŵyl", "Yn y tŷ"]
    assert "Sut dylen ni gysylltu â chi?: Stondin stryd" in rows[0]


def test_the_xlsx_reads_back_with_numbers_as_numbers_and_text_as_text_and_is_linked(app, staff_client) -> None:  # type: ignore[no-untyped-def]
    answer(app)
    for path in ("responses.xlsx", "report.xlsx"):
        r = staff_client.get(f"/staff/c/{SLUG}/{path}")
        assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
        sheet = openpyxl.load_workbook(io.BytesIO(r.get_data())).active
        header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        table = [dict(zip(header, row, strict=True)) for row in rows]
        assert sorted(row["How safe do you feel?"] for row in table) == [2, 3, 4, 5]  # ints, not text
        assert {row["Anything else?"] for row in table} == {"Mae'r ŵyl yn y tŷ", -3.5, "=1+2", None}
        formula = next(c for row in sheet.iter_rows() for c in row if c.value == "=1+2")
        assert formula.data_type == "s"  # a text cell: a spreadsheet never runs it
        assert {row[f"{HEAR}: Post"] for row in table} == {1, 0, None}
    page = staff_client.get(f"/staff/c/{SLUG}").get_data(as_text=True)
    for link in ("responses.csv", "responses.csv?excel=1", "responses.xlsx", "responses.csv?values=1"):
        assert f"/staff/c/{SLUG}/{link}\"" in page, link
    report = staff_client.get(f"/staff/c/{SLUG}/report").get_data(as_text=True)
    assert f"/staff/c/{SLUG}/report.xlsx\"" in report
