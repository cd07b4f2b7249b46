"""The one error print/ raises."""

from __future__ import annotations


class PosterError(ValueError):
    """A poster that cannot be made as asked; the message says why and what to change."""
