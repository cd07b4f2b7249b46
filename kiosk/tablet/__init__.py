"""Kiosk-only: the tablet's local state, staff PIN lock-outs and the Chromium launcher."""
