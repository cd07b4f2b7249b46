"""Hub ingest over HTTP, on SQLite and PostgreSQL: each UUID stored once, whatever is resent."""

from __future__ import annotations

import copy
import random
import threading
from collections import Counter

import requests
from sqlalchemy import func, select

from kiosk.core.db import db
from kiosk.devices.models import SetAside, SyncReceipt
from kiosk.responses.models import Response
from kiosk.responses.store import content_hash
from tests.sync.conftest import add_device, deadline, hub_hashes, items_of, post_items, queue


def _statuses(resp: requests.Response) -> list[str]:
    assert resp.status_code == 200, resp.text
    return [i["status"] for i in resp.json()["items"]]


def test_a_batch_is_stored_once_and_an_identical_resend_is_duplicate(hub, live_hub, make_app) -> None:
    _id, token = add_device(hub)
    kiosk = make_app("kiosk")
    queue(kiosk, 40)
    items = items_of(kiosk)
    first = post_items(live_hub.url, token, items)
    assert _statuses(first) == ["accepted"] * 40
    assert first.json()["counts"] == {"accepted": 40, "duplicate": 0, "conflict": 0, "rejected": 0}
    again = post_items(live_hub.url, token, items, gzip=False)
    assert _statuses(again) == ["duplicate"] * 40
    assert hub_hashes(hub) == {i["record"]["uuid"]: i["hash"] for i in items}


def test_every_batch_replayed_three_times_leaves_exactly_one_row_per_uuid(hub, live_hub,
                                                                           make_app) -> None:
    _id, token = add_device(hub)
    kiosk = make_app("kiosk")
    queue(kiosk, 1000, seed=3)
    items = items_of(kiosk)
    batches = [items[i:i + 100] for i in range(0, 1000, 100)]
    seen: Counter[str] = Counter()
    with requests.Session() as http:
        for batch in batches:
            for _ in range(3):
                seen.update(_statuses(post_items(live_hub.url, token, batch, http)))
        for batch in batches:  # and the whole run replayed once more, later
            seen.update(_statuses(post_items(live_hub.url, token, batch, http)))
    assert seen == {"accepted": 1000, "duplicate": 3000}
    stored = hub_hashes(hub)
    assert len(stored) == 1000
    assert stored == {i["record"]["uuid"]: i["hash"] for i in items}


def test_eight_concurrent_clients_pushing_the_same_uuids_store_each_once(hub, live_hub,
                                                                         make_app) -> None:
    _id, token = add_device(hub)
    kiosk = make_app("kiosk")
    queue(kiosk, 1000, seed=4)
    items = items_of(kiosk)
    results: list[Counter[str]] = []
    accepted: Counter[str] = Counter()
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def client(n: int) -> None:
        mine = items[:]
        random.Random(n).shuffle(mine)  # different orders make the writers collide
        counts: Counter[str] = Counter()
        start.wait(deadline(30))
        with requests.Session() as http:
            for i in range(0, len(mine), 125):
                resp = post_items(live_hub.url, token, mine[i:i + 125], http)
                if resp.status_code != 200:
                    errors.append(resp.text)
                    return
                for line in resp.json()["items"]:
                    counts[line["status"]] += 1
                    if line["status"] == "accepted":
                        with lock:
                            accepted[line["uuid"]] += 1
        results.append(counts)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(deadline(120))
        assert not t.is_alive(), f"a pushing client did not finish within {deadline(120)} s"
    assert errors == []
    assert sum(results, Counter()) == {"accepted": 1000, "duplicate": 7000}
    assert set(accepted.values()) == {1} and len(accepted) == 1000
    stored = hub_hashes(hub)
    assert stored == {i["record"]["uuid"]: i["hash"] for i in items}


def test_a_changed_body_under_a_stored_uuid_is_a_conflict_and_the_original_is_untouched(
        hub, live_hub, make_app) -> None:
    device_id, token = add_device(hub)
    kiosk = make_app("kiosk")
    queue(kiosk, 5)
    items = items_of(kiosk)
    post_items(live_hub.url, token, items)
    changed = copy.deepcopy(items[2])
    changed["record"]["language"] = "cy" if changed["record"]["language"] == "en" else "en"
    changed["hash"] = content_hash(changed["record"])
    for _ in range(2):  # a repeated conflict is set aside once
        resp = post_items(live_hub.url, token, [changed, items[3]])
        lines = resp.json()["items"]
        assert [line["status"] for line in lines] == ["conflict", "duplicate"]
        assert "409" in lines[0]["reason"]
    with hub.app_context():
        row = db.session.execute(select(Response).filter_by(uuid=items[2]["record"]["uuid"])).scalar_one()
        assert row.content_hash == items[2]["hash"]
        assert row.language == items[2]["record"]["language"]
        aside = db.session.execute(select(SetAside)).scalars().all()
        assert [(a.kind, a.uuid, a.device_id) for a in aside] == [
            ("conflict", items[2]["record"]["uuid"], device_id)]
        assert aside[0].record["record"] == changed["record"]
        assert db.session.execute(select(func.count()).select_from(Response)).scalar_one() == 5


def test_invalid_items_are_rejected_with_a_reason_and_valid_ones_in_the_batch_stored(
        hub, live_hub, make_app) -> None:
    _id, token = add_device(hub)
    kiosk = make_app("kiosk")
    queue(kiosk, 6)
    items = items_of(kiosk)
    bad_hash = copy.deepcopy(items[0])
    bad_hash["hash"] = "0" * 64
    unknown = copy.deepcopy(items[1])
    unknown["record"]["consultation"] = "no-such-thing"
    unknown["hash"] = content_hash(unknown["record"])
    bad_answer = copy.deepcopy(items[2])
    bad_answer["record"]["answers"] = {"nonsense": 1}
    bad_answer["hash"] = content_hash(bad_answer["record"])
    bad_time = copy.deepcopy(items[3])
    bad_time["record"]["submitted_at"] = "2026-11-01 10:00:00+01:00"
    bad_time["hash"] = content_hash(bad_time["record"])
    resp = post_items(live_hub.url, token, [bad_hash, unknown, bad_answer, bad_time, items[4]])
    lines = resp.json()["items"]
    assert [line["status"] for line in lines] == ["rejected"] * 4 + ["accepted"]
    assert "hash" in lines[0]["reason"]
    assert "no consultation 'no-such-thing'" in lines[1]["reason"]
    assert "nonsense" in lines[2]["reason"]
    assert "submitted_at" in lines[3]["reason"]
    assert set(hub_hashes(hub)) == {items[4]["record"]["uuid"]}
    with hub.app_context():
        kinds = db.session.execute(select(SetAside.kind)).scalars().all()
        assert kinds == ["rejected"] * 4
        receipt = db.session.execute(select(SyncReceipt)).scalar_one()
        assert (receipt.accepted, receipt.rejected) == (1, 4)


def test_the_same_uuid_twice_in_one_batch_is_stored_once(hub, live_hub, make_app) -> None:
    _id, token = add_device(hub)
    kiosk = make_app("kiosk")
    queue(kiosk, 2)
    a, b = items_of(kiosk)
    twin = copy.deepcopy(a)
    twin["record"]["language"] = "cy" if a["record"]["language"] == "en" else "en"
    twin["hash"] = content_hash(twin["record"])
    lines = post_items(live_hub.url, token, [a, b, a, twin]).json()["items"]
    assert [line["status"] for line in lines] == ["accepted", "accepted", "duplicate", "conflict"]
    assert hub_hashes(hub) == {a["record"]["uuid"]: a["hash"], b["record"]["uuid"]: b["hash"]}
