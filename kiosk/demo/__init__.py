"""Demo content: consultations, events, placements and synthetic responses (data files beside the code)."""
