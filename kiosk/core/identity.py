"""The public body's own identity (name, logo, colours, contact) and bilingual headings."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app
from flask_babel import gettext as _
from markupsafe import Markup, escape

from kiosk.core.text import language

#: Logo file types the header may show, by suffix.
LOGO_TYPES = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def org_name(lang: str | None = None) -> str:
    """The organisation's name in a language; a neutral "Have your say" when none is configured."""
    cfg = current_app.config
    lang = lang or language()
    if lang == "cy" and cfg["ORG_NAME_CY"]:
        return str(cfg["ORG_NAME_CY"])
    return str(cfg["ORG_NAME"]) or _("Have your say")


def logo_path(app: Flask) -> Path | None:
    """The configured logo file inside the instance folder, if it exists and is an image type."""
    name = app.config["ORG_LOGO"]
    if not name:
        return None
    path = (Path(app.instance_path) / name).resolve()
    if path.suffix.lower() not in LOGO_TYPES or not path.is_file():
        return None
    return path


def org_names() -> dict[str, str] | None:
    """The organisation's name in each language for print, or None when none is configured."""
    cfg = current_app.config
    if not cfg["ORG_NAME"]:
        return None
    return {"en": str(cfg["ORG_NAME"]), "cy": str(cfg["ORG_NAME_CY"] or cfg["ORG_NAME"])}


def dpo_contact() -> str:
    """Where residents reach the data protection officer."""
    cfg = current_app.config
    return str(cfg["ORG_DPO_CONTACT"] or cfg["ORG_CONTACT"])


def welsh_first() -> bool:
    """Whether bilingual headings put Welsh first (a kiosk setting; posters have their own)."""
    return bool(current_app.config["WELSH_FIRST"]) and "cy" in current_app.config["LANGUAGES"]


def both(en: str, cy: str, sep: str = " / ") -> Markup:
    """A heading in English and Welsh, each marked with its language, in the configured order."""
    parts = [("en", en), ("cy", cy)]
    if welsh_first():
        parts.reverse()
    return Markup(escape(sep)).join(Markup('<span lang="{}">{}</span>').format(code, text)
                                    for code, text in parts)


def init_app(app: Flask) -> None:
    """Offer the identity helpers to templates."""
    app.jinja_env.globals.update(org_name=org_name, both=both, dpo_contact=dpo_contact,
                                 has_logo=lambda: logo_path(current_app) is not None)
