"""Which migration is the newest, read from the migration files themselves (no Alembic import),
so a start-up or a quick status can tell whether a database is up to date in a millisecond."""

from __future__ import annotations

import re
from pathlib import Path

#: Alembic's folder: env.py and versions/.
MIGRATIONS = str(Path(__file__).parent.parent / "migrations")


def head_revision() -> str:
    """The newest migration's revision id, read from the migration files (no Alembic import)."""
    revisions, parents = set(), set()
    for path in Path(MIGRATIONS, "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found = re.search(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", source, re.M)
        if found:
            revisions.add(found.group(1))
        down = re.search(r"^down_revision\s*=\s*(.+)$", source, re.M)
        if down:
            parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"the migrations must have one head, not {sorted(heads)}")
    return heads.pop()
