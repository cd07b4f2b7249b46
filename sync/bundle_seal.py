"""The outside of an offline bundle: one gzip file whose header comment carries the device id and
an HMAC over every byte after it, so the hub checks size and signature before inflating anything.

Layout (RFC 1952 with the FCOMMENT flag): ``1f 8b 08 10`` + mtime 0 + xfl + OS, then the comment
``voxbox-bundle/2 device=<id> hmac=<hex>`` and a zero byte, then raw DEFLATE data, CRC-32 and
length. Any gzip tool still opens it; the HMAC-SHA256 (key: SHA-256 of the device token) covers
``<device id>\\n`` and everything after the comment.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import struct
import zlib

#: Largest bundle file the hub reads, and the most its JSON may inflate to.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_INFLATED_BYTES = 128 * 1024 * 1024
MAX_ELEMENTS = 4_000_000
COMMENT = re.compile(rb"voxbox-bundle/2 device=([0-9a-f-]{1,64}) hmac=([0-9a-f]{64})\Z")
_HEAD = b"\x1f\x8b\x08\x10\x00\x00\x00\x00\x00\xff"


def _mac(key: bytes, device_id: str, body: bytes) -> str:
    return hmac.new(key, device_id.encode() + b"\n" + body, hashlib.sha256).hexdigest()


def wrap(payload: bytes, device_id: str, key: bytes) -> bytes:
    """Gzip payload into a signed bundle file."""
    z = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = z.compress(payload) + z.flush() + struct.pack(
        "<II", zlib.crc32(payload), len(payload) & 0xFFFFFFFF)
    comment = f"voxbox-bundle/2 device={device_id} hmac={_mac(key, device_id, body)}".encode()
    return _HEAD + comment + b"\x00" + body


def signer(data: bytes) -> tuple[str, str, bytes] | None:
    """(device id, hmac, signed body) from a bundle's header, or None if it has no signature."""
    if len(data) < 12 or data[:4] != _HEAD[:4]:
        return None
    end = data.find(b"\x00", 10, 10 + 200)
    if end < 0:
        return None
    found = COMMENT.match(data[10:end])
    if not found:
        return None
    return found.group(1).decode(), found.group(2).decode(), data[end + 1:]


def verify(key: bytes, device_id: str, given: str, body: bytes) -> bool:
    """True when the HMAC over the body is the device's."""
    return hmac.compare_digest(_mac(key, device_id, body), given)
