"""Free-text analysis: every text answer searchable, a bilingual codebook of themes, suggestions, redaction."""
