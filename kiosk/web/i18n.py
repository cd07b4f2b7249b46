"""Languages: Flask-Babel for interface strings, chosen per request; tr() (kiosk.core.text) in templates."""

from __future__ import annotations

from flask import Flask, current_app, g, request, session
from flask_babel import Babel

from kiosk.core.text import tr

babel = Babel()


def current_language() -> str:
    """The language of this request: ?lang=, then the session, then the configured default."""
    langs = current_app.config["LANGUAGES"]
    asked = request.args.get("lang") if request else None
    if asked is not None and asked in langs:
        return asked
    chosen = session.get("lang") if request else None
    if isinstance(chosen, str) and chosen in langs:
        return chosen
    return getattr(g, "default_language", None) or langs[0]


#: Babel locales for dates and numbers: British English ("1 March 2027"), not Babel's US "en".
LOCALES = {"en": "en_GB", "cy": "cy_GB"}


def _locale() -> str:
    lang = current_language()
    return LOCALES.get(lang, lang)


def init_app(app: Flask) -> None:
    """Wire Flask-Babel and the template helpers."""
    babel.init_app(app, locale_selector=_locale,
                   default_translation_directories="translations")
    app.jinja_env.globals["tr"] = tr
    app.jinja_env.globals["current_language"] = current_language
