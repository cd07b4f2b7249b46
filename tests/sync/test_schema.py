"""The hub's compiled body checks say exactly what the plain schema walk says, for any value."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync import schema

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
                         "contact_hash": "a" * 64, "sealed": "ab", "entered_on": "2026-11-01",
                         "source": "kiosk"}, "hash": "b" * 64}


def same(name: str, value: Any) -> None:
    target = schema.COMPONENTS[name]
    assert schema.check(target, value) == schema.check_slowly(target, value)


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
