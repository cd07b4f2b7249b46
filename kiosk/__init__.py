"""voxbox: the Flask application for kiosks and the hub (``flask --app kiosk``).

The factory lives in ``kiosk.app``; the feature packages below hold the rest, each saying in its
own docstring what it owns. README "Layout" says where new code goes.
"""

from __future__ import annotations

from kiosk.app import create_app

__all__ = ["create_app"]
