"""Bilingual text: consultation content is a {"en": …, "cy": …} dict, shown in the reader's language.

The reader's language comes from Flask-Babel's locale (chosen per request in ``kiosk.web.i18n``),
so domain code picks a language without reading the request itself.
"""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale

from kiosk.core.problems import Problem

#: The languages of consultation content: English always, Welsh beside it.
LANGS = ("en", "cy")


def language() -> str:
    """The language Flask-Babel chose for this request ("en" outside one)."""
    locale = get_locale()
    return locale.language if locale else "en"


def tr(value: dict | str | None, lang: str | None = None) -> str:
    """Pick one language from a bilingual text, falling back to English."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    lang = lang or language()
    return value.get(lang) or value.get("en") or ""


def text(value: Any, path: str, problems: list[Problem], required: bool = True) -> dict | None:
    """Check and tidy a bilingual text: the one rule for definitions, events and prize draws.

    A plain string is English. Each language is stripped, and an empty one is absent. English is
    needed whenever any text is given, and when the text is required; an unknown language or a
    value that is not text is a problem at ``path``. Returns ``{"en": …, "cy"?: …}`` or None.
    """
    if isinstance(value, str):
        value = {"en": value}
    if value is None:
        value = {}
    if not isinstance(value, dict):
        problems.append(Problem(path, "must be text or a mapping of en/cy text"))
        return None
    unknown = sorted(set(value) - set(LANGS))
    if unknown:
        problems.append(Problem(path, f"unknown language {unknown[0]!r} (use en, cy)"))
    out: dict[str, str] = {}
    for lang in LANGS:
        given = value.get(lang)
        if given is None:
            continue
        if not isinstance(given, str):
            problems.append(Problem(f"{path}.{lang}", "must be text"))
        elif given.strip():
            out[lang] = given.strip()
    if not out:
        if required:
            problems.append(Problem(path, "is required"))
        return None
    if "en" not in out:
        problems.append(Problem(f"{path}.en", "English text is required"))
        return None
    return out
