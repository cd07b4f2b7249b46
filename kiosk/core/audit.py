"""The audit log: who changed what that matters, when and from where.

One row per action: consultation import and status changes, re-pointing codes, devices added and
revoked, draws defined, run and exported, prize claims followed up, rights requests, staff accounts
changed, and every export of responses. It never holds a contact or an answer: the target is a
slug, code, device name, draw id or email of a staff account, and the detail is a few words chosen
by the caller.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from sqlalchemy import insert, select

from kiosk.core.db import db
from kiosk.core.models import AuditEntry
from kiosk.core.timeutil import utcnow

#: Every action the log records (tests/hub/test_audit.py performs each one).
ACTIONS = (
    "consultation.import", "consultation.status",
    "code.repoint", "code.retire",
    "device.add", "device.revoke", "sync.accept", "sync.discard",
    "draw.define", "draw.run", "draw.export", "draw.claim",
    "rights.request",
    "user.create", "user.invite", "user.disable", "user.enable", "user.role", "user.password",
    "user.reset", "user.2fa",
    "responses.export", "response.review",
    "areas.import",
    "theme.create", "theme.tag", "answer.redact", "answer.quote",
    "results.publish",
)
CLI = "cli"


def record(action: str, target: str, actor: str, address: str = "", *, apart: bool = False,
           **detail: str | int) -> None:
    """Record an action (committed at once, so the record survives whatever follows).

    apart: write on a connection of its own and leave the caller's session untouched (an export
    still streaming rows from it must not see them expired by a commit)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    values = {"action": action, "target": str(target)[:200], "actor": actor[:254],
              "address": (address or "")[:64], "at": utcnow(),
              "detail": {k: str(v)[:200] for k, v in detail.items()}}
    if apart:
        with db.engine.begin() as conn:
            conn.execute(insert(AuditEntry).values(**values))
        return
    db.session.add(AuditEntry(**values))
    db.session.commit()


def by_cli(action: str, target: str, **detail: str | int) -> None:
    """Record an action taken on the command line, by the operating-system account that ran it."""
    import getpass  # only the CLI needs it

    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        who = "unknown"
    record(action, target, f"{CLI}:{who}", "", apart=False, **detail)


def entries(action: str | None = None, actor: str | None = None, limit: int = 200,
            offset: int = 0) -> list[AuditEntry]:
    """Newest first, optionally filtered by action and actor."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if action:
        query = query.filter(AuditEntry.action == action)
    if actor:
        query = query.filter(AuditEntry.actor == actor)
    return list(db.session.execute(query.limit(limit).offset(offset)).scalars())


def as_csv(rows: Iterable[AuditEntry]) -> str:
    """The given entries as CSV: when, actor, action, target, address, detail."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["at", "actor", "action", "target", "address", "detail"])
    for row in rows:
        detail = "; ".join(f"{k}={v}" for k, v in sorted((row.detail or {}).items()))
        writer.writerow([row.at.isoformat(), row.actor, row.action, row.target, row.address, detail])
    return out.getvalue()
