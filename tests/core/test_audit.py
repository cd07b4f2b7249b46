"""The audit log: every action that matters leaves exactly one entry with who, when, what and from
where; none holds a contact or an answer; admins read, filter and export it, nobody else."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest
from sqlalchemy import select

from kiosk.consultations import store as consultations
from kiosk.core import audit, auth
from kiosk.core.db import db
from kiosk.core.timeutil import utcnow
from kiosk.draws import store as draws
from kiosk.outreach import tracking
from kiosk.responses import store as responses
from tests.conftest import DEMO, PASSWORD, csrf_token

CONTACT = "winner-contact@example.net"
ANSWER = "Mae angen mwy o batrolau ar Heol y Frenhines"


def entries(app, action: str) -> list[audit.AuditEntry]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return list(db.session.execute(select(audit.AuditEntry).filter_by(action=action)).scalars())


@pytest.fixture
def people(app, signed_in):  # type: ignore[no-untyped-def]
    return {"admin": signed_in("admin"), "officer": signed_in("officer"), "staff": signed_in("staff")}


def test_every_action_leaves_one_entry_and_none_holds_a_contact(app, people, tmp_path) -> None:  # type: ignore[no-untyped-def]
    admin, officer, staff = people["admin"], people["officer"], people["staff"]
    cli = app.test_cli_runner()
    done: dict[str, str] = {}

    def post(client, path: str, page: str, **data: str):  # type: ignore[no-untyped-def]
        return client.post(path, data={"csrf_token": csrf_token(client, page), **data})

    # consultations: import (CLI) and status (browser)
    assert cli.invoke(args=["consultations", "import", str(DEMO / "policing-priorities.yaml")]).exit_code == 0
    done["consultation.import"] = "policing-priorities"
    assert post(admin, "/staff/consultations/policing-priorities/status", "/staff/c/policing-priorities",
                status="closed").status_code == 303
    done["consultation.status"] = "policing-priorities"
    # a code re-pointed
    with app.app_context():
        code = tracking.create("policing-priorities", "bus_stop", "Bus stop 3").code
    assert post(admin, f"/staff/posters/{code}/repoint", f"/staff/posters/{code}",
                consultation="your-neighbourhood").status_code == 303
    done["code.repoint"] = code
    assert post(admin, f"/staff/posters/{code}/retire", f"/staff/posters/{code}",
                confirm="yes").status_code == 303
    done["code.retire"] = code
    # devices added and revoked
    page = post(admin, "/staff/devices/", "/staff/devices/", name="Library tablet")
    assert page.status_code == 200
    device_id = re.search(r'/staff/devices/([0-9a-f-]{36})/revoke', page.get_data(as_text=True)).group(1)
    assert post(admin, f"/staff/devices/{device_id}/revoke", "/staff/devices/").status_code == 303
    done["device.add"] = done["device.revoke"] = "Library tablet"
    # set-aside sync items: one accepted (a response the hub already holds), one discarded
    from kiosk.demo import content as demo
    from kiosk.responses.models import Response
    from sync import set_aside, wire

    with app.app_context():
        demo.synthetic_responses(app, 1, seed=5)
        held = wire.item(db.session.execute(select(Response)).scalars().one())
        set_aside.store([set_aside.row(held["record"]["uuid"], held, "rejected", "r1", None, utcnow()),
                         set_aside.row("junk", {"record": {}}, "rejected", "r2", None, utcnow())], None)
        db.session.commit()
        ids = {r.reason: r.id for r in db.session.execute(select(set_aside.SetAside)).scalars()}
    page = f"/staff/devices/set-aside/{ids['r1']}"
    assert post(admin, f"{page}/accept", page).status_code == 303
    done["sync.accept"] = held["record"]["uuid"]
    page = f"/staff/devices/set-aside/{ids['r2']}"
    assert post(admin, f"{page}/discard", page, reason="junk", confirm="yes").status_code == 303
    done["sync.discard"] = "junk"
    # a draw defined, run and exported; a rights request
    closes = (utcnow() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    r = post(officer, "/staff/draws/new", "/staff/draws/new", prize_en="A voucher", prize_cy="Taleb",
             rules_en="One entry each.", rules_cy="Un cais yr un.", consultations="policing-priorities",
             winners="1", reserves="0", claim_days="28", closes_at=closes)
    assert r.status_code == 303, r.get_data(as_text=True)
    draw_id = r.headers["Location"].rsplit("/", 1)[1]
    from sync import keys

    with app.app_context():
        draw = draws.get(draw_id)
        draws.enter(draw, "Winner", CONTACT, keys.hub_public_key(app), "web")
        draw.closes_at = utcnow() - dt.timedelta(minutes=1)
        db.session.commit()
    assert post(officer, f"/staff/draws/{draw_id}/run", f"/staff/draws/{draw_id}",
                seed="published seed").status_code == 303
    exported = post(officer, f"/staff/draws/{draw_id}/export", f"/staff/draws/{draw_id}")
    assert exported.status_code == 200 and CONTACT in exported.get_data(as_text=True)
    assert post(officer, f"/staff/draws/{draw_id}/prizes/1", f"/staff/draws/{draw_id}",
                state="contacted").status_code == 303
    done["draw.define"] = done["draw.run"] = done["draw.export"] = done["draw.claim"] = draw_id
    assert post(officer, "/staff/draws/rights", "/staff/draws/rights", contact=CONTACT,
                reference="SAR-7").status_code == 200
    done["rights.request"] = "SAR-7"
    # staff accounts on the command line
    assert cli.invoke(args=["users", "create", "new@example.org", "--password", PASSWORD]).exit_code == 0
    assert cli.invoke(args=["users", "disable", "new@example.org"]).exit_code == 0
    assert cli.invoke(args=["users", "enable", "new@example.org"]).exit_code == 0
    assert cli.invoke(args=["users", "role", "new@example.org", "officer"]).exit_code == 0
    assert cli.invoke(args=["users", "password", "new@example.org", "--password", "another long one"]
                      ).exit_code == 0
    for action in ("user.create", "user.disable", "user.enable", "user.role", "user.password"):
        done[action] = "new@example.org"
    # staff accounts in the browser: invitation, reset link, two-factor set-up
    assert post(admin, "/staff/users/", "/staff/users/", email="invited@example.org", name="Invited",
                role="staff").status_code == 200
    done["user.invite"] = "invited@example.org"
    with app.app_context():
        invited_id = auth.find_user("invited@example.org").id
    assert post(admin, f"/staff/users/{invited_id}/reset", "/staff/users/").status_code == 200
    done["user.reset"] = "invited@example.org"
    secret = re.search(r"data-totp-secret>([A-Z2-7]+)<", staff.get("/staff/2fa").get_data(as_text=True)).group(1)
    assert post(staff, "/staff/2fa", "/staff/2fa", code=pyotp.TOTP(secret).now()).status_code == 303
    [twofa] = entries(app, "user.2fa")
    assert twofa.target.startswith("staff-") and twofa.detail == {"state": "on"}
    done["user.2fa"] = twofa.target
    # an export of responses (by a staff member)
    assert staff.get("/staff/c/policing-priorities/responses.csv").status_code == 200
    done["responses.export"] = "policing-priorities"
    # a response excluded from results on review (the reason is not in the log)
    uuid, slug = held["record"]["uuid"], held["record"]["consultation"]
    assert post(staff, f"/staff/c/{slug}/responses/{uuid}/review", f"/staff/c/{slug}/report",
                decision="excluded", reason=ANSWER).status_code == 303
    done["response.review"] = uuid
    # the postcode-area table
    areas_csv = tmp_path / "areas.csv"
    areas_csv.write_text("postcode,area_code,name_en,name_cy\nCF10,W05000001,Butetown,Butetown\n")
    assert cli.invoke(args=["areas", "import", str(areas_csv)]).exit_code == 0
    done["areas.import"] = str(areas_csv)
    # results published through the editor
    assert post(admin, "/staff/c/policing-priorities/results", "/staff/c/policing-priorities/results",
                action="save", we_asked_en="Priorities", you_said_en="Burglary",
                we_did_en="More patrols", publish_on="2027-01-01").status_code == 303
    done["results.publish"] = "policing-priorities"

    # free-text analysis: a theme made and given, an answer hidden from quotes and redacted
    from kiosk.analysis import search, texts

    with app.app_context():
        defn = consultations.definition("policing-priorities")
        responses.submit(defn, 1, {"safe_day": 3, "top_concern": "drugs", "comments": ANSWER,
                                       "rank_priorities": ["visible", "victims", "roads", "online"]},
                         language="cy", channel="web")
        texts.fill("policing-priorities")
        answer_id = search.page("policing-priorities", search.Filters()).answers[0].id
    themes_page = "/staff/c/policing-priorities/themes"
    assert post(staff, themes_page, themes_page, name_en="Patrols", name_cy="Patrolau").status_code == 303
    done["theme.create"] = "policing-priorities"
    assert post(staff, "/staff/c/policing-priorities/answers/tag", themes_page, tag_theme="1",
                answer=str(answer_id)).status_code == 303
    done["theme.tag"] = "policing-priorities"
    assert post(staff, f"/staff/c/policing-priorities/answers/{answer_id}/quote", themes_page,
                hidden="yes").status_code == 303
    done["answer.quote"] = f"policing-priorities#{answer_id}"
    redact = f"/staff/c/policing-priorities/answers/{answer_id}/redact"
    assert post(officer, redact, redact, redacted="Mae angen mwy o batrolau ar [redacted]",
                reason="a street name", confirm="yes").status_code == 303
    done["answer.redact"] = f"policing-priorities#{answer_id}"

    assert set(done) == set(audit.ACTIONS)  # the list above covers every recorded action
    for action, target in done.items():
        [entry] = entries(app, action)
        assert entry.target == target, action
        assert entry.actor and entry.at
    assert entries(app, "consultation.status")[0].actor.endswith("@example.org")
    assert entries(app, "consultation.status")[0].address == "127.0.0.1"
    assert entries(app, "user.role")[0].actor.startswith("cli:")
    with app.app_context():
        dump = audit.as_csv(audit.entries(limit=10_000))
    assert CONTACT not in dump and "Winner" not in dump and "Heol y Frenhines" not in dump


def test_only_admins_read_and_export_the_log(app, people) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        audit.record("device.add", "Library tablet", "admin@example.org", "127.0.0.1")
        audit.record("user.create", "new@example.org", "cli:root")
    assert people["staff"].get("/staff/audit/").status_code == 403
    assert people["officer"].get("/staff/audit/audit.csv").status_code == 403
    page = people["admin"].get("/staff/audit/?action=device.add").get_data(as_text=True)
    assert "Library tablet" in page and "new@example.org" not in page
    csv_text = people["admin"].get("/staff/audit/audit.csv?actor=cli:root").get_data(as_text=True)
    assert csv_text.splitlines()[0] == "at,actor,action,target,address,detail"
    assert "new@example.org" in csv_text and "Library tablet" not in csv_text


def test_an_unknown_action_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context(), pytest.raises(ValueError, match="unknown audit action"):
        audit.record("consultation.delete", "x", "someone")
