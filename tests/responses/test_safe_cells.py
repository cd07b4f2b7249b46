"""CSV cells: text a spreadsheet would run as a formula gets an apostrophe; numbers stay numbers."""

from __future__ import annotations

import pytest

from kiosk.responses.store import safe_cell


@pytest.mark.parametrize("value", ["-3.5", -3.5, "+44 7700 900123", "-.5", "-3.5e-2", "42", 0])
def test_numbers_and_phone_numbers_keep_their_sign(value) -> None:  # type: ignore[no-untyped-def]
    assert safe_cell(value) == str(value)


@pytest.mark.parametrize("value", ["=1+2", "-2+3", "+cmd|' /C calc'!A0", "@SUM(1)", "-", "- 3",
                                   "%x", "\t1", "\r=1", "|x", "=HYPERLINK(\"http://x\")"])
def test_formulas_get_an_apostrophe(value) -> None:  # type: ignore[no-untyped-def]
    assert safe_cell(value) == "'" + value


def test_plain_text_is_unchanged() -> None:
    assert safe_cell("More patrols, please") == "More patrols, please"
    assert safe_cell(None) == ""
