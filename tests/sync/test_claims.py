"""Issue 11, acceptance 4: the sync API trusts only its token, not what a record claims."""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from collections import Counter

from sqlalchemy import select

from kiosk.core.db import db
from kiosk.events import store as events
from kiosk.responses.models import Response
from kiosk.responses.store import content_hash, wire
from kiosk.tablet import state as kiosk_state
from sync import client
from tests.sync.conftest import add_device, items_of, post_items, queue, states


def spoof(item: dict, **changes: object) -> dict:
    """The item with record fields changed and its hash made to match (a well-formed lie)."""
    out = copy.deepcopy(item)
    out["record"].update(changes)
    out["hash"] = content_hash(out["record"])
    return out


def test_spoofed_device_channel_code_time_and_language_are_rejected_with_reasons(
        hub, live_hub, make_app) -> None:
    device_a, token_a = add_device(hub, "kiosk-a")
    device_b, _token_b = add_device(hub, "kiosk-b")
    kiosk = make_app("kiosk")
    queue(kiosk, 8)
    items = [spoof(i, device_id=device_a) for i in items_of(kiosk)]
    lies = [spoof(items[0], device_id=device_b), spoof(items[1], channel="web"),
            spoof(items[2], tracking_code="NOSUCH"),
            spoof(items[3], submitted_at="2999-01-01T00:00:00Z"),
            spoof(items[4], submitted_at="1999-01-01T00:00:00Z", started_at=None),
            spoof(items[5], language="fr")]
    lines = post_items(live_hub.url, token_a, [*lies, items[6]]).json()["items"]
    assert [line["status"] for line in lines] == ["rejected"] * 6 + ["accepted"]
    reasons = [line["reason"] for line in lines[:6]]
    for reason, word in zip(reasons, ["another device", "channel", "tracking code",
                                      "clock-skew", "clock-skew", "language"], strict=True):
        assert word in reason, reason


def test_an_unknown_event_is_dropped_with_a_reason_and_a_hub_event_is_kept(
        hub, live_hub, make_kiosk) -> None:
    kiosk = make_kiosk(live_hub)
    with live_hub.app.app_context():
        stall = events.create({"name": "Market stall", "place": "Market square",
                               "starts_at": dt.datetime(2030, 5, 1, 9)}).id
    with kiosk.app_context():
        client.pull(kiosk)
        kiosk_state.set_current_event(stall)  # an event the hub made, pulled
    queue(kiosk, 3, seed=1)
    with kiosk.app_context():  # an event staff made on the kiosk: the hub never hears of it
        local = kiosk_state.create_event("Pop-up stall", "Library", dt.date(2030, 5, 2)).id
        token = client.get_setting(client.TOKEN)
    queue(kiosk, 3, seed=2)
    items = items_of(kiosk)
    spoofed = spoof(items[0], event_id=str(uuid.uuid4()))  # a made-up event, on the wire
    with kiosk.app_context():
        counts = client.push(kiosk)
        notes = dict(db.session.execute(select(Response.event_id, Response.sync_note)).all())
    # nothing is lost: every response reaches the hub and is synced on the kiosk ...
    assert counts["accepted"] == 6 and states(kiosk)["synced"] == 6
    assert notes[stall] is None and "does not know event" in notes[local]
    with live_hub.app.app_context():
        stored = db.session.execute(select(Response)).scalars().all()
        by_event = Counter(r.event_id for r in stored)
        dropped = [r for r in stored if r.sync_note]
        # ... the hub keeps its own event, stores no event it does not know, and says why
        assert by_event == {stall: 3, None: 3}
        assert len(dropped) == 3 and all(local in r.sync_note for r in dropped)
        # what it stored still matches its hash
        assert all(r.content_hash == content_hash(wire(r)) for r in stored)
    # a resend of a dropped-event response is a duplicate, not a conflict
    resent = post_items(live_hub.url, token, [items[3]]).json()["items"]
    assert [line["status"] for line in resent] == ["duplicate"]
    # a spoofed event id on the wire is refused as an event: stored without it, with a reason
    line = post_items(live_hub.url, token, [spoof(spoofed, uuid=str(uuid.uuid4()))]).json()
    [item] = line["items"]
    assert item["status"] == "accepted" and spoofed["record"]["event_id"] in item["reason"]
    with live_hub.app.app_context():
        row = db.session.execute(select(Response).filter_by(uuid=item["uuid"])).scalar_one()
        assert row.event_id is None and "does not know event" in row.sync_note
