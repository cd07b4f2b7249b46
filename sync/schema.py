"""JSON schemas of the sync API bodies, and the small validator the hub checks requests with.

The OpenAPI document is built from these same schemas, so what it promises is what the hub
enforces: a body that breaks its schema is refused whole (400); a well-formed item that fails a
rule only the hub can check (its hash, its consultation version, its answers) is ``rejected``
on its own line of the receipt.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from kiosk.responses.store import CHANNELS, HASHED
from sync import entries, wire


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
              "EnrollRequest": ENROLL_REQUEST, **entries.SCHEMAS}
_TYPES: dict[str, Any] = {"object": dict, "array": list, "string": str, "boolean": bool,
                          "number": (int, float)}


#: A compiled check: None if the value fits, else (path segments innermost first, problem).
Checker = Callable[[Any], "tuple[list[str], str] | None"]
_COMPILED: dict[int, tuple[dict[str, Any], Checker]] = {}


def check(schema: dict[str, Any], value: Any, path: str = "$") -> str | None:
    """The first way value breaks the schema (as 'path: problem'), or None if it fits.

    Each schema is compiled once into nested closures (the hub checks every pushed item, so a
    walk that re-reads the schema dicts and builds a path string per element would cost more
    than storing the item). tests/sync/test_schema.py checks it against a plain walk.
    """
    found = _compiled(schema)(value)
    if found is None:
        return None
    parts, problem = found
    return f"{path}{''.join(reversed(parts))}: {problem}"


def _compiled(schema: dict[str, Any]) -> Checker:
    cached = _COMPILED.get(id(schema))
    if cached is None or cached[0] is not schema:
        cached = _COMPILED[id(schema)] = (schema, _compile(schema))
    return cached[1]


def _compile(schema: dict[str, Any]) -> Checker:  # noqa: C901  (one branch per keyword)
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return lambda value: _compiled(COMPONENTS[name])(value)  # late: schemas may recurse
    nullable, kind = bool(schema.get("nullable")), schema.get("type")
    steps: list[Checker] = []
    if kind == "integer":
        def integer(value: Any) -> tuple[list[str], str] | None:
            if isinstance(value, bool) or not (isinstance(value, int) or (
                    isinstance(value, float) and value.is_integer())):
                return [], "must be an integer"
            return None
        steps.append(integer)
    elif kind:
        expected = _TYPES[kind]

        def typed(value: Any) -> tuple[list[str], str] | None:
            if not isinstance(value, expected) or (kind == "number" and isinstance(value, bool)):
                return [], f"must be of type {kind}"
            return None
        steps.append(typed)
    if "enum" in schema:
        allowed, listed = schema["enum"], ", ".join(map(str, schema["enum"]))
        steps.append(lambda value: None if value in allowed else ([], f"must be one of {listed}"))
    longest, pattern = schema.get("maxLength"), schema.get("pattern")
    if longest is not None or pattern is not None:
        search = re.compile(pattern).search if pattern is not None else None

        def text(value: Any) -> tuple[list[str], str] | None:
            if isinstance(value, str):
                if longest is not None and len(value) > longest:
                    return [], f"longer than {longest} characters"
                if search is not None and not search(value):
                    return [], f"must match {pattern}"
            return None
        steps.append(text)
    if kind in (None, "array"):
        steps.append(_compile_array(schema))
    if kind == "object":
        steps.append(_compile_object(schema))

    def checker(value: Any) -> tuple[list[str], str] | None:
        if value is None:
            return None if nullable else ([], "must not be null")
        for step in steps:
            found = step(value)
            if found is not None:
                return found
        return None

    return checker


def _compile_array(schema: dict[str, Any]) -> Checker:
    most, items = schema.get("maxItems"), schema.get("items")
    element = _compile(items) if items else _not_null

    def array(value: Any) -> tuple[list[str], str] | None:
        if not isinstance(value, list):
            return None
        if most is not None and len(value) > most:
            return [], f"more than {most} items"
        for i, item in enumerate(value):
            found = element(item)
            if found is not None:
                found[0].append(f"[{i}]")
                return found
        return None

    return array


def _not_null(value: Any) -> tuple[list[str], str] | None:
    """The check of an element whose schema says nothing (``{}``): anything but null."""
    return ([], "must not be null") if value is None else None


def _compile_object(schema: dict[str, Any]) -> Checker:
    props = {k: _compile(v) for k, v in schema.get("properties", {}).items()}
    required, closed = list(schema.get("required", [])), schema.get("additionalProperties") is False

    def obj(value: Any) -> tuple[list[str], str] | None:
        if not isinstance(value, dict):
            return None
        for key in required:
            if key not in value:
                return [], f"'{key}' is required"
        for key, element in value.items():
            sub = props.get(key)
            if sub is not None:
                found = sub(element)
                if found is not None:
                    found[0].append(f".{key}")
                    return found
            elif closed:
                return [], f"unknown field '{key}'"
        return None

    return obj
