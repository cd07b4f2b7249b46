"""What a device may claim in a pushed response: the hub trusts its token, not the record.

A well-formed record is still ``rejected``, with a reason, when it claims to come from another
enrolled device, on a channel a device does not collect (only ``kiosk`` and ``paper``), under a
tracking code the hub never issued, in a language the hub does not offer, or at a time outside the
clock-skew window: submitted more than ``MAX_FUTURE`` after the hub's clock, before ``EARLIEST``,
or started after it was submitted.

An ``event_id`` the hub does not know is not a reason to refuse the response: events made on a
kiosk's staff panel stay on that kiosk (only the hub's events travel, by ``sync pull``), so
refusing would keep honest answers off the hub for good. The hub stores such a response without
the event (no made-up event reaches the reports) and says so on the receipt line and in the
stored row's ``sync_note`` (``UNKNOWN_EVENT``); nothing else of the response is changed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from kiosk.core.db import db
from kiosk.devices.models import Device
from kiosk.events.models import Event
from kiosk.outreach.models import TrackingCode
from kiosk.responses.store import content_hash

DEVICE_CHANNELS = ("kiosk", "paper")
MAX_FUTURE = dt.timedelta(hours=24)
EARLIEST = dt.datetime(2020, 1, 1)
UNKNOWN_EVENT = ("stored without its event: the hub does not know event {!r} (an event made on"
                 " a kiosk stays on it; create events on the hub and pull them to tag responses)")


class Claims:
    """The facts one batch is checked against, read once per batch."""

    def __init__(self, device_id: str | None, languages: list[str], now: dt.datetime) -> None:
        self.device_id, self.languages, self.now = device_id, list(languages), now
        self.other_devices = set(db.session.execute(
            select(Device.id).where(Device.id != (device_id or ""))).scalars())
        self.codes: dict[str, bool] = {}
        self.events: dict[str, bool] = {}

    def problem(self, record: dict[str, Any]) -> str | None:
        """Why the hub will not believe this (well-formed) record, or None."""
        if record["device_id"] is not None and record["device_id"] in self.other_devices:
            return "'device_id' names another device than this token's"
        if record["channel"] not in DEVICE_CHANNELS:
            return f"'channel' from a device must be one of {', '.join(DEVICE_CHANNELS)}"
        if record["language"] not in self.languages:
            return f"'language' must be one of {', '.join(self.languages)}"
        code = record["tracking_code"]
        if code is not None and not self._known(code):
            return f"unknown tracking code {code!r}"
        submitted = _time(record["submitted_at"])
        started = _time(record["started_at"]) if record["started_at"] else None
        if submitted > self.now + MAX_FUTURE or submitted < EARLIEST:
            return ("'submitted_at' is outside the clock-skew window (from 2020-01-01 to 24 hours"
                    " after the hub's clock)")
        if started is not None and (started > submitted or started < EARLIEST):
            return "'started_at' must be before 'submitted_at' and after 2020-01-01"
        return None

    def without_unknown_event(self, record: dict[str, Any],
                              given: str) -> tuple[dict[str, Any], str, str | None]:
        """(record, hash, note): the record as the hub stores it; an event the hub does not know
        is dropped, the hash made anew for what is stored, and the note says why."""
        event = record["event_id"]
        if event is None:
            return record, given, None
        if event not in self.events:
            self.events[event] = db.session.get(Event, event) is not None
        if self.events[event]:
            return record, given, None
        kept = {**record, "event_id": None}
        return kept, content_hash(kept), UNKNOWN_EVENT.format(event)

    def _known(self, code: str) -> bool:
        if code not in self.codes:
            self.codes[code] = db.session.get(TrackingCode, code) is not None
        return self.codes[code]


def _time(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value[:-1] if value.endswith("Z") else value).replace(
        tzinfo=None)
