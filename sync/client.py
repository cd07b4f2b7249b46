"""The kiosk side of sync: enroll, pull, push, apply receipts, report status.

Rows leave the ``queued`` state only through a hub receipt, applied in one transaction: accepted
and duplicate become ``synced``; conflict and rejected are flagged with the hub's reason and kept.
Sealed prize-draw entries follow the same rules (``sync.entries``) and go first, so a kiosk that
loses its link half-way holds as little personal data as possible.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy import bindparam, select, text, update
from sqlalchemy.exc import DBAPIError

from kiosk.core import clock, states
from kiosk.core.db import db
from kiosk.core.states import SyncState
from kiosk.core.stored_settings import get_setting, set_setting
from kiosk.core.timeutil import iso, utcnow
from kiosk.draws import scrub
from kiosk.responses.models import Response
from sync import entries, heartbeat, wire
from sync import pull as pull_mod
from sync.status import (  # noqa: F401  (client.status and the setting names, for callers)
    DEVICE_ID,
    DEVICE_NAME,
    HUB_URL,
    LAST_ERROR,
    LAST_PULL,
    LAST_SYNC,
    TOKEN,
    status,
)
from sync.transport import Hub, SyncError

#: The hub's public key as enrollment gave it: a pull that brings another key is refused.
PINNED_KEY = "hub_public_key_pinned"
LOOPBACK = ("localhost", "127.0.0.1", "::1")
ETAG = "pull_etag"
#: What this kiosk's code and schema were when it stored the pull ETag (see ``understands``).
ETAG_FOR = "pull_etag_for"
STATE_FOR = states.STATE_FOR
JSON_GZIP = {"Content-Type": "application/json", "Content-Encoding": "gzip"}


def _kiosk_only(app: Flask) -> None:
    if app.config["ROLE"] != "kiosk":
        raise SyncError("this is a hub: run sync commands on a kiosk (ROLE = 'kiosk')", "not_kiosk")


def connect(app: Flask, on_retry: Callable[[str], object] | None = None,
            retries: int | None = None) -> Hub:
    """A Hub for this enrolled kiosk (``SYNC_RETRIES`` unless given); SyncError if not enrolled."""
    _kiosk_only(app)
    url, token = get_setting(HUB_URL), get_setting(TOKEN)
    if not url or not token:
        raise SyncError("this kiosk is not enrolled: run voxbox sync enroll HUB_URL CODE",
                        "not_enrolled")
    cfg = app.config
    return Hub(url, token, timeout=float(cfg["SYNC_TIMEOUT"]),
               retries=int(cfg["SYNC_RETRIES"] if retries is None else retries),
               backoff_max=float(cfg["SYNC_BACKOFF_MAX"]), on_retry=on_retry)


@contextmanager
def _calling(app: Flask, hub: Hub | None) -> Iterator[Hub]:
    """The hub to call (connected here, and closed after, unless given); a failure is kept as the
    last sync error for ``sync status`` and the staff panel."""
    own = hub is None
    hub = hub or connect(app)
    try:
        yield hub
    except SyncError as exc:
        set_setting(LAST_ERROR, {"at": iso(utcnow()), "message": str(exc), "code": exc.code})
        raise
    finally:
        if own:
            hub.close()


def check_hub_url(hub_url: str, allow_http: bool = False) -> None:
    """SyncError unless the URL is https, or http to this machine, or allow_http (a lab hub)."""
    parts = urlsplit(hub_url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise SyncError(f"not a hub URL: {hub_url!r}", "bad_hub_url")
    loopback = host in LOOPBACK or host.startswith("127.")
    if parts.scheme == "http" and not (loopback or allow_http):
        raise SyncError("enroll over https:// (the token and the hub's key travel in the reply);"
                        " plain http is allowed only to this machine, or with --allow-http for a"
                        " lab hub on a network you control", "https_required")


def enroll(app: Flask, hub_url: str, code: str, allow_http: bool = False) -> dict[str, Any]:
    """Spend an enrollment code at the hub; keep the device id, token and the hub's key (pinned)."""
    _kiosk_only(app)
    check_hub_url(hub_url, allow_http)
    hub = Hub(hub_url, timeout=float(app.config["SYNC_TIMEOUT"]), retries=2)
    try:
        reply = hub.call("POST", "/api/v1/enroll", body=wire.gzip_json({"code": code}),
                         headers=JSON_GZIP)
    finally:
        hub.close()
    device = reply.body["device"]
    pinned = (reply.body.get("hub_public_key") or {}).get("key")
    for key, value in ((HUB_URL, hub.url), (TOKEN, reply.body["token"]),
                       (DEVICE_ID, device["id"]), (DEVICE_NAME, device["name"]), (ETAG, None),
                       (PINNED_KEY, pinned)):
        set_setting(key, value)
    return device


