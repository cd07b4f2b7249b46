"""Staff pages on the hub: consultations, posters, events, devices, areas, reports, draws, paper, preview, accounts, audit."""
