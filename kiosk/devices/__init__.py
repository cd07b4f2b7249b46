"""Devices: enrolled kiosks on the hub and a kiosk's own health."""
