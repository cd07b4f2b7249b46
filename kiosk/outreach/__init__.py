"""Outreach: tracking codes, placements, scans and where a code sends residents."""
