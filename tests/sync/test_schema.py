"""The hub's compiled body checks say exactly what the plain schema walk says, for any value."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync import schema
from sync.schema import _TYPES as TYPES
from sync.schema import COMPONENTS

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-2**40, 2**40) | st.floats(allow_nan=False)
    | st.text(max_size=80),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=25)
KEYS = st.sampled_from(["uuid", "consultation", "version", "answers", "language", "channel",
                        "device_id", "event_id", "tracking_code", "started_at", "submitted_at",
                        "record", "hash", "items", "batch_id", "code", "id", "draw_id",
                        "contact_hash", "sealed", "entered_on", "source", "extra"])
GOOD_ITEM = {"record": {"uuid": "3f2b7c1e-4d5a-4b6c-8d9e-0a1b2c3d4e5f",
                        "consultation": "policing-priorities", "version": 1,
                        "answers": {"safe_day": 3}, "language": "en", "channel": "kiosk",
                        "device_id": None, "event_id": None, "tracking_code": None,
                        "started_at": "2026-11-01T10:00:00Z",
                        "submitted_at": "2026-11-01T10:05:00Z"},
             "hash": "0" * 64}
GOOD_ENTRY = {"record": {"id": "3f2b7c1e-4d5a-4b6c-8d9e-0a1b2c3d4e5f", "draw_id": "d",
                         "sealed": "ab", "entered_on": "2026-11-01",
                         "source": "kiosk"}, "hash": "b" * 64}


def walk(schema: dict[str, Any], value: Any, path: str = "$") -> str | None:
    """The plain schema walk the hub's compiled check must agree with, message for message."""
    if "$ref" in schema:
        return walk(COMPONENTS[schema["$ref"].rsplit("/", 1)[1]], value, path)
    if value is None:
        return None if schema.get("nullable") else f"{path}: must not be null"
    kind = schema.get("type")
    if kind == "integer":
        if isinstance(value, bool) or not (isinstance(value, int) or (
                isinstance(value, float) and value.is_integer())):
            return f"{path}: must be an integer"
    elif kind and (not isinstance(value, TYPES[kind]) or
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
            problem = walk(schema.get("items", {}), element, f"{path}[{i}]")
            if problem:
                return problem
    if isinstance(value, dict) and kind == "object":
        return _walk_object(schema, value, path)
    return None


def _walk_object(schema: dict[str, Any], value: dict, path: str) -> str | None:
    props = schema.get("properties", {})
    for key in schema.get("required", []):
        if key not in value:
            return f"{path}: '{key}' is required"
    for key, element in value.items():
        if key in props:
            problem = walk(props[key], element, f"{path}.{key}")
            if problem:
                return problem
        elif schema.get("additionalProperties") is False:
            return f"{path}: unknown field '{key}'"
    return None


def same(name: str, value: Any) -> None:
    target = schema.COMPONENTS[name]
    assert schema.check(target, value) == walk(target, value)


@pytest.mark.parametrize("name", sorted(schema.COMPONENTS))
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=JSON)
def test_any_value_gets_the_same_answer(name: str, value: Any) -> None:
    same(name, value)


def copies(doc: dict, n: int) -> list[dict]:
    return [copy.deepcopy(doc) for _ in range(n)]


def _set(doc: Any, path: list[Any], value: Any) -> Any:
    """doc with the element at path replaced (or a key added), leaving doc untouched."""
    out = copy.deepcopy(doc)
    node = out
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return out


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(where=st.sampled_from(["item", "record", "entry", "entry_record"]), key=KEYS, value=JSON,
       extra=st.integers(0, 3))
def test_a_near_miss_push_body_gets_the_same_answer(where: str, key: str, value: Any,
                                                    extra: int) -> None:
    if where in ("item", "record"):
        body = {"batch_id": "b", "items": copies(GOOD_ITEM, extra + 1)}
        path = ["items", extra] + (["record"] if where == "record" else []) + [key]
        same("PushRequest", _set(body, path, value))
    else:
        body = {"items": copies(GOOD_ENTRY, extra + 1)}
        path = ["items", extra] + (["record"] if where == "entry_record" else []) + [key]
        same("EntryPushRequest", _set(body, path, value))


def test_good_bodies_pass_and_paths_name_the_item() -> None:
    push = {"batch_id": "b", "items": copies(GOOD_ITEM, 2)}
    assert schema.check(schema.COMPONENTS["PushRequest"], push) is None
    assert schema.check(schema.COMPONENTS["EntryPushRequest"], {"items": [GOOD_ENTRY]}) is None
    bad = _set(push, ["items", 1, "record", "version"], "1")
    assert schema.check(schema.COMPONENTS["PushRequest"], bad) == (
        "$.items[1].record.version: must be an integer")
