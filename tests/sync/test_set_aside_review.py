"""Set-aside sync items on the hub: an admin opens one in full, discards it with a reason (after
confirming) or accepts a rejected response once it passes the checks; the response is stored
once, both actions are in the audit log, and nothing is deleted."""

from __future__ import annotations

import threading
import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from kiosk.analysis import texts
from kiosk.analysis.models import TextAnswer
from kiosk.consultations import store as consultations
from kiosk.core import audit
from kiosk.core.db import db
from kiosk.core.models import AuditEntry
from kiosk.devices.models import SetAside
from kiosk.outreach import tracking
from kiosk.responses.models import Response
from kiosk.responses.store import content_hash
from sync import set_aside
from tests.conftest import csrf_token
from tests.sync.conftest import add_device, deadline, items_of, queue

LIST = "/staff/devices/set-aside"


def _item(record: dict) -> dict:
    return {"record": record, "hash": content_hash(record)}


def _push(app: Flask, token: str, items: list[dict]) -> list[str]:
    r = app.test_client().post("/api/v1/responses", json={"batch_id": str(uuid.uuid4()),
                                                          "items": items},
                               headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.get_data(as_text=True)
    return [i["status"] for i in r.json["items"]]


def _row_id(app: Flask, uid: str) -> int:
    with app.app_context():
        return db.session.execute(select(SetAside.id).filter_by(uuid=uid)).scalar_one()


def _stored(app: Flask, uid: str) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(Response)
                                  .filter_by(uuid=uid)).scalar_one()


def _audit(app: Flask, action: str) -> list[AuditEntry]:
    with app.app_context():
        return list(db.session.execute(select(AuditEntry).filter_by(action=action)).scalars())


def _post(client: FlaskClient, path: str, page: str, **data: str):  # type: ignore[no-untyped-def]
    return client.post(path, data={"csrf_token": csrf_token(client, page), **data})


@pytest.fixture
def pushed(app: Flask, make_app) -> dict:  # type: ignore[no-untyped-def]
    """A device pushed three items: one stored, one rejected for a tracking code the hub has not
    issued (yet), and a conflict (the stored one's UUID, another body)."""
    _device, token = add_device(app, "Library tablet")
    kiosk = make_app("kiosk")
    queue(kiosk, 6)
    good, *others = (i["record"] for i in items_of(kiosk))
    with app.app_context():  # one with a free-text question, searchable once stored
        keys = {r["uuid"]: [k for k in texts.text_keys(consultations.definition(
            r["consultation"], r["version"]))[0] if "." not in k] for r in others}
    spare = next(r for r in others if keys[r["uuid"]])
    said = {keys[spare["uuid"]][0]: "More patrols on Queen Street"}
    code = tracking.new_code()
    unknown = _item({**spare, "tracking_code": code, "answers": {**spare["answers"], **said}})
    clash = _item({**good, "started_at": None})  # still valid, but not what was stored
    assert _push(app, token, [_item(good), unknown, clash]) == ["accepted", "rejected", "conflict"]
    return {"token": token, "good": good, "unknown": unknown, "code": code, "clash": clash,
            "slug": spare["consultation"]}


