"""Core: the database handle, named problems, time, rounding, safe parsing, private files, staff sign-in and accounts, rate limits, identity and the audit log. Imports no feature package."""
