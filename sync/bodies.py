"""Bounded request bodies: every sync body is capped in bytes (before and after gzip), in JSON
elements and in nesting depth before any of it is turned into Python objects.

The caps per endpoint: an enrollment is a code (``ENROLL_BYTES``); a push of responses or entries
is at most the hub's ``SYNC_BATCH_SIZE`` items of ``RESPONSE_ITEM_BYTES`` / ``ENTRY_ITEM_BYTES``
each on average, with ``ELEMENTS_PER_ITEM`` JSON values an item. A body over a byte cap is refused
with 413, one with too many JSON values or nested deeper than ``MAX_DEPTH`` with 400, so one
request cannot make the hub build gigabytes of objects (a gzip bomb, ``[[[[…`` or a million empty
objects).
"""

from __future__ import annotations

import json
from typing import Any

from kiosk.core.problems import (
    INVALID_GZIP,
    INVALID_JSON,
    PAYLOAD_TOO_LARGE,
    UNSUPPORTED_ENCODING,
    NamedProblem,
)
from sync import wire

ENROLL_BYTES = 1024
RESPONSE_ITEM_BYTES = 16 * 1024
ENTRY_ITEM_BYTES = 10 * 1024
ELEMENTS_PER_ITEM = 400
MAX_DEPTH = 32


class BodyError(NamedProblem):
    """A body refused before it was parsed (413, 415 or 400, with its named problem)."""


def caps(schema_name: str, batch_size: int) -> tuple[int, int]:
    """(most inflated bytes, most JSON elements) a body for this schema may have."""
    if schema_name == "EnrollRequest":
        return ENROLL_BYTES, 16
    per_item = ENTRY_ITEM_BYTES if schema_name == "EntryPushRequest" else RESPONSE_ITEM_BYTES
    items = max(1, batch_size)
    return items * per_item + 1024, items * ELEMENTS_PER_ITEM + 16


def parse(raw: bytes, encoding: str, max_bytes: int, max_elements: int) -> Any:
    """Inflate (gzip, streamed with a limit) and parse a body within the caps; BodyError if not."""
    if encoding == "gzip":
        try:
            raw = wire.inflate(raw, max_bytes)
        except wire.WireError as exc:
            too_big = "exceeds" in str(exc)
            raise BodyError(PAYLOAD_TOO_LARGE if too_big else INVALID_GZIP, str(exc)) from None
    elif encoding not in ("identity", ""):
        raise BodyError(UNSUPPORTED_ENCODING)
    if len(raw) > max_bytes:
        raise BodyError(PAYLOAD_TOO_LARGE, f"this body is limited to {max_bytes} bytes")
    # every JSON value but a scalar at the top needs one of these bytes: an upper bound, in C
    elements = raw.count(b",") + raw.count(b"[") + raw.count(b"{")
    if elements > max_elements:
        raise BodyError(INVALID_JSON, f"this body may hold at most {max_elements} JSON values")
    try:
        value = json.loads(raw)
    except RecursionError:
        raise BodyError(INVALID_JSON, f"JSON nested deeper than {MAX_DEPTH}") from None
    except ValueError:
        raise BodyError(INVALID_JSON) from None
    if depth(value) > MAX_DEPTH:
        raise BodyError(INVALID_JSON, f"JSON nested deeper than {MAX_DEPTH}")
    return value


def depth(value: Any) -> int:
    """How deeply arrays and objects nest in a parsed value (iterative: no recursion limit)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:
                stack.extend((child, level + 1) for child in node)
    return deepest
