"""Consultations: definitions (load, validate, standard questions, routing), versions, the store, publishing and feeds."""
