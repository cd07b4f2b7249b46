"""A resident's visit to a kiosk: what it leaves in the session, and ending it."""

from __future__ import annotations

from flask import session
from flask_login import current_user, logout_user

from kiosk.responses import drafts

#: What a visit leaves in the session besides the draft: the thank-you shown once and the prize
#: draws its resident may enter.
RESIDENT_KEYS = ("thanked", "draw_offers")


def end(everything: bool = True) -> None:
    """Forget the person at the tablet: their draft (deleted from the database) and session keys.

    With everything (an idle reset, "Finish", staff leaving the panel) the language chosen and a
    staff PIN sign-in go too; the start screen keeps the language, which is chosen there.
    """
    drafts.discard(session.pop("draft", None))
    for key in RESIDENT_KEYS + (("lang", "kiosk_staff") if everything else ()):
        session.pop(key, None)
    if everything and getattr(current_user, "key", None) == "pin":
        logout_user()
