"""The wire format: push items, their checks, and gzip'd JSON bodies.

A push item is ``{"record": <wire record>, "hash": <sha256 hex>}``; the record is exactly what
``kiosk.responses.store.wire`` makes and the hash is ``kiosk.responses.store.content_hash`` of it.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import uuid as uuidlib
import zlib
from typing import Any

from kiosk.core.timeutil import iso, parse_iso
from kiosk.responses.models import Response
from kiosk.responses.store import CHANNELS, HASHED, content_hash, wire

#: Upper bounds a hub enforces on one request, before and after decompression.
MAX_BODY_BYTES = 32 * 1024 * 1024
MAX_INFLATED_BYTES = 128 * 1024 * 1024
MAX_ITEMS = 5000
STATUSES = ("accepted", "duplicate", "conflict", "rejected")
#: What str(uuid.UUID(x)) gives, and what iso() gives for a naive UTC datetime.
CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
UTC_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?Z\Z")
#: The largest definition version a record may name (a signed 32-bit database integer).
MAX_VERSION = 2**31 - 1
_TEXT_LIMITS = {"language": 5, "device_id": 36, "event_id": 36, "tracking_code": 16,
                "consultation": 63}


class WireError(ValueError):
    """A body that cannot be read as a push request."""


def item(r: Response) -> dict[str, Any]:
    """A queued response as a push item, with the hash stored when it was submitted."""
    return {"record": wire(r), "hash": r.content_hash}


def gzip_json(value: Any) -> bytes:
    """Compact JSON, gzip'd."""
    return gzip.compress(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode(),
                         compresslevel=6, mtime=0)


def inflate(body: bytes, limit: int = MAX_INFLATED_BYTES) -> bytes:
    """Decompress a gzip body, refusing truncated data and anything inflating past the limit."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(body, limit)
    except zlib.error as exc:
        raise WireError(f"not valid gzip data ({exc})") from None
    if d.unconsumed_tail:
        raise WireError(f"decompressed body exceeds {limit} bytes")
    if not d.eof:
        raise WireError("gzip data is truncated")
    return out


def parse_items(payload: Any) -> list[Any]:
    """The items list of a push payload; WireError if the payload has the wrong shape."""
    if not isinstance(payload, dict) or not isinstance(payload.get("items"), list):
        raise WireError("the body must be a JSON object with an 'items' array")
    if len(payload["items"]) > MAX_ITEMS:
        raise WireError(f"at most {MAX_ITEMS} items per batch")
    return payload["items"]


def check_item(raw: Any) -> tuple[str | None, str | None, dict | None, str | None]:
    """(uuid, hash, record, problem): problem is None when the item is well formed."""
    if not isinstance(raw, dict) or not isinstance(raw.get("record"), dict):
        return None, None, None, "an item must be an object with a 'record' object"
    record, given = raw["record"], raw.get("hash")
    uid = record.get("uuid") if isinstance(record.get("uuid"), str) else None
    if not isinstance(given, str) or len(given) != 64:
        return uid, None, record, "'hash' must be a 64-character SHA-256 hex digest"
    problem = _check_record(record)
    if problem is None and content_hash(record) != given:
        problem = "the content hash does not match the record"
    return uid, given, record, problem


def _check_record(record: dict) -> str | None:
    missing = [k for k in HASHED if k not in record]
    if missing:
        return f"missing fields: {', '.join(missing)}"
    extra = sorted(set(record) - set(HASHED))
    if extra:
        return f"unknown fields: {', '.join(extra)}"
    if not (isinstance(record["uuid"], str) and CANONICAL_UUID.match(record["uuid"])):
        try:
            uuidlib.UUID(str(record["uuid"]))
        except ValueError:
            return "'uuid' is not a UUID"
        return "'uuid' must be in lower-case 8-4-4-4-12 form"
    if not isinstance(record["version"], int) or isinstance(record["version"], bool):
        return "'version' must be an integer"
    if not 1 <= record["version"] <= MAX_VERSION:  # a database integer column holds no more
        return f"'version' must be between 1 and {MAX_VERSION}"
    if not isinstance(record["answers"], dict):
        return "'answers' must be an object"
    if record["channel"] not in CHANNELS:
        return f"'channel' must be one of {', '.join(CHANNELS)}"
    for key, limit in _TEXT_LIMITS.items():
        value = record[key]
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            return f"'{key}' must be text of at most {limit} characters"
    if not isinstance(record["consultation"], str) or not isinstance(record["language"], str):
        return "'consultation' and 'language' are required text"
    for key in ("started_at", "submitted_at"):
        value = record[key]
        if value is None and key == "started_at":
            continue
        if not isinstance(value, str) or _round_trip(value) != value:
            return f"'{key}' must be a UTC time like 2026-11-01T10:00:00Z"
    return None


def _round_trip(value: str) -> str | None:
    """The text iso(parse_iso(value)) gives, so the hub re-hashes exactly what was sent."""
    if UTC_TIME.match(value) and not value.endswith(".000000Z"):
        try:  # the exact form iso() writes: only the date itself can still be wrong
            dt.datetime.fromisoformat(value[:-1])
        except ValueError:
            return None
        return value
    try:
        return iso(parse_iso(value))
    except ValueError:
        return None


def to_row(record: dict, given_hash: str) -> dict[str, Any]:
    """A checked wire record as a ``responses`` row for the hub."""
    return {
        "uuid": record["uuid"], "consultation_slug": record["consultation"],
        "version": record["version"], "answers": record["answers"],
        "language": record["language"], "channel": record["channel"],
        "device_id": record["device_id"], "event_id": record["event_id"],
        "tracking_code": record["tracking_code"], "started_at": _utc(record["started_at"]),
        "submitted_at": _utc(record["submitted_at"]), "content_hash": given_hash,
    }


def _utc(value: str | None) -> dt.datetime | None:
    """A checked wire time (``…Z``, as iso() writes it) as a naive UTC datetime."""
    return dt.datetime.fromisoformat(value[:-1]) if value else None
