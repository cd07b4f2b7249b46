"""Prize draws: definitions and sealed entries, entry tokens, contacts, the inbox, runs, the algorithm, rights and retention."""
