"""JSON from strangers: parsed with a bound on nesting, so a deep document is a clear error.

Python's parser recurses once per level; a body of 100,000 "[" would raise RecursionError (a
500) and a merely deep one would make every later walk over it recurse as deeply.
"""

from __future__ import annotations

import json
from typing import Any

#: Deeper than any definition, push batch or receipt voxbox makes (they nest about 8 levels).
MAX_DEPTH = 32


class TooDeep(ValueError):
    """A document nested deeper than allowed."""


def depth_problem(value: Any, max_depth: int = MAX_DEPTH) -> str | None:
    """A message if value nests lists/mappings deeper than max_depth, else None (no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            children = list(node.values())
        elif isinstance(node, list):
            children = node
        else:
            continue
        if level > max_depth:
            return f"nested more than {max_depth} levels deep"
        stack.extend((child, level + 1) for child in children)
    return None


def loads(text: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON; ValueError (TooDeep) when it nests deeper than max_depth."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise TooDeep(f"nested more than {max_depth} levels deep") from None
    problem = depth_problem(value, max_depth)
    if problem:
        raise TooDeep(problem)
    return value
