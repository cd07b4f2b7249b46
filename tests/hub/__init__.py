"""Hub: QR scans, the public site, feeds, events admin and reports."""
