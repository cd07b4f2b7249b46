"""``python -m kiosk.cli``: the voxbox command line."""

from kiosk.cli import main

main()
