"""Issue 16, prize-draw follow-up: each prize's claim, the next reserve promoted in draw order (in
the verification file's history, which still verifies), the entry reference shown once on entering,
and a public page per made draw."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy import select

from kiosk.core import audit
from kiosk.core.db import db
from kiosk.draws import algorithm as draw_algorithm
from kiosk.draws import runs as draw_runs
from kiosk.draws import store as draws
from kiosk.draws.models import Entry
from sync import entries as entry_sync
from sync import keys
from tests.conftest import csrf_token
from tests.draws.conftest import answer_on_kiosk, answer_on_phone, close, enter

REFERENCE = re.compile(r"data-entry-reference>([0-9a-f]{10})<")


def made(app, make_draw, n: int = 12, **fields: object) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
    """A draw with n web entries, made from a public seed; (draw id, its verification file)."""
    draw_id = make_draw(**fields)
    with app.app_context():
        draw, key = draws.get(draw_id), keys.hub_public_key(app)
        for i in range(n):
            draws.enter(draw, f"Person {i}", f"person{i}@example.org", key, "web")
    close(app, draw_id)
    with app.app_context():
        return draw_id, draw_runs.run(draws.get(draw_id), "seed 7", "test").verification


def set_claim(client, draw_id: str, prize: int, state: str, confirm: bool = True):  # type: ignore[no-untyped-def]
    token = csrf_token(client, f"/staff/draws/{draw_id}")
    data = {"csrf_token": token, "state": state, **({"confirm": "yes"} if confirm else {})}
    return client.post(f"/staff/draws/{draw_id}/prizes/{prize}", data=data)


def claims_on_page(client, draw_id: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    page = client.get(f"/staff/draws/{draw_id}").get_data(as_text=True)
    return re.findall(r'<tr data-prize="(\d+)" data-state="(\w+)">', page)


def published(app, draw_id: str) -> dict:  # type: ignore[no-untyped-def]
    return app.test_client().get(f"/draw/{draw_id}/verification.json").get_json()


def test_a_declined_or_expired_prize_passes_to_the_next_reserve_in_order_on_record(
        app, make_draw, signed_in, tmp_path) -> None:
    draw_id, doc = made(app, make_draw)  # 3 winners, 2 reserves
    w1, w2, w3 = doc["result"]["winners"]
    r1, r2 = doc["result"]["reserves"]
    admin = signed_in("admin")
    assert claims_on_page(admin, draw_id) == [("1", "drawn"), ("2", "drawn"), ("3", "drawn")]
    assert set_claim(admin, draw_id, 1, "contacted").status_code == 303
    assert set_claim(admin, draw_id, 1, "claimed").status_code == 303
    r = set_claim(admin, draw_id, 1, "declined")  # claimed is final
    assert "already claimed" in admin.get(r.location).get_data(as_text=True)
    r = set_claim(admin, draw_id, 2, "declined", confirm=False)  # passing a prize on is confirmed
    assert "Tick the box" in admin.get(r.location).get_data(as_text=True)
    assert claims_on_page(admin, draw_id)[1] == ("2", "drawn")

    r = set_claim(admin, draw_id, 2, "declined")
    assert f"Prize 2 passes to reserve {r1[:10]}" in admin.get(r.location).get_data(as_text=True)
    set_claim(admin, draw_id, 3, "expired")
    set_claim(admin, draw_id, 2, "declined")  # reserve 1 declines too: no reserve is left
    assert claims_on_page(admin, draw_id) == [("1", "claimed"), ("2", "declined"),
                                               ("2", "declined"), ("3", "expired"), ("3", "drawn")]

    # the file keeps the original result and says what happened since, in order
    file = published(app, draw_id)
    assert file["result"] == doc["result"] and file["seed"] == doc["seed"]
    assert [(h["prize"], h["entry"], h["event"], h["promoted"]) for h in file["history"]] == [
        (2, w2, "declined", r1), (3, w3, "expired", r2), (2, r1, "declined", None)]
    assert draw_algorithm.verify(file) == []
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(file))
    result = app.test_cli_runner().invoke(args=["draw", "verify", str(path)])
    assert result.exit_code == 0, result.output
    assert "history: 3 unclaimed prize(s)" in result.output
    # a history that skips a reserve (or names a prize its entry did not hold) does not verify
    skipped = [{**file["history"][0], "promoted": r2}, *file["history"][1:]]
    assert any("next reserve" in p for p in draw_algorithm.verify({**file, "history": skipped}))
    wrong = [{**file["history"][0], "entry": w1}, *file["history"][1:]]
    assert any("not held" in p for p in draw_algorithm.verify({**file, "history": wrong}))

    with app.app_context():  # whoever let a prize go is not reached again: contact deleted
        rows = {draw_algorithm.entry_hash(e.id): e for e in draws.entries(draws.get(draw_id))}
        assert [rows[h].sealed is None for h in (w1, w2, w3, r1, r2)] == [
            False, True, True, True, False]
        logged = audit.entries("draw.claim")
    assert len(logged) == 5 and all(e.target == draw_id for e in logged)  # refusals unlogged
    assert {e.detail["state"] for e in logged} == {"contacted", "claimed", "declined", "expired"}
    assert not any("@" in v or "Person" in v for e in logged for v in e.detail.values())

    page = app.test_client().get(f"/draws/{draw_id}").get_data(as_text=True)
    holders = re.findall(r'<li data-prize="(\d)">\s*(?:<code data-reference>(\w+)</code>)?', page)
    assert holders == [("1", w1[:10]), ("2", ""), ("3", r2[:10])]
    assert "Prize 2 was not claimed by " + w2[:10] in page and "no reserve was left" in page


def test_only_admins_and_officers_follow_up_claims(app, make_draw, signed_in) -> None:
    draw_id, _doc = made(app, make_draw, n=4)
    officer, staff, anonymous = signed_in("officer"), signed_in("staff"), app.test_client()
    assert staff.get(f"/staff/draws/{draw_id}").status_code == 403  # as for the draw's page
    r = staff.post(f"/staff/draws/{draw_id}/prizes/1", data={
        "csrf_token": csrf_token(staff, "/staff/"), "state": "contacted"})
    assert r.status_code == 403
    r = anonymous.post(f"/staff/draws/{draw_id}/prizes/1", data={
        "csrf_token": csrf_token(anonymous, "/staff/login"), "state": "contacted"})
    assert r.status_code == 302 and "/staff/login" in r.location
    assert set_claim(officer, draw_id, 1, "contacted").status_code == 303
    assert claims_on_page(officer, draw_id)[0] == ("1", "contacted")
    with app.app_context():
        assert len(audit.entries("draw.claim")) == 1


def test_the_thank_you_page_shows_a_reference_that_wins_on_the_public_page(
        app, make_draw, kiosk_for) -> None:
    draw_id = make_draw(winners=2, reserves=0)
    assert app.test_client().get(f"/draws/{draw_id}").status_code == 404  # not made yet
    phone = app.test_client()
    answer_on_phone(phone)
    r = enter(phone, draw_id, "Ann", "ann@example.org")
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"  # shown once
    [phone_ref] = REFERENCE.findall(r.get_data(as_text=True))
    assert phone_ref not in phone.get_cookie("session").value
    kiosk = kiosk_for(app)
    tablet = kiosk.test_client()
    answer_on_kiosk(tablet)
    [kiosk_ref] = REFERENCE.findall(enter(tablet, draw_id, "Bo", "07700 900001",
                                          kiosk=True).get_data(as_text=True))
    with kiosk.app_context():
        items = entry_sync.pending()
        [entry] = db.session.execute(select(Entry)).scalars()
        assert draw_algorithm.entry_hash(entry.id).startswith(kiosk_ref)
    with app.app_context():
        assert entry_sync.ingest(items)["counts"]["accepted"] == 1
    welsh = app.test_client()
    answer_on_phone(welsh)
    welsh.post("/lang", data={"csrf_token": csrf_token(welsh, "/"), "lang": "cy"})
    assert "Cyfeirnod eich cynnig" in enter(welsh, draw_id, "Cai", "cai@example.org").get_data(
        as_text=True)

    close(app, draw_id)
    with app.app_context():
        draw_runs.run(draws.get(draw_id), "seed", "test")
    page = app.test_client().get(f"/draws/{draw_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "A £50 voucher" in html
    assert re.search(r"<dd data-entries>3</dd>", html)
    winners = re.findall(r"<code data-reference>(\w+)</code>", html)
    assert len(winners) == 2 and set(winners) <= {phone_ref, kiosk_ref} | {
        h[:10] for h in published(app, draw_id)["entries"]}
    assert f'href="/draw/{draw_id}/verification.json"' in html
    assert "Dyddiad y raffl" in app.test_client().get(f"/draws/{draw_id}?lang=cy").get_data(as_text=True)
    # every reference shown is the start of an entry in the published file
    assert {phone_ref, kiosk_ref} <= {h[:10] for h in published(app, draw_id)["entries"]}
    # the draw is listed on its consultation's public results page once results are out
    other = make_draw(consultations=["town-centre-safety"])
    with app.app_context():
        draws.enter(draws.get(other), "Di", "di@example.org", keys.hub_public_key(app), "web")
    close(app, other)
    with app.app_context():
        draw_runs.run(draws.get(other), "seed", "test")
    results = app.test_client().get("/c/town-centre-safety/results").get_data(as_text=True)
    assert f'href="/draws/{other}"' in results


def test_the_reference_is_kept_nowhere_but_in_the_entry_itself(app, make_draw) -> None:
    """Nothing the hub stores (database, WAL, session) holds the reference shown before the draw;
    it is computable only from the entry's random id, which nothing links to the response."""
    draw_id = make_draw()
    phone = app.test_client()
    answer_on_phone(phone)
    r = enter(phone, draw_id, "Ann", "ann@example.org")
    [ref] = REFERENCE.findall(r.get_data(as_text=True))
    stored = b"".join(p.read_bytes() for p in Path(app.instance_path).rglob("*") if p.is_file())
    assert ref.encode() not in stored and ref.upper().encode() not in stored
    assert ref not in phone.get_cookie("session").value
    with app.app_context():
        from kiosk.draws import inbox as draw_inbox

        draw_inbox.flush()
        ids = list(db.session.execute(select(Entry.id)).scalars())
    assert [draw_algorithm.reference(draw_algorithm.entry_hash(i)) for i in ids] == [ref]


def test_a_draw_made_before_the_upgrade_gets_its_winners_claims(app, make_draw) -> None:
    import runpy

    from flask_migrate import downgrade

    from kiosk.core.db import MIGRATIONS, upgrade_in_place, with_migrations
    from kiosk.draws import claims

    draw_id, doc = made(app, make_draw, n=6)
    migration = Path(MIGRATIONS) / "versions" / "0019_i16dr_draw_claims.py"
    before = runpy.run_path(str(migration))["down_revision"]
    with app.app_context():
        with_migrations(app)
        downgrade(directory=MIGRATIONS, revision=before)  # draw_claims dropped, the run kept
        upgrade_in_place(app, "head")
        got = [(c.prize, c.entry_hash, c.state) for c in claims.all_claims(draws.get(draw_id))]
    assert got == [(n, h, "drawn") for n, h in enumerate(doc["result"]["winners"], 1)]
