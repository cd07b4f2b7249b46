"""Offline bundles: round trip, and truncated, altered, replayed or foreign files."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from sync import bundle, client
from tests.sync.conftest import hub_hashes, items_of, queue, states

pytestmark = pytest.mark.parametrize("hub", ["sqlite"], indirect=True)


@pytest.fixture
def exported(live_hub, make_kiosk, tmp_path):  # type: ignore[no-untyped-def]
    """An enrolled kiosk with 25 queued responses exported to a bundle file."""
    kiosk = make_kiosk(live_hub)
    queue(kiosk, 25)
    path = tmp_path / "kiosk.vxb"
    result = kiosk.test_cli_runner().invoke(args=["sync", "export", str(path)])
    assert result.exit_code == 0, result.output
    assert "wrote 25 responses" in result.output
    return kiosk, path


def _import(hub_app, path: Path):  # type: ignore[no-untyped-def]
    return hub_app.test_cli_runner().invoke(args=["sync", "import", str(path)])


def test_round_trip_export_import_confirm(live_hub, exported, tmp_path) -> None:
    kiosk, path = exported
    assert states(kiosk)["queued"] == 25  # exporting changes nothing
    receipt_path = tmp_path / "receipt.json"
    result = live_hub.app.test_cli_runner().invoke(
        args=["sync", "import", str(path), "--receipt", str(receipt_path)])
    assert result.exit_code == 0, result.output
    receipt = json.loads(receipt_path.read_text())
    assert receipt["counts"]["accepted"] == 25 and receipt["replayed"] is False
    assert hub_hashes(live_hub.app) == {i["record"]["uuid"]: i["hash"] for i in items_of(kiosk)}
    confirmed = kiosk.test_cli_runner().invoke(args=["sync", "confirm", str(receipt_path)])
    assert confirmed.exit_code == 0, confirmed.output
    assert states(kiosk) == {"queued": 0, "synced": 25, "conflict": 0, "rejected": 0}


def test_import_prints_the_receipt_to_stdout(live_hub, exported) -> None:
    _kiosk, path = exported
    result = _import(live_hub.app, path)
    assert result.exit_code == 0
    printed = result.stdout
    assert json.loads(printed)["format"] == "voxbox-receipt/1"


def test_a_replayed_bundle_is_acknowledged_as_duplicates(live_hub, exported, tmp_path) -> None:
    kiosk, path = exported
    assert _import(live_hub.app, path).exit_code == 0
    again = json.loads(_import(live_hub.app, path).stdout)
    assert again["replayed"] is True
    assert again["counts"] == {"accepted": 0, "duplicate": 25, "conflict": 0, "rejected": 0}
    assert len(hub_hashes(live_hub.app)) == 25
    (tmp_path / "r.json").write_text(json.dumps(again))
    with kiosk.app_context():
        assert bundle.confirm(kiosk, json.dumps(again).encode())["duplicate"] == 25
    assert states(kiosk)["synced"] == 25


def test_a_truncated_bundle_is_refused_and_changes_nothing(live_hub, exported, tmp_path) -> None:
    _kiosk, path = exported
    data = path.read_bytes()
    for cut in (len(data) - 1, len(data) // 2, 10):
        short = tmp_path / f"short{cut}.vxb"
        short.write_bytes(data[:cut])
        result = _import(live_hub.app, short)
        assert result.exit_code == 1
        assert "truncated or damaged" in result.output
    assert hub_hashes(live_hub.app) == {}


def test_an_altered_bundle_is_refused_and_changes_nothing(live_hub, exported, tmp_path) -> None:
    _kiosk, path = exported
    doc = json.loads(gzip.decompress(path.read_bytes()))
    doc["items"][3]["record"]["language"] = "xx"
    altered = tmp_path / "altered.vxb"
    altered.write_bytes(gzip.compress(json.dumps(doc).encode()))
    result = _import(live_hub.app, altered)
    assert result.exit_code == 1 and "HMAC mismatch" in result.output
    dropped = dict(doc, items=doc["items"][:-1])
    altered.write_bytes(gzip.compress(json.dumps(dropped).encode()))
    assert "HMAC mismatch" in _import(live_hub.app, altered).output
    flipped = bytearray(path.read_bytes())
    flipped[len(flipped) // 2] ^= 0x40
    altered.write_bytes(bytes(flipped))
    result = _import(live_hub.app, altered)
    assert result.exit_code == 1
    assert "damaged" in result.output or "HMAC mismatch" in result.output
    assert hub_hashes(live_hub.app) == {}


def test_a_bundle_from_a_revoked_device_is_refused(live_hub, exported) -> None:
    kiosk, path = exported
    with kiosk.app_context():
        device_id = client.get_setting(client.DEVICE_ID)
    live_hub.app.test_cli_runner().invoke(args=["devices", "revoke", device_id])
    result = _import(live_hub.app, path)
    assert result.exit_code == 1 and "revoked" in result.output
    assert hub_hashes(live_hub.app) == {}


def test_an_altered_receipt_is_refused_and_marks_nothing(live_hub, exported, tmp_path) -> None:
    kiosk, path = exported
    receipt = json.loads(_import(live_hub.app, path).stdout)
    receipt["items"][0]["status"] = "rejected"
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(receipt))
    result = kiosk.test_cli_runner().invoke(args=["sync", "confirm", str(forged)])
    assert result.exit_code == 1 and "HMAC mismatch" in result.output
    assert states(kiosk)["queued"] == 25


def test_sealed_prize_draw_entries_travel_in_the_bundle_exactly_once(live_hub, make_kiosk,
                                                                    tmp_path) -> None:
    import datetime as dt

    from sqlalchemy import select

    from kiosk.core.db import db
    from kiosk.core.timeutil import utcnow
    from kiosk.draws import store as draws
    from kiosk.draws.models import Entry
    from sync import keys

    with live_hub.app.app_context():
        draw_id = draws.define({
            "prize": {"en": "A voucher", "cy": "Taleb"}, "rules": {"en": "One each", "cy": "Un"},
            "consultations": ["policing-priorities"], "winners": 1, "reserves": 0,
            "claim_days": 28, "closes_at": utcnow() + dt.timedelta(days=7)}).id
    kiosk = make_kiosk(live_hub)
    assert kiosk.test_cli_runner().invoke(args=["sync", "pull"]).exit_code == 0
    queue(kiosk, 3)
    with kiosk.app_context():
        key, kdraw = keys.hub_public_key(kiosk), draws.get(draw_id)
        for i in range(4):
            draws.enter(kdraw, "Resident", f"resident{i}@example.org", key, "kiosk",
                        sync_state="queued")
    path = tmp_path / "kiosk.vxb"
    out = kiosk.test_cli_runner().invoke(args=["sync", "export", str(path)]).output
    assert "wrote 3 responses and 4 sealed prize-draw entries" in out
    assert b"resident0@example.org" not in gzip.decompress(path.read_bytes())  # still sealed

    receipt = tmp_path / "receipt.json"
    seen = []
    for _ in range(2):  # a replay answers every entry as a duplicate and stores nothing more
        result = live_hub.app.test_cli_runner().invoke(
            args=["sync", "import", str(path), "--receipt", str(receipt)])
        assert result.exit_code == 0, result.output
        seen.append([line["status"] for line in json.loads(receipt.read_text())["entries"]])
    assert seen == [["accepted"] * 4, ["duplicate"] * 4]
    with live_hub.app.app_context():
        assert draws.count_entries(draws.get(draw_id)) == 4

    result = kiosk.test_cli_runner().invoke(args=["sync", "confirm", str(receipt)])
    assert result.exit_code == 0 and "entries duplicate 4" in result.output, result.output
    with kiosk.app_context():
        rows = db.session.execute(select(Entry)).scalars().all()
        assert [(e.sync_state, e.sealed) for e in rows] == [("synced", None)] * 4


def test_an_altered_entry_makes_the_bundle_refused(live_hub, exported, tmp_path) -> None:
    kiosk, path = exported
    doc = json.loads(gzip.decompress(path.read_bytes()))
    doc["entries"].append({"record": {"id": "x"}, "hash": "0" * 64})
    doc["manifest"]["entries"] = 1
    forged = tmp_path / "forged.vxb"
    forged.write_bytes(gzip.compress(json.dumps(doc).encode()))
    result = _import(live_hub.app, forged)
    assert result.exit_code != 0 and "HMAC mismatch" in result.output
    assert hub_hashes(live_hub.app) == {}