def test_an_admin_lists_opens_and_discards_an_item_with_a_reason(app, signed_in, pushed) -> None:
    admin = signed_in("admin")
    uid = pushed["unknown"]["record"]["uuid"]
    listing = admin.get(LIST).get_data(as_text=True)
    item_id = _row_id(app, uid)
    assert uid in listing and f"/staff/devices/set-aside/{item_id}" in listing
    assert "(waiting for review: 2)" in admin.get("/staff/devices/").get_data(as_text=True)
    page = admin.get(f"{LIST}/{item_id}").get_data(as_text=True)
    assert "Library tablet" in page and "unknown tracking code" in page  # device and reason
    assert pushed["slug"] in page and pushed["code"] in page and 'data-answers' in page
    # a reason and a confirmation are both needed
    r = _post(admin, f"{LIST}/{item_id}/discard", f"{LIST}/{item_id}", reason="  ", confirm="yes")
    assert r.status_code == 422 and "Give a reason for discarding this item." in r.get_data(as_text=True)
    r = _post(admin, f"{LIST}/{item_id}/discard", f"{LIST}/{item_id}", reason="test poster code")
    assert r.status_code == 422 and "Tick the box to confirm" in r.get_data(as_text=True)
    assert _audit(app, "sync.discard") == []
    r = _post(admin, f"{LIST}/{item_id}/discard", f"{LIST}/{item_id}",
              reason="A test poster's code, never printed", confirm="yes")
    assert r.status_code == 303
    page = admin.get(f"{LIST}/{item_id}").get_data(as_text=True)
    assert 'data-review="discarded"' in page and "never printed" in page
    assert 'data-review="discarded"' in admin.get(LIST).get_data(as_text=True)  # still listed
    assert "(waiting for review: 1)" in admin.get("/staff/devices/").get_data(as_text=True)
    [entry] = _audit(app, "sync.discard")
    assert entry.target == uid and entry.actor.startswith("admin-")
    assert entry.detail["kind"] == "rejected" and entry.detail["device"] == "Library tablet"
    assert "never printed" in entry.detail["reason"]
    with app.app_context():
        row = db.session.get(SetAside, item_id)
        assert row is not None and row.review_state == "discarded" and row.reviewed_by
        dump = audit.as_csv(audit.entries(limit=1000))
    assert not any(str(a) in dump for a in pushed["unknown"]["record"]["answers"].values()
                   if isinstance(a, str) and len(a) > 3)
    # a discarded item is not reviewed again, and nothing was stored
    again = _post(admin, f"{LIST}/{item_id}/discard", f"{LIST}/{item_id}", reason="x", confirm="yes")
    assert again.status_code == 409 and _stored(app, uid) == 0


def test_accepting_stores_the_response_once_and_a_second_accept_is_refused(app, signed_in,
                                                                            pushed) -> None:
    admin = signed_in("admin")
    uid = pushed["unknown"]["record"]["uuid"]
    item_id = _row_id(app, uid)
    page = f"{LIST}/{item_id}"
    # while the code is unknown the hub's checks still fail: nothing is stored, the item waits
    r = _post(admin, f"{page}/accept", page)
    assert r.status_code == 422 and "still fails the hub&#39;s checks" in r.get_data(as_text=True)
    assert _stored(app, uid) == 0 and _audit(app, "sync.accept") == []
    with app.app_context():
        tracking.create(pushed["slug"], "bus_stop", "Stop 9", code=pushed["code"])
    r = _post(admin, f"{page}/accept", page)
    assert r.status_code == 303
    assert _stored(app, uid) == 1
    with app.app_context():  # its free text is indexed, as after a push
        found = db.session.execute(select(func.count()).select_from(TextAnswer).join(
            Response, Response.id == TextAnswer.response_id).where(Response.uuid == uid)).scalar_one()
    assert found == 1
    shown = admin.get(page).get_data(as_text=True)
    assert f"Response {uid} accepted and stored." in shown and 'data-review="accepted"' in shown
    r = _post(admin, f"{page}/accept", page)
    assert r.status_code == 409 and "already been reviewed" in r.get_data(as_text=True)
    assert _stored(app, uid) == 1
    [entry] = _audit(app, "sync.accept")
    assert entry.target == uid and entry.detail["outcome"] == "stored"
    # the kiosk resending it now is a duplicate: still one response
    assert _push(app, pushed["token"], [pushed["unknown"]]) == ["duplicate"]
    assert _stored(app, uid) == 1


def test_a_response_that_reached_the_hub_since_is_accepted_without_a_second_copy(
        app, signed_in, pushed) -> None:
    admin = signed_in("admin")
    uid = pushed["unknown"]["record"]["uuid"]
    with app.app_context():
        tracking.create(pushed["slug"], "bus_stop", "Stop 9", code=pushed["code"])
    assert _push(app, pushed["token"], [pushed["unknown"]]) == ["accepted"]  # resent, now stored
    page = f"{LIST}/{_row_id(app, uid)}"
    assert "data-stored" in admin.get(page).get_data(as_text=True)
    assert _post(admin, f"{page}/accept", page).status_code == 303
    assert _stored(app, uid) == 1
    assert _audit(app, "sync.accept")[0].detail["outcome"] == "already stored"


