"""Question types: one interface, one module per type that needs its own."""
