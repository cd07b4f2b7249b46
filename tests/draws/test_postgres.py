"""The hub's entry ingest, de-duplication, draw and purge on PostgreSQL."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import func, select, text

from kiosk.core.db import db
from kiosk.draws import inbox as draw_inbox
from kiosk.draws import retention
from kiosk.draws import runs as draw_runs
from kiosk.draws import store as draws
from kiosk.draws.models import Entry
from sync import entries as entry_sync
from sync import keys
from tests.conftest import load_demo
from tests.draws.conftest import answer_on_phone, close, enter, pull_into
from tests.sync.conftest import pg_schema  # noqa: F401  (fixture)


@pytest.mark.postgres
def test_entries_dedupe_draw_and_purge_on_postgresql(make_app, pg_schema) -> None:  # noqa: F811
    hub = make_app("hub", DATABASE_URL=pg_schema)
    kiosk = make_app("kiosk")
    with hub.app_context():
        load_demo()
        draw = draws.define({"prize": "Voucher", "rules": "Rules", "winners": 2, "reserves": 1,
                             "consultations": ["policing-priorities"], "claim_days": 1,
                             "closes_at": "2099-01-01T00:00"})
        draw_id = draw.id
        key = keys.hub_public_key(hub)
        for i in range(30):
            draws.enter(draw, "Web", f"w{i}@example.org", key, "web",
                        secret=keys.dedupe_key(hub), batch=7)
        draw_inbox.flush()
    with kiosk.app_context():
        load_demo()
    pull_into(hub, kiosk)
    with kiosk.app_context():
        kdraw, kkey = draws.get(draw_id), keys.hub_public_key(kiosk)
        for i in range(25, 40):  # five of these people already entered on the web
            draws.enter(kdraw, "Kiosk", f"W{i}@Example.org ", kkey, "kiosk", sync_state="queued")
        items = entry_sync.pending()
    with hub.app_context():
        assert db.engine.dialect.name == "postgresql"
        receipt = entry_sync.ingest(items + items)
        assert receipt["counts"] == {"accepted": 10, "duplicate": 20, "conflict": 0, "rejected": 0}
        assert db.session.execute(select(func.count()).select_from(Entry)).scalar_one() == 40
    close(hub, draw_id)
    with hub.app_context():
        run = draw_runs.run(draws.get(draw_id), "seed", "test")
        assert len(run.verification["entries"]) == 40
        left = db.session.execute(select(func.count()).select_from(Entry).where(
            Entry.sealed.is_not(None))).scalar_one()
        assert left == 3
        retention.purge(hub)
        db.session.remove()
        db.engine.dispose()


def _ranks(values: list[float]) -> list[float]:
    """Ranks from 1, ties sharing their average rank."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in order[i:j + 1]:
            ranks[k] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def rank_correlation(values: list[float]) -> float:
    """Spearman's rho of a sequence against its own index, ties allowed (0 when all tie: an
    order that is the same for everything says nothing)."""
    xs, ys = _ranks(list(range(len(values)))), _ranks(values)
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    vy = sum((y - my) ** 2 for y in ys)
    vx = sum((x - mx) ** 2 for x in xs)
    return 0.0 if vy == 0 else cov / math.sqrt(vx * vy)


@pytest.mark.postgres
@pytest.mark.slow
def test_web_entries_transaction_ids_and_places_say_nothing_of_their_responses(
        make_app, pg_schema) -> None:  # noqa: F811
    hub = make_app("hub", DATABASE_URL=pg_schema)
    n = 200
    with hub.app_context():
        load_demo()
        draw_id = draws.define({"prize": "Voucher", "rules": "Rules", "winners": 1, "reserves": 0,
                                "consultations": ["policing-priorities"], "claim_days": 1,
                                "closes_at": "2099-01-01T00:00"}).id
    order: list[str] = []  # the id of the entry made right after the i-th response
    for i in range(n):
        phone = hub.test_client()
        answer_on_phone(phone)
        with hub.app_context():
            before = _entry_ids()
        assert enter(phone, draw_id, "A Resident", f"resident{i}@example.org").status_code == 200
        with hub.app_context():
            [new] = _entry_ids() - before
        order.append(new)
    with hub.app_context():
        draw_inbox.flush()  # what the officer's page or the draw does first
        assert db.engine.dialect.name == "postgresql"
        # the responses themselves carry their order (the measure sees it) ...
        responses = db.session.execute(text(
            "SELECT xmin::text::bigint FROM responses ORDER BY submitted_at, uuid")).scalars().all()
        assert len(responses) == n and rank_correlation(list(responses)) > bound(n)
        # ... the entries' transaction ids (xmin) and places on disk (ctid) do not
        rows = {entry_id: (int(xmin), (int(page), int(item))) for entry_id, xmin, page, item in
                db.session.execute(text(
                    "SELECT id, xmin::text::bigint, (ctid::text::point)[0], "
                    "(ctid::text::point)[1] FROM draw_entries")).all()}
        db.session.remove()
        db.engine.dispose()
    assert sorted(rows) == sorted(order)
    for name, index in (("xmin", 0), ("ctid", 1)):
        rho = rank_correlation([rows[e][index] for e in order])
        assert abs(rho) < bound(n), f"entries' {name} follows their responses (rho={rho:.3f})"
    # the bound catches an order kept batch by batch (what DRAW_ENTRY_BATCH alone would leave)
    assert rank_correlation([i // 20 for i in range(n)]) > bound(n)


def bound(n: int) -> float:
    """|rho| above this has probability < 1e-4 for unrelated orders (rho ~ N(0, 1/(n-1)))."""
    return 3.9 / math.sqrt(n - 1)


def _entry_ids() -> set[str]:
    """Every entry id on the hub, those still in the inbox included."""
    return {*db.session.execute(select(Entry.id)).scalars(),
            *db.session.execute(select(draw_inbox.InboxEntry.id)).scalars()}
