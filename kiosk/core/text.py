"""Bilingual text: consultation content is a {"en": …, "cy": …} dict, shown in the reader's language.

The reader's language comes from Flask-Babel's locale (chosen per request in ``kiosk.web.i18n``),
so domain code picks a language without reading the request itself.
"""

from __future__ import annotations

from flask_babel import get_locale


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
