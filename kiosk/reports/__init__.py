"""Staff reports: the funnel per placement and server-drawn charts."""
