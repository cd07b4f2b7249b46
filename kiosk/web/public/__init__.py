"""Residents' pages on the hub: home, consultations, resume links, scans, feeds, prize draws, the body's duties."""
