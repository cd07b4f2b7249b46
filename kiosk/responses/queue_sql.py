"""The queue's counts as SQL, for the ORM (kiosk.responses.queue) and for ``voxbox sync status``'s
quick read of a kiosk's SQLite file with the standard library: one query, two drivers."""

from __future__ import annotations

#: Responses by sync state.
RESPONSES_BY_STATE = "SELECT sync_state, count(*) FROM responses GROUP BY sync_state"
#: Prize-draw entries by sync state.
ENTRIES_BY_STATE = "SELECT sync_state, count(*) FROM draw_entries GROUP BY sync_state"