def pull(app: Flask, hub: Hub | None = None) -> dict[str, Any]:
    """Fetch consultations, events and the hub key; a 304 (nothing changed) costs one round trip."""
    with _calling(app, hub) as hub:
        # An ETag stored by an older release (or schema) says "you have all of this that *it*
        # understood": after an upgrade, fetch the whole document again.
        etag = get_setting(ETAG) if get_setting(ETAG_FOR) == understands() else None
        headers = {**heartbeat.header(app), **({"If-None-Match": etag} if etag else {})}
        sent = utcnow_precise()
        reply = hub.call("GET", "/api/v1/pull", headers=headers)
        # the hub's clock, measured at every pull: dates on this kiosk follow it, not its own
        clock.record_pull(clock.skew_from(reply.headers.get("Date"), sent, utcnow_precise()))
    if reply.status == 304:
        result: dict[str, Any] = {"changed": False}
    else:
        offered = (reply.body.get("hub_public_key") or {}).get("key")
        pinned = get_setting(PINNED_KEY)
        if pinned and offered != pinned:
            exc = SyncError("the hub's public key has changed since this kiosk enrolled: nothing"
                            " applied; if the hub's key was replaced on purpose, enroll again"
                            " (voxbox sync enroll)", "hub_key_changed")
            set_setting(LAST_ERROR, {"at": iso(utcnow()), "message": str(exc), "code": exc.code})
            raise exc
        result = {"changed": True, **pull_mod.apply(reply.body)}
        if not pinned:  # enrolled before keys were pinned: pin the first one seen
            set_setting(PINNED_KEY, offered)
        set_setting(ETAG, reply.headers.get("ETag"))
        set_setting(ETAG_FOR, understands())
    set_setting(LAST_PULL, iso(utcnow()))
    return result


def utcnow_precise() -> dt.datetime:
    """Now in UTC (naive), to the microsecond, for timing a round trip."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def understands() -> str:
    """This kiosk's release and database schema revision: what it can make of a pull."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("voxbox")
    except PackageNotFoundError:  # run from a source tree
        release = "source"
    try:
        revision = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:  # tables made without migrations (a test's create_all)
        revision = None
    db.session.rollback()
    return f"{release}/{revision}"


def queued_batches(size: int) -> Iterable[Sequence[Any]]:
    """Queued responses, oldest first, in batches; each batch is read after the last is settled."""
    table = Response.__table__
    last = 0
    while True:
        rows = db.session.execute(
            select(table).where(table.c.sync_state == SyncState.QUEUED, table.c.id > last)
            .order_by(table.c.id).limit(size)).all()
        db.session.rollback()  # hold no read transaction while waiting on the network
        if not rows:
            return
        last = rows[-1].id
        yield rows


def push(app: Flask, hub: Hub | None = None,
         progress: Callable[[int], object] | None = None) -> dict[str, int]:
    """Send every queued response in gzip'd batches and settle each batch from its receipt."""
    totals: Counter[str] = Counter()
    with _calling(app, hub) as hub:
        for rows in queued_batches(app.config["SYNC_BATCH_SIZE"]):
            body = wire.gzip_json({"batch_id": str(uuid.uuid4()),
                                   "items": [wire.item(r) for r in rows]})
            reply = hub.call("POST", "/api/v1/responses", body=body,
                             headers={**JSON_GZIP, **heartbeat.header(app)})
            totals.update(apply_receipt(reply.body.get("items", []), {r.uuid for r in rows}))
            if progress:
                progress(len(rows))
    result = {s: totals.get(s, 0) for s in (*states.RECEIPT_STATUSES, "unanswered")}
    set_setting(LAST_SYNC, {"at": iso(utcnow()), **result})
    set_setting(LAST_ERROR, None)
    return result


def push_entries(app: Flask, hub: Hub | None = None) -> dict[str, int]:
    """Send every queued sealed draw entry; blobs go only on the hub's receipt for them."""
    with _calling(app, hub) as hub:
        return entries.push(hub, app.config["SYNC_BATCH_SIZE"], lambda: heartbeat.header(app))


def apply_receipt(items: list[Any], expected: set[str] | None = None) -> Counter[str]:
    """Mark queued rows from a hub receipt in one transaction; returns counts by status."""
    now = utcnow()
    counts: Counter[str] = Counter()
    params = []
    for it in items:
        if not isinstance(it, dict):
            continue
        uid, given = it.get("uuid"), it.get("status")
        if given not in STATE_FOR or not isinstance(uid, str):
            continue
        if expected is not None and uid not in expected:
            continue
        counts[given] += 1
        state = STATE_FOR[given]
        params.append({"u": uid, "s": state, "n": it.get("reason"),
                       "t": now if state == SyncState.SYNCED else None})
    if expected is not None:
        counts["unanswered"] = len(expected) - len({p["u"] for p in params})
    if params:
        table = Response.__table__
        stmt = (update(table).where(table.c.uuid == bindparam("u"), table.c.sync_state == SyncState.QUEUED)
                .values(sync_state=bindparam("s"), sync_note=bindparam("n"),
                        synced_at=bindparam("t")))
        db.session.execute(stmt, params)
    db.session.commit()
    return counts


def sync_now(app: Flask, progress: Callable[[int], object] | None = None,
             on_retry: Callable[[str], object] | None = None,
             retries: int | None = None) -> dict[str, Any]:
    """Pull, then push entries and responses (the staff panel's "Sync now")."""
    hub = connect(app, on_retry, retries)
    try:
        pulled = pull(app, hub)
        pushed_entries = push_entries(app, hub)
        pushed = push(app, hub, progress)
    finally:
        hub.close()
    # the queue is handed over: only now the space-hungry clean-up, and only if there is room
    return {"pull": pulled, "entries": pushed_entries, "push": pushed,
            "cleanup_deferred": scrub.wipe_if_room(app)}
