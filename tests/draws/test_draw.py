"""Acceptance 4: a draw is reproducible from its file; any change to an entry or the seed shows."""

from __future__ import annotations

import collections
import hashlib
import json
import uuid

import pytest

from kiosk.core.db import db
from kiosk.draws import algorithm as draw_algorithm
from kiosk.draws import runs as draw_runs
from kiosk.draws import store as draws
from tests.conftest import csrf_token
from tests.draws.conftest import close


def hashes(n: int, salt: str = "") -> list[str]:
    return [draw_algorithm.entry_hash(str(uuid.UUID(int=i + 1)) + salt) for i in range(n)]


def independent_pick(seed: str, hashes: list[str], count: int) -> list[str]:
    """The algorithm as its documentation states it, written again without looking at the code."""
    pool = sorted(hashes)
    digest = hashlib.sha256("\n".join(pool).encode()).hexdigest()
    out = []
    for i in range(min(count, len(pool))):
        m = len(pool)
        counter = 0
        while True:
            x = int(hashlib.sha256(f"{seed}|{digest}|{i}|{counter}".encode()).hexdigest(), 16)
            if x < 2**256 - 2**256 % m:
                break
            counter += 1
        out.append(pool.pop(x % m))
    return out


def test_known_answer_so_other_implementations_can_check_themselves() -> None:
    pool = [hashlib.sha256(f"entry-{i}".encode()).hexdigest() for i in range(10)]
    seed = "2026-12-05 lottery 4 11 23 31 42 58"
    order = draw_algorithm.pick(seed, pool, 4)
    assert order == independent_pick(seed, pool, 4)
    assert [pool.index(h) for h in order] == [8, 6, 3, 5]
    assert "sha256(f\"{seed}|{digest}|{i}|{counter}\")" in draw_algorithm.DESCRIPTION


def test_picks_are_uniform_without_modulo_bias() -> None:
    pool = hashes(3)
    firsts = collections.Counter(draw_algorithm.pick(f"seed {i}", pool, 1)[0] for i in range(3000))
    assert len(firsts) == 3 and all(900 < n < 1100 for n in firsts.values())


def test_any_change_to_one_entry_or_the_seed_changes_the_result() -> None:
    pool = hashes(1000)
    base = draw_algorithm.pick("seed", pool, 5)
    changed_entry = pool[:-1] + [draw_algorithm.entry_hash("someone else")]
    assert draw_algorithm.pick("seed", changed_entry, 5) != base
    assert draw_algorithm.pick("seed ", pool, 5) != base
    assert draw_algorithm.pick("seed", list(reversed(pool)), 5) == base  # order of input is moot


def made_draw(app, make_draw, n: int = 40) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
    from sync import keys

    draw_id = make_draw()
    with app.app_context():
        draw = draws.get(draw_id)
        key = keys.hub_public_key(app)
        for i in range(n):
            draws.enter(draw, f"Person {i}", f"person{i}@example.org", key, "web")
    close(app, draw_id)
    with app.app_context():
        doc = draw_runs.run(draws.get(draw_id), "published seed 42", "test").verification
    return draw_id, doc


def test_voxbox_draw_verify_reproduces_the_file_and_exits_1_on_any_change(
        app, make_draw, tmp_path) -> None:
    _draw_id, doc = made_draw(app, make_draw)
    runner = app.test_cli_runner()
    good = tmp_path / "draw.json"
    good.write_text(json.dumps(doc))
    result = runner.invoke(args=["draw", "verify", str(good)])
    assert result.exit_code == 0, result.output
    assert "OK: 40 entries" in result.output
    tampered = {
        "entry": {**doc, "entries": doc["entries"][:-1] + [draw_algorithm.entry_hash("x")]},
        "seed": {**doc, "seed": "published seed 43"},
        "result": {**doc, "result": {**doc["result"],
                                     "winners": list(reversed(doc["result"]["winners"]))}},
    }
    for name, bad in tampered.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(bad))
        result = runner.invoke(args=["draw", "verify", str(path)])
        assert result.exit_code == 1, (name, result.output)
        assert "MISMATCH" in result.output


def test_the_draw_picks_winners_and_reserves_and_deletes_everyone_elses_contact(
        app, make_draw) -> None:
    draw_id, doc = made_draw(app, make_draw)
    with app.app_context():
        rows = draws.entries(draws.get(draw_id))
        picked = {draw_algorithm.entry_hash(e.id): e for e in rows if e.outcome != "none"}
        assert list(picked) and set(picked) == set(doc["result"]["winners"]
                                                  + doc["result"]["reserves"])
        assert all(e.sealed is not None for e in picked.values())
        rest = [e for e in rows if e.outcome == "none"]
        assert len(rest) == 35 and all(e.sealed is None and e.contact_hash is None for e in rest)


def test_a_rerun_needs_a_reason_and_is_shown_on_the_page_and_in_the_file(
        app, make_draw, signed_in) -> None:
    draw_id, _doc = made_draw(app, make_draw)
    officer = signed_in("officer")
    token = csrf_token(officer, f"/staff/draws/{draw_id}")
    r = officer.post(f"/staff/draws/{draw_id}/run", data={"csrf_token": token, "seed": "other"})
    page = officer.get(r.location).get_data(as_text=True)
    assert "give the reason" in page
    with app.app_context():
        assert len(draws.runs(draws.get(draw_id))) == 1
    r = officer.post(f"/staff/draws/{draw_id}/run", data={
        "csrf_token": token, "seed": "published seed 42 (typo fixed)",
        "reason": "seed mistyped at the first run"})
    page = officer.get(r.location).get_data(as_text=True)
    assert "This draw has been run 2 times" in page and "seed mistyped" in page
    published = app.test_client().get(f"/draw/{draw_id}/verification.json").get_json()
    assert published["run"]["number"] == 2
    assert published["run"]["earlier"][0]["seed"] == "published seed 42"
    assert draw_algorithm.verify(published) == []
    result = app.test_cli_runner().invoke(args=["draw", "run", draw_id, "--seed", "again"])
    assert result.exit_code != 0 and "reason" in result.output


def test_winners_export_once_only(app, make_draw, signed_in) -> None:
    draw_id, doc = made_draw(app, make_draw)
    officer = signed_in("officer")
    token = csrf_token(officer, f"/staff/draws/{draw_id}")
    r = officer.post(f"/staff/draws/{draw_id}/export", data={"csrf_token": token})
    assert r.status_code == 200 and r.mimetype == "text/csv"
    lines = r.get_data(as_text=True).strip().splitlines()
    assert len(lines) == 1 + 5 and lines[1].startswith("winner,1,")
    assert doc["result"]["winners"][0] in lines[1]
    again = officer.post(f"/staff/draws/{draw_id}/export", data={"csrf_token": token})
    assert again.status_code == 303
    assert "only once" in officer.get(again.location).get_data(as_text=True)


def test_a_draw_cannot_be_made_before_it_closes(app, make_draw) -> None:
    draw_id = make_draw()
    with app.app_context(), pytest.raises(draw_runs.DrawError):
        draw_runs.run(draws.get(draw_id), "seed", "test")
    with app.app_context():
        assert db.session.get(draws.Draw, draw_id).drawn_at is None
