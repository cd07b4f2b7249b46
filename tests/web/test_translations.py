"""The Welsh catalogue covers every interface string, and the committed .mo matches the .po."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = ROOT / "kiosk" / "translations" / "cy" / "LC_MESSAGES"
#: _l (`pybabel extract -F babel.cfg -k _l -k lazy_gettext ...`, as babel.cfg says).
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}


def interface_strings() -> Catalog:
    """What `pybabel extract` finds in the templates and Python code."""
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    catalog = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def welsh_catalogue() -> Catalog:
    """The committed Welsh message catalogue (.po)."""
    with (MESSAGES / "messages.po").open("rb") as fh:
        return read_po(fh)


@pytest.fixture(scope="module")
def extracted() -> Catalog:
    return interface_strings()


@pytest.fixture(scope="module")
def welsh() -> Catalog:
    return welsh_catalogue()


def resident_facing(path: str) -> bool:
    """Every template and all Python code: residents' pages and the staff's alike are bilingual."""
    return path.endswith((".py", ".html"))


def _where(message) -> str:  # type: ignore[no-untyped-def]
    return ", ".join(f"{f}:{n}" for f, n in message.locations[:2])


def test_extraction_finds_the_interface_strings(extracted: Catalog) -> None:
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in extracted if m.id}
    assert {"Submit my answers", "Kiosk staff panel", "That PIN is not right.",
            "This question needs an answer.", "Your answers have been saved."} <= ids
    assert len(ids) > 300
    sources = {f for m in extracted for f, _ in m.locations}
    assert any(f.startswith("kiosk/templates/kiosk/") for f in sources)
    assert any(f.startswith("kiosk/web/") for f in sources)


def test_every_interface_string_has_a_welsh_translation(extracted: Catalog, welsh: Catalog) -> None:
    missing, empty, fuzzy = [], [], []
    for message in extracted:
        if not message.id or not any(resident_facing(f) for f, _ in message.locations):
            continue
        found = welsh.get(message.id, message.context)
        label = f"{message.id!r} ({_where(message)})"
        if found is None:
            missing.append(label)
        elif found.fuzzy:
            fuzzy.append(label)
        elif not all(found.string) if isinstance(found.string, tuple) else not found.string:
            empty.append(label)
    assert missing == [], f"not in the cy catalogue (run pybabel update): {missing}"
    assert empty == [], f"untranslated in the cy catalogue: {empty}"
    assert fuzzy == [], f"fuzzy in the cy catalogue: {fuzzy}"


def test_welsh_translations_keep_their_placeholders(welsh: Catalog) -> None:
    problems = [f"{m.id!r}: {err}" for m, errors in welsh.check() for err in errors]
    assert problems == []


def test_the_committed_mo_is_compiled_from_the_po(welsh: Catalog, tmp_path: Path) -> None:
    compiled = tmp_path / "messages.mo"
    with compiled.open("wb") as fh:
        write_mo(fh, welsh)  # as `pybabel compile` does: fuzzy entries left out
    with compiled.open("rb") as fresh, (MESSAGES / "messages.mo").open("rb") as committed:
        expected, actual = gettext.GNUTranslations(fresh), gettext.GNUTranslations(committed)
    # compare what the catalogues translate, not the bytes (the header's dates may differ)
    want = {k: v for k, v in expected._catalog.items() if k != ""}  # type: ignore[attr-defined]
    have = {k: v for k, v in actual._catalog.items() if k != ""}  # type: ignore[attr-defined]
    stale = sorted(str(k) for k in want.keys() ^ have.keys() | {k for k in want if want[k] != have.get(k)})
    assert stale == [], f"recompile: pybabel compile -d kiosk/translations ({stale[:10]})"
    assert expected.plural(2) == actual.plural(2) and expected.plural(6) == actual.plural(6)


@pytest.mark.parametrize("slug, form, welsh_text, english_text", [
    ("policing-priorities", {}, "Mae angen ateb i’r cwestiwn hwn.", "This question needs an answer."),
    ("police-budget-2027", {"budget.local_policing": "lots"},
     "Plismona bro: teipiwch swm mewn punnoedd", "please type an amount in pounds"),
])
def test_answer_errors_reach_a_welsh_resident_in_welsh(kiosk_app, slug: str, form: dict,
                                                       welsh_text: str, english_text: str) -> None:
    from tests.conftest import csrf_token

    client = kiosk_app.test_client()
    token = csrf_token(client, "/kiosk/")
    client.post("/lang", data={"csrf_token": token, "lang": "cy", "next": "/kiosk/"})
    step = client.post(f"/kiosk/c/{slug}", data={"csrf_token": token}).location
    r = client.post(step, data={"csrf_token": token, "action": "next", **form})
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and '<html lang="cy">' in page
    assert welsh_text in page and english_text not in page
