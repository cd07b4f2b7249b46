"""``python -m kiosk.cli``: the voxbox command line."""

from kiosk.cli.group import main

main()
