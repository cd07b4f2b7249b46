"""The model registry: every table voxbox has, imported once.

Each feature keeps its tables in its own ``models.py``; this module imports them all, so the
factory, Alembic and the tests see the whole schema. Feature code imports its tables from the
feature (``from kiosk.responses.models import Response``), never from here, and ``kiosk.core.db``
imports no feature at all.
"""

from __future__ import annotations

from kiosk.analysis.models import AnswerTheme, TextAnswer, TextIndexed, Theme, ThemeSuggestion
from kiosk.areas.models import Area, AreaKey
from kiosk.consultations.models import Consultation, ConsultationVersion, ResultsPublication
from kiosk.core.models import AccountToken, AuditEntry, Setting, User
from kiosk.devices.models import Device, SetAside, SyncReceipt
from kiosk.draws.models import (
    Draw,
    DrawClaim,
    DrawRun,
    Entry,
    EntryToken,
    InboxEntry,
    RightsRequest,
)
from kiosk.events.models import Event
from kiosk.outreach.models import CodeDestination, Scan, TrackingCode
from kiosk.reports.models import TallyAtom, TallyMark
from kiosk.responses.models import Draft, PaperEntry, Response
from kiosk.tablet.models import PinLock

__all__ = ["AccountToken", "AnswerTheme", "Area", "AreaKey", "AuditEntry", "CodeDestination", "Consultation",
           "ConsultationVersion", "Device", "Draft", "Draw", "DrawClaim", "DrawRun", "Entry", "EntryToken",
           "Event", "InboxEntry", "PaperEntry", "PinLock", "ResultsPublication", "RightsRequest", "Response", "Scan", "SetAside",
           "Setting", "SyncReceipt", "TallyAtom", "TallyMark", "TextAnswer", "TextIndexed", "Theme", "ThemeSuggestion",
           "TrackingCode", "User"]
