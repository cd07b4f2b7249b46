"""Staff reports: shared filters, the funnel per placement, cross-tabs and server-drawn charts."""
