"""print: poster spec in, print-ready PDF/PNG/SVG out. A pure library: no Flask, no database."""
