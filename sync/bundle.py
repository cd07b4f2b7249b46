"""Offline bundles: a kiosk's queue on a USB stick, and the hub's receipt back.

A bundle is gzip'd JSON ``{"format", "manifest", "items", "entries", "hmac"}``: the queued
responses and the sealed prize-draw entries (still sealed: the kiosk cannot read them either).
The HMAC-SHA256 covers the canonical JSON of ``{"manifest", "items", "entries"}`` and is keyed with SHA-256(device token) — the raw 32
bytes — because that hash is all the hub keeps of a token. The hub signs its receipt the same way,
so the kiosk can trust a receipt before it marks anything synced.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import uuid
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from kiosk.consultations.definitions import canonical
from kiosk.core.db import db
from kiosk.core.stored_settings import get_setting
from kiosk.core.timeutil import iso, utcnow
from kiosk.devices import store as devices
from kiosk.devices.models import SyncReceipt
from kiosk.draws import scrub
from sync import bodies, bundle_seal, client, ingest, wire
from sync import entries as entry_sync

BUNDLE_FORMAT = "voxbox-bundle/1"
RECEIPT_FORMAT = "voxbox-receipt/1"


class BundleError(ValueError):
    """A bundle or receipt that is refused; the message says why, and nothing was changed."""


def sign(key: bytes, content: dict[str, Any]) -> str:
    """HMAC-SHA256 hex of the canonical JSON of content."""
    return hmac.new(key, canonical(content).encode(), hashlib.sha256).hexdigest()


def key_for_token(token: str) -> bytes:
    """The bundle key for a device token: SHA-256 of the token, as the hub stores it."""
    return hashlib.sha256(token.encode()).digest()


def export(app: Flask, path: str | os.PathLike[str]) -> dict[str, Any]:
    """Write every queued response and entry to one signed, compressed file; return its manifest."""
    client.connect(app).close()  # enrolled kiosks only: the hub must know the signing device
    items = [wire.item(r) for rows in client.queued_batches(5000) for r in rows]
    entries = entry_sync.pending(limit=None)
    manifest = {"bundle_id": str(uuid.uuid4()), "device_id": get_setting(client.DEVICE_ID),
                "device_name": get_setting(client.DEVICE_NAME), "created_at": iso(utcnow()),
                "count": len(items), "entries": len(entries)}
    content = {"manifest": manifest, "items": items, "entries": entries}
    doc = {"format": BUNDLE_FORMAT, **content,
           "hmac": sign(key_for_token(get_setting(client.TOKEN)), content)}
    payload = json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode()
    _write_atomically(Path(path), bundle_seal.wrap(payload, manifest["device_id"],
                                                   key_for_token(get_setting(client.TOKEN))))
    return manifest


def read(data: bytes) -> tuple[dict[str, Any], devices.Device]:
    """Check a bundle whole before anything is stored: its size, then the device and HMAC over
    its raw bytes (before anything is inflated or parsed), then gzip, format, HMAC and counts."""
    if len(data) > bundle_seal.MAX_FILE_BYTES:
        raise BundleError(f"the bundle is larger than {bundle_seal.MAX_FILE_BYTES} bytes")
    signed = bundle_seal.signer(data)
    if signed is None:
        raise BundleError("the bundle is truncated or damaged, or carries no device signature "
                          "(HMAC mismatch): nothing imported")
    signer_id, given, body = signed
    device = devices.get(signer_id)
    if device is None or device.token_hash is None:
        raise BundleError(f"the bundle's device {signer_id!r} is not enrolled here")
    if device.revoked_at is not None:
        raise BundleError(f"the bundle's device {device.name!r} has been revoked")
    if not bundle_seal.verify(bytes.fromhex(device.token_hash), signer_id, given, body):
        raise BundleError("the bundle is truncated or damaged, altered, or was not made by this "
                          "device (HMAC mismatch): nothing imported")
    try:
        doc = bodies.parse(data, "gzip", bundle_seal.MAX_INFLATED_BYTES, bundle_seal.MAX_ELEMENTS)
    except bodies.BodyError as exc:
        raise BundleError(f"the bundle is truncated or damaged: {exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != BUNDLE_FORMAT:
        raise BundleError(f"not a voxbox bundle (expected format {BUNDLE_FORMAT})")
    manifest, items, entries = doc.get("manifest"), doc.get("items"), doc.get("entries")
    if not isinstance(manifest, dict) or not isinstance(items, list) or not isinstance(entries, list):
        raise BundleError("the bundle has no manifest, items or entries")
    if manifest.get("device_id") != device.id:
        raise BundleError("the bundle's manifest names another device than its signature")
    expected = sign(bytes.fromhex(device.token_hash),
                    {"manifest": manifest, "items": items, "entries": entries})
    if not hmac.compare_digest(expected, str(doc.get("hmac", ""))):
        raise BundleError("the bundle has been altered or was not made by this device "
                          "(HMAC mismatch): nothing imported")
    if manifest.get("count") != len(items) or manifest.get("entries") != len(entries):
        raise BundleError("the bundle's item count does not match its manifest")
    return doc, device


def import_bundle(data: bytes) -> dict[str, Any]:
    """Verify a bundle, ingest it with the push rules, and return the signed receipt."""
    doc, device = read(data)
    bundle_id = str(doc["manifest"].get("bundle_id") or "")[:64] or None
    replayed = bundle_id is not None and db.session.execute(
        select(SyncReceipt.id).filter_by(source="bundle", batch_id=bundle_id).limit(1)
    ).first() is not None
    items: list[dict[str, Any]] = []
    counts = dict.fromkeys(wire.STATUSES, 0)
    for start in range(0, max(1, len(doc["items"])), wire.MAX_ITEMS):  # an empty bundle logs too
        part = ingest.ingest(doc["items"][start:start + wire.MAX_ITEMS], device_id=device.id,
                             source="bundle", batch_id=bundle_id)
        items += part["items"]
        for status, n in part["counts"].items():
            counts[status] += n
    entry_lines: list[dict[str, Any]] = []
    for start in range(0, len(doc["entries"]), wire.MAX_ITEMS):
        entry_lines += entry_sync.ingest(doc["entries"][start:start + wire.MAX_ITEMS],
                                         device_id=device.id)["items"]
    content = {"format": RECEIPT_FORMAT, "bundle_id": bundle_id, "device_id": device.id,
               "received_at": iso(utcnow()), "replayed": replayed, "counts": counts,
               "items": items, "entries": entry_lines}
    return {**content, "hmac": sign(bytes.fromhex(device.token_hash or ""), content)}


def confirm(app: Flask, data: bytes) -> dict[str, int]:
    """Apply a hub receipt for an exported bundle: mark synced / set aside, in one transaction."""
    client.connect(app).close()
    try:
        receipt = json.loads(data)
    except ValueError:
        raise BundleError("the receipt is damaged: it is not JSON") from None
    if not isinstance(receipt, dict) or receipt.get("format") != RECEIPT_FORMAT:
        raise BundleError(f"not a voxbox receipt (expected format {RECEIPT_FORMAT})")
    if receipt.get("device_id") != get_setting(client.DEVICE_ID):
        raise BundleError("this receipt is for another device")
    content = {k: v for k, v in receipt.items() if k != "hmac"}
    expected = sign(key_for_token(get_setting(client.TOKEN)), content)
    if not hmac.compare_digest(expected, str(receipt.get("hmac", ""))):
        raise BundleError("the receipt has been altered or was not signed by the hub "
                          "(HMAC mismatch): nothing changed")
    counts = client.apply_receipt(receipt.get("items") or [])
    entry_counts = entry_sync.apply_receipt(receipt.get("entries") or [])
    scrub.wipe_if_room(app)  # marked: now the deferred clean-up, when there is room for it
    return {**{s: counts.get(s, 0) for s in wire.STATUSES},
            **{f"entries {s}": entry_counts.get(s, 0) for s in entry_sync.STATUSES}}


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
