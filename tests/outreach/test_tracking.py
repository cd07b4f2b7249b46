"""Tracking codes: unambiguous symbols, a check character that catches typing mistakes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.outreach import destinations, tracking
from tests.conftest import csrf_token, rows

bodies = st.text(alphabet=tracking.ALPHABET, min_size=5, max_size=5)


def test_new_codes_avoid_ambiguous_characters_and_validate() -> None:
    for _ in range(200):
        code = tracking.new_code()
        assert len(code) == 6 and not set(code) & set("01OIL")
        assert tracking.is_valid(code)


@given(bodies, st.integers(0, 5), st.sampled_from(tracking.ALPHABET))
def test_any_single_substitution_is_caught(body: str, pos: int, ch: str) -> None:
    code = body + tracking.check_char(body)
    typo = code[:pos] + ch + code[pos + 1:]
    assert tracking.is_valid(typo) == (typo == code)


@given(bodies, st.integers(0, 4))
def test_adjacent_transpositions_are_caught(body: str, pos: int) -> None:
    code = body + tracking.check_char(body)
    swapped = code[:pos] + code[pos + 1] + code[pos] + code[pos + 2:]
    assert tracking.is_valid(swapped) == (swapped == code)


def test_typed_codes_are_normalised() -> None:
    code = tracking.new_code()
    assert tracking.is_valid(f" {code[:3].lower()}-{code[3:]} ")
    assert not tracking.is_valid("O0I1L2")


def test_create_and_repoint(app) -> None:
    with app.app_context():
        row = tracking.create("policing-priorities", "bus_stop", "Stop 14, High St")
        assert tracking.get(row.code.lower()).label == "Stop 14, High St"
        destinations.repoint(row.code, "police-budget-2027", destinations.CLI)
        assert tracking.get(row.code).consultation_slug == "police-budget-2027"
        with pytest.raises(ValueError, match="kind must be one of"):
            tracking.create("policing-priorities", "lamp_post", "Lamp")
        with pytest.raises(ValueError, match="already in use"):
            tracking.create("policing-priorities", "cutout", "Again", code=row.code)
        with pytest.raises(ValueError, match="at most 200 characters"):
            tracking.create("policing-priorities", "cutout", "x" * 201)
        with pytest.raises(LookupError, match="no consultation 'nowhere'"):
            tracking.create("nowhere", "cutout", "Lost")
        with pytest.raises(LookupError, match="no consultation 'nowhere'"):
            destinations.repoint(row.code, "nowhere", destinations.CLI)
        assert tracking.get(row.code).consultation_slug == "police-budget-2027"


def test_a_known_code_on_the_link_is_recorded_on_the_response(app, client) -> None:
    from tests.responses.test_answers import VALID

    with app.app_context():
        code = tracking.create("policing-priorities", "cutout", "Library cutout").code
    token = csrf_token(client, f"/c/policing-priorities?code={code}")
    client.post("/c/policing-priorities", data={"csrf_token": token, "code": code, **VALID})
    client.post("/c/policing-priorities", data={"csrf_token": token, "code": "ZZZZZZ", **VALID})
    assert sorted(str(r.tracking_code) for r in rows(app)) == sorted([code, "None"])
