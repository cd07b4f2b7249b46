"""YAML from uploads: no anchors or aliases, a bound on nesting and on the number of nodes.

Aliases let 77 KB of YAML expand into a million stored options ("billion laughs"); a definition
never needs them, so the loader refuses them outright rather than counting the expansion.
"""

from __future__ import annotations

from typing import Any, Protocol

import yaml

#: Deeper than any definition (a budget question nests about 6 levels).
MAX_DEPTH = 32
#: Scalars, lists and mappings in one document.
MAX_NODES = 50_000


class _Mark(Protocol):
    """Where in the document: PyYAML's pure-Python and C loaders each have their own Mark."""

    @property
    def line(self) -> int: ...


class Refused(yaml.YAMLError):
    """A document this loader will not build; the message says why and where."""

    def __init__(self, message: str, mark: _Mark | None) -> None:
        self.line = mark.line + 1 if mark is not None else None
        where = f" (line {self.line})" if self.line else ""
        super().__init__(message + where)


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader without anchors, aliases, deep nesting or too many nodes."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: D102  (PyYAML hook)
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise Refused(f"YAML aliases (*{event.anchor}) are not allowed", event.start_mark)
        if getattr(event, "anchor", None):
            raise Refused(f"YAML anchors (&{event.anchor}) are not allowed", event.start_mark)
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise Refused(f"more than {MAX_NODES} values in one document", event.start_mark)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise Refused(f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load(text: str) -> Any:
    """Parse one YAML document safely; Refused (a YAMLError) for anchors, aliases or excess."""
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
