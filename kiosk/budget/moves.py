"""Moving away from today's budget while keeping it valid: random answers and require_change."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from decimal import Decimal
from itertools import permutations

from kiosk.budget.rules import allocation_problem, areas, current, lever_income, lever_str
from kiosk.consultations.types import Question

Allocation = tuple[dict[str, int], dict[str, Decimal]]


def _shift(amounts: dict[str, int], **changes: int) -> dict[str, int]:
    out = dict(amounts)
    for key, delta in changes.items():
        out[key] += delta
    return out


def _lever_moves(q: Question, amounts: dict[str, int], levers: dict[str, Decimal],
                 lever: dict, by: int) -> Iterator[Allocation]:
    """Move a lever `by` steps, alone and paid for (or spent) by each area whose step fits."""
    moved = dict(levers)
    moved[lever["id"]] = levers[lever["id"]] + by * Decimal(lever["step"])
    yield amounts, moved
    delta = lever_income(lever, moved[lever["id"]]) - lever_income(lever, levers[lever["id"]])
    for a in areas(q):
        if delta and delta % a["step"] == 0:
            yield _shift(amounts, **{a["id"]: delta}), moved


def candidates(q: Question, amounts: dict[str, int], levers: dict[str, Decimal]) -> Iterator[Allocation]:
    """Allocations one simple move away: an area or lever by a step, or a swap between two areas."""
    for a in areas(q):
        for by in (1, -1):
            yield _shift(amounts, **{a["id"]: by * a["step"]}), levers
    for lever in q["levers"]:
        for by in (1, -1):
            yield from _lever_moves(q, amounts, levers, lever, by)
    for a, b in permutations(areas(q), 2):
        delta = math.lcm(a["step"], b["step"])
        yield _shift(amounts, **{a["id"]: delta, b["id"]: -delta}), levers


def first_change(q: Question) -> Allocation | None:
    """A valid allocation one simple move from today's, or None if there is none."""
    amounts, levers = current(q)
    for new_amounts, new_levers in candidates(q, amounts, levers):
        if allocation_problem(q, new_amounts, new_levers) is None:
            return new_amounts, new_levers
    return None


def _random_move(q: Question, rng: random.Random, amounts: dict[str, int],
                 levers: dict[str, Decimal]) -> Allocation:
    """One random proposal: mostly swaps between areas, sometimes a lever or a single area."""
    pool = areas(q)
    by = rng.choice((1, 1, 2, 3)) * rng.choice((1, -1))
    roll = rng.random()
    if roll < 0.2 and q["levers"]:
        moves = list(_lever_moves(q, amounts, levers, rng.choice(q["levers"]), by))
        return rng.choice(moves)
    if roll < 0.4 or len(pool) < 2:
        a = rng.choice(pool)
        return _shift(amounts, **{a["id"]: by * a["step"]}), levers
    a, b = rng.sample(pool, 2)
    delta = abs(by) * math.lcm(a["step"], b["step"])
    return _shift(amounts, **{a["id"]: delta, b["id"]: -delta}), levers


def random_allocation(q: Question, rng: random.Random) -> Allocation:
    """A random valid allocation: a random walk from today's that only takes valid steps."""
    amounts, levers = current(q)
    start = (dict(amounts), dict(levers))
    for _ in range(rng.randint(0, 3 * len(areas(q)) + 3)):
        new_amounts, new_levers = _random_move(q, rng, amounts, levers)
        if allocation_problem(q, new_amounts, new_levers) is None:
            amounts, levers = new_amounts, new_levers
    if q["require_change"] and (amounts, levers) == start:
        found = first_change(q)
        assert found is not None, "definition validation guarantees a change exists"
        amounts, levers = found
    return amounts, levers


def as_answer(amounts: dict[str, int], levers: dict[str, Decimal]) -> dict:
    """The stored JSON answer for an allocation."""
    return {"areas": dict(amounts), "levers": {k: lever_str(v) for k, v in levers.items()}}
