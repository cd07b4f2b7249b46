"""The kiosk touch flow and its staff panel."""
