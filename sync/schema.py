"""JSON schemas of the sync API bodies, and the small validator the hub checks requests with.

The OpenAPI document is built from these same schemas, so what it promises is what the hub
enforces: a body that breaks its schema is refused whole (400); a well-formed item that fails a
rule only the hub can check (its hash, its consultation version, its answers) is ``rejected``
on its own line of the receipt.
"""

from __future__ import annotations

import re
from typing import Any

from kiosk.responses import CHANNELS, HASHED

from . import wire


def _text(limit: int, nullable: bool = False, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "string", "maxLength": limit, **extra}
    if nullable:
        out["nullable"] = True
    return out


WIRE_RECORD: dict[str, Any] = {
    "type": "object",
    "description": "A response as the kiosk stored it; `hash` is SHA-256 of its canonical JSON.",
    "required": list(HASHED),
    "additionalProperties": False,
    "properties": {
        "uuid": _text(64, description="lower-case UUID made on the device"),
        "consultation": _text(63, description="consultation slug"),
        "version": {"type": "integer", "description": "definition version answered"},
        "answers": {"type": "object", "description": "answers keyed by question id"},
        "language": _text(5),
        "channel": {"type": "string", "enum": list(CHANNELS)},
        "device_id": _text(36, nullable=True),
        "event_id": _text(36, nullable=True),
        "tracking_code": _text(16, nullable=True),
        "started_at": _text(40, nullable=True, description="UTC, e.g. 2026-11-01T10:00:00Z"),
        "submitted_at": _text(40, description="UTC, e.g. 2026-11-01T10:05:00Z"),
    },
}
PUSH_ITEM: dict[str, Any] = {
    "type": "object", "required": ["record", "hash"], "additionalProperties": False,
    "properties": {"record": {"$ref": "#/components/schemas/WireRecord"},
                   "hash": {"type": "string", "pattern": "^[0-9a-f]{64}$"}},
}
PUSH_REQUEST: dict[str, Any] = {
    "type": "object", "required": ["items"], "additionalProperties": False,
    "properties": {"batch_id": _text(64, description="the client's id for this batch (logged)"),
                   "items": {"type": "array", "maxItems": wire.MAX_ITEMS,
                             "items": {"$ref": "#/components/schemas/PushItem"}}},
}
ENROLL_REQUEST: dict[str, Any] = {
    "type": "object", "required": ["code"], "additionalProperties": False,
    "properties": {"code": _text(64, description="the one-time code shown on the hub")},
}
COMPONENTS = {"WireRecord": WIRE_RECORD, "PushItem": PUSH_ITEM, "PushRequest": PUSH_REQUEST,
              "EnrollRequest": ENROLL_REQUEST}
_TYPES: dict[str, Any] = {"object": dict, "array": list, "string": str, "boolean": bool,
                          "number": (int, float)}


def check(schema: dict[str, Any], value: Any, path: str = "$") -> str | None:
    """The first way value breaks the schema (as 'path: problem'), or None if it fits."""
    if "$ref" in schema:
        return check(COMPONENTS[schema["$ref"].rsplit("/", 1)[1]], value, path)
    if value is None:
        return None if schema.get("nullable") else f"{path}: must not be null"
    kind = schema.get("type")
    if kind == "integer":
        if isinstance(value, bool) or not (isinstance(value, int) or (
                isinstance(value, float) and value.is_integer())):
            return f"{path}: must be an integer"
    elif kind and (not isinstance(value, _TYPES[kind]) or
                   (kind == "number" and isinstance(value, bool))):
        return f"{path}: must be of type {kind}"
    if "enum" in schema and value not in schema["enum"]:
        return f"{path}: must be one of {', '.join(map(str, schema['enum']))}"
    if isinstance(value, str):
        if len(value) > schema.get("maxLength", len(value)):
            return f"{path}: longer than {schema['maxLength']} characters"
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return f"{path}: must match {schema['pattern']}"
    if isinstance(value, list):
        if len(value) > schema.get("maxItems", len(value)):
            return f"{path}: more than {schema['maxItems']} items"
        for i, element in enumerate(value):
            problem = check(schema.get("items", {}), element, f"{path}[{i}]")
            if problem:
                return problem
    if isinstance(value, dict) and kind == "object":
        return _check_object(schema, value, path)
    return None


def _check_object(schema: dict[str, Any], value: dict, path: str) -> str | None:
    props = schema.get("properties", {})
    for key in schema.get("required", []):
        if key not in value:
            return f"{path}: '{key}' is required"
    for key, element in value.items():
        if key in props:
            problem = check(props[key], element, f"{path}.{key}")
            if problem:
                return problem
        elif schema.get("additionalProperties") is False:
            return f"{path}: unknown field '{key}'"
    return None
