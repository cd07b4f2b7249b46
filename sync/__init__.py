"""Sync: the wire format, the kiosk-side client, the hub-side ingest and offline bundles."""
