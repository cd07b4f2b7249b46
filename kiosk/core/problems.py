"""Named problems: one shape for every validation error voxbox reports."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong, at a path in a document or a form field."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ProblemError(ValueError):
    """Raised with a list of problems; str() gives one problem a line."""

    def __init__(self, problems: list[Problem], source: str = "") -> None:
        self.problems = problems
        self.source = source
        prefix = f"{source}: " if source else ""
        super().__init__("\n".join(prefix + str(p) for p in problems))


class AnswerError(ValueError):
    """An answer that does not fit its question; the message is shown to the resident."""
