"""The states things pass through, named once: a consultation's status, a queued item's sync
state, and the status a hub gives each item in a receipt.

They are StrEnums, so a member is also its string: it is stored, sent and compared as that
string, and a typo is a NameError instead of a silent miss.
"""

from __future__ import annotations

from enum import StrEnum


class ConsultationStatus(StrEnum):
    """Where a consultation is in its life: drafted, taking answers, or closed."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class SyncState(StrEnum):
    """A response's or prize-draw entry's place in the sync: waiting on a kiosk (queued),
    acknowledged by the hub (synced), kept aside by it (conflict, rejected), or made on the hub
    itself (stored)."""

    QUEUED = "queued"
    SYNCED = "synced"
    CONFLICT = "conflict"
    REJECTED = "rejected"
    STORED = "stored"


class ReceiptStatus(StrEnum):
    """What the hub did with one pushed item: stored it, had it already, kept a different one
    with the same id, or refused it."""

    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"
    REJECTED = "rejected"


CONSULTATION_STATUSES: tuple[str, ...] = tuple(ConsultationStatus)
RECEIPT_STATUSES: tuple[str, ...] = tuple(ReceiptStatus)
#: The sync state a receipt status leaves on the kiosk's row.
STATE_FOR: dict[str, SyncState] = {
    ReceiptStatus.ACCEPTED: SyncState.SYNCED, ReceiptStatus.DUPLICATE: SyncState.SYNCED,
    ReceiptStatus.CONFLICT: SyncState.CONFLICT, ReceiptStatus.REJECTED: SyncState.REJECTED}


class ReviewState(StrEnum):
    """What staff decided about a response they looked at: kept as it is (reviewed), or left out
    of results with a reason (excluded; the response is never deleted)."""

    REVIEWED = "reviewed"
    EXCLUDED = "excluded"