def test_a_conflict_is_shown_against_the_original_and_cannot_be_accepted(app, signed_in,
                                                                          pushed) -> None:
    admin = signed_in("admin")
    uid = pushed["good"]["uuid"]
    page = f"{LIST}/{_row_id(app, uid)}"
    text = admin.get(page).get_data(as_text=True)
    assert "data-stored" in text and "It differs in: started_at." in text
    assert "data-cannot-accept" in text
    r = _post(admin, f"{page}/accept", page)
    assert r.status_code == 409 and "cannot be accepted over the original" in r.get_data(as_text=True)
    with app.app_context():
        [stored] = db.session.execute(select(Response).filter_by(uuid=uid)).scalars()
        assert stored.content_hash == content_hash(pushed["good"])  # the original is kept


def test_a_prize_draw_entry_is_shown_without_its_sealed_box(app, signed_in) -> None:
    entry_id, sealed = str(uuid.uuid4()), "ab" * 40
    with app.app_context():
        set_aside.set_aside_rows([({"record": {"id": entry_id, "draw_id": "d-1", "sealed": sealed,
                                               "entered_on": "2026-11-01", "source": "kiosk"},
                                    "hash": "0" * 64}, "the hub has no such draw")], None,
                                 "rejected")
        db.session.commit()
    admin = signed_in("admin")
    page = admin.get(f"{LIST}/{_row_id(app, entry_id)}").get_data(as_text=True)
    assert "d-1" in page and "2026-11-01" in page and "no such draw" in page
    assert sealed not in page and "data-cannot-accept" in page


def test_staff_without_the_admin_role_cannot_review(app, signed_in, pushed) -> None:
    staff, admin = signed_in("staff"), signed_in("admin")
    item_id = _row_id(app, pushed["unknown"]["record"]["uuid"])
    token = csrf_token(staff, "/staff/posters/")  # the staff member's own valid form token
    assert staff.get(LIST).status_code == 403
    assert staff.get(f"{LIST}/{item_id}").status_code == 403
    for action, data in (("accept", {}), ("discard", {"reason": "no", "confirm": "yes"})):
        r = staff.post(f"{LIST}/{item_id}/{action}", data={"csrf_token": token, **data})
        assert r.status_code == 403
    with app.app_context():
        assert db.session.get(SetAside, item_id).review_state is None  # type: ignore[union-attr]
    assert admin.get(f"{LIST}/999999").status_code == 404


def test_admins_accepting_at_once_store_the_response_once(hub, make_app) -> None:  # type: ignore[no-untyped-def]
    """Four admins press Accept on the same item at the same moment (SQLite and PostgreSQL)."""
    from sync import review

    _device, token = add_device(hub)
    kiosk = make_app("kiosk")
    queue(kiosk, 1)
    [record] = (i["record"] for i in items_of(kiosk))
    code = tracking.new_code()
    item = _item({**record, "tracking_code": code})
    assert _push(hub, token, [item]) == ["rejected"]
    with hub.app_context():
        tracking.create(record["consultation"], "bus_stop", "Stop 9", code=code)
    item_id = _row_id(hub, record["uuid"])
    start, outcomes = threading.Barrier(4), []

    def press(n: int) -> None:
        with hub.app_context():
            start.wait(deadline(30))
            try:
                outcomes.append(review.accept(item_id, f"admin{n}@example.org", ["en", "cy"]))
            except review.ReviewError as exc:
                outcomes.append(exc.code)

    threads = [threading.Thread(target=press, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(deadline(60))
    assert sorted(outcomes) == ["reviewed"] * 3 + ["stored"]
    assert _stored(hub, record["uuid"]) == 1
