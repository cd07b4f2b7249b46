"""States are named once (kiosk/core/states.py): code compares and stores the StrEnum members,
never a bare "queued" or "accepted" that a typo could turn into a silent miss."""

from __future__ import annotations

import ast
from pathlib import Path

from kiosk.core.states import (
    CONSULTATION_STATUSES,
    RECEIPT_STATUSES,
    STATE_FOR,
    ConsultationStatus,
    ReceiptStatus,
    SyncState,
)

ROOT = Path(__file__).resolve().parent.parent
VALUES = {str(v) for enum in (ConsultationStatus, SyncState, ReceiptStatus) for v in enum}
STATE_FIELDS = {"status", "sync_state", "state"}


def _bare_states(tree: ast.AST) -> list[tuple[int, str]]:
    """State values written as bare strings where a state is compared, passed or stored."""
    found = []

    def bare(node: ast.AST | None) -> list[ast.Constant]:
        if isinstance(node, ast.Constant) and node.value in VALUES:
            return [node]
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return [e for e in node.elts if isinstance(e, ast.Constant) and e.value in VALUES]
        return []

    for node in ast.walk(tree):
        hits: list[ast.Constant] = []
        if isinstance(node, ast.Compare):  # ("queued" in beat) asks for a key: not a state
            sides = node.comparators if isinstance(node.ops[0], (ast.In, ast.NotIn)) else [
                node.left, *node.comparators]
            for side in sides:
                hits += bare(side)
        elif isinstance(node, ast.keyword) and node.arg in STATE_FIELDS | {"default"}:
            hits += bare(node.value)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value in STATE_FIELDS:
                    hits += bare(value)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) \
                        and target.slice.value in STATE_FIELDS:
                    hits += bare(node.value)
        found += [(h.lineno, h.value) for h in hits]
    return found


def test_no_code_compares_or_stores_a_bare_state_string() -> None:
    bad = {}
    for top in ("kiosk", "sync"):
        for path in (ROOT / top).rglob("*.py"):
            if "migrations" in path.parts or path.name == "states.py":
                continue
            hits = _bare_states(ast.parse(path.read_text(encoding="utf-8")))
            if hits:
                bad[path.relative_to(ROOT).as_posix()] = hits
    assert bad == {}


def test_the_check_catches_a_bypass() -> None:
    sneaky = 'if row.sync_state == "queued": row.status = "acepted"\nx = {"status": "accepted"}\n'
    assert [v for _line, v in _bare_states(ast.parse(sneaky))] == ["queued", "accepted"]


def test_members_are_their_strings() -> None:
    assert SyncState.QUEUED == "queued" and {"queued": 1}[SyncState.QUEUED] == 1
    assert CONSULTATION_STATUSES == ("draft", "open", "closed")
    assert RECEIPT_STATUSES == ("accepted", "duplicate", "conflict", "rejected")
    assert {STATE_FOR[s] for s in RECEIPT_STATUSES} <= set(SyncState)
