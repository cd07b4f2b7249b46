"""The public body's identity on every resident page, its privacy notice and accessibility
statement within reach, Welsh-first headings, Welsh event places, and no English-only consultation
opening on a bilingual site by accident."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from kiosk.consultations import definitions
from kiosk.consultations import store as consultations
from kiosk.events import store as events
from tests.conftest import csrf_token, load_demo

ORG = "Avonbridge Police and Crime Commissioner"
HUB_PAGES = ["/", "/events", "/c/policing-priorities", "/c/police-budget-2027",
             "/c/town-centre-safety", "/privacy", "/accessibility", "/no-such-page",
             "/c/policing-priorities/resume/not-a-token", "/staff/login"]
KIOSK_PAGES = ["/kiosk/", "/kiosk/staff/pin", "/privacy", "/accessibility", "/kiosk/nowhere"]
LINK = re.compile(r'<a href="([^"]+)"')


def visible_text(html: str) -> str:
    """What a resident can read: the page without asset paths (voxbox.css is a file name)."""
    return re.sub(r'(href|src)="[^"]*"', "", html)


@pytest.fixture
def branded(make_app: Callable[..., Flask]) -> Callable[[str], Flask]:
    def make(role: str) -> Flask:
        application = make_app(role, ORG_NAME=ORG, ORG_NAME_CY="Comisiynydd Heddlu a Throseddu Avonbridge",
                               ORG_CONTACT="hello@avonbridge-pcc.example", ORG_COLOUR="#00594f")
        with application.app_context():
            load_demo()
        return application
    return make


@pytest.mark.parametrize("role", ["hub", "kiosk"])
def test_the_organisation_is_named_on_every_page_and_voxbox_on_none(branded, role) -> None:
    client = branded(role).test_client()
    for path in HUB_PAGES if role == "hub" else KIOSK_PAGES:
        r = client.get(path, follow_redirects=True)
        html = r.get_data(as_text=True)
        assert ORG in html, path
        assert "voxbox" not in visible_text(html).lower(), path
        assert "/org.css" in html  # the configured colour
        # the privacy notice and accessibility statement are one click away from every page
        links = LINK.findall(html)
        assert "/privacy" in links and "/accessibility" in links, path
    welsh = client.get("/privacy?lang=cy").get_data(as_text=True)
    assert "Comisiynydd Heddlu a Throseddu Avonbridge" in welsh


def test_with_nothing_configured_no_page_says_voxbox(app, client) -> None:
    for path in HUB_PAGES:
        html = client.get(path, follow_redirects=True).get_data(as_text=True)
        assert "voxbox" not in visible_text(html).lower(), path
        assert "Have your say" in html


def test_the_privacy_notice_says_who_why_basis_retention_rights_and_contact(branded) -> None:
    html = branded("hub").test_client().get("/privacy").get_data(as_text=True)
    for part in (f"{ORG} is the data controller", "Article 6(1)(e)", "special category data",
                 "Article 9(2)(g)", "two years after the consultation closes", "Your rights",
                 "hello@avonbridge-pcc.example", "Information Commissioner"):
        assert part in html, part
    statement = branded("hub").test_client().get("/accessibility").get_data(as_text=True)
    for part in ("partially compliant", "Content that is not accessible",
                 "Reporting accessibility problems", "Enforcement procedure",
                 "Equality and Human Rights Commission"):
        assert part in statement, part


def test_consultation_pages_and_the_kiosk_thank_you_link_the_privacy_notice(app, client) -> None:
    page = client.get("/c/policing-priorities").get_data(as_text=True)
    assert 'How we use your answers: <a href="/privacy">privacy notice</a>' in page
    template = Path(__file__).resolve().parents[2] / "kiosk" / "templates" / "kiosk" / "thanks.html"
    assert "url_for('info.privacy')" in template.read_text()


def test_free_text_boxes_warn_against_personal_details(app, client) -> None:
    page = client.get("/c/policing-priorities").get_data(as_text=True)
    assert re.search(r'<p class="hint personal-warning" id="f-comments-warn">Do not include personal'
                     r' details', page)
    assert 'aria-describedby="f-comments-warn"' in page


def test_a_bad_organisation_colour_is_refused_at_start_up(make_app) -> None:
    with pytest.raises(ValueError, match="ORG_COLOUR"):
        make_app("hub", ORG_COLOUR="red; } body { display: none")


# --- Welsh ---------------------------------------------------------------------------------------


def test_welsh_first_puts_welsh_first_in_the_kiosks_bilingual_headings(make_app) -> None:
    english_first = make_app("kiosk").test_client().get("/kiosk/").get_data(as_text=True)
    english_first = english_first[english_first.index("<h1>"):]
    assert english_first.index("Have your say") < english_first.index("Dweud eich dweud")
    welsh_first = make_app("kiosk", WELSH_FIRST=True).test_client().get("/kiosk/").get_data(as_text=True)
    welsh_first = welsh_first[welsh_first.index("<h1>"):]
    assert welsh_first.index("Dweud eich dweud") < welsh_first.index("Have your say")
    assert welsh_first.index("Dal yna?") < welsh_first.index("Still there?")
    assert welsh_first.index(">Cymraeg<") < welsh_first.index(">English<")


def test_events_have_a_welsh_place_and_description(app, staff_client) -> None:
    token = csrf_token(staff_client, "/staff/events/new")
    form = {"name_en": "Street stall", "name_cy": "Stondin stryd", "place": "Corn Exchange",
            "place_cy": "Y Gyfnewidfa Ŷd", "date": (dt.date.today() + dt.timedelta(days=3)).isoformat(),
            "start": "10:00", "end": "12:00", "description_en": "Come along",
            "description_cy": "Dewch draw", "consultations": ["policing-priorities"]}
    assert staff_client.post("/staff/events/new", data={"csrf_token": token, **form}).status_code == 303
    welsh = staff_client.get("/events?lang=cy").get_data(as_text=True)
    assert "Y Gyfnewidfa Ŷd" in welsh and "Dewch draw" in welsh and "Corn Exchange" not in welsh
    english = staff_client.get("/events?lang=en").get_data(as_text=True)
    assert "Corn Exchange" in english and "Y Gyfnewidfa Ŷd" not in english
    ics = staff_client.get("/feeds/events.ics?lang=cy")
    assert ics.status_code == 200 and "Y Gyfnewidfa" in ics.get_data(as_text=True)


def test_a_kiosk_event_made_at_the_stall_gets_a_welsh_place(kiosk_app) -> None:
    from kiosk.tablet import state as kiosk_state

    with kiosk_app.test_request_context():
        row = kiosk_state.create_event("Stall", "Library", dt.date.today(), "Stondin", "Llyfrgell",
                                       "Come and chat", "Dewch i sgwrsio")
        assert row.place_text == {"en": "Library", "cy": "Llyfrgell"}
        assert row.description == {"en": "Come and chat", "cy": "Dewch i sgwrsio"}
    with kiosk_app.app_context():
        assert events.get(row.id).place_cy == "Llyfrgell"


ENGLISH_ONLY = """
slug: bins
title: {en: Bin collections}
status: open
questions:
  - id: when
    type: single
    required: true
    prompt: {en: "Which day suits you?"}
    options:
      - {value: mon, label: {en: Monday}}
      - {value: fri, label: {en: Friday}}
"""


def test_an_english_only_consultation_needs_the_explicit_override_on_a_bilingual_hub(
        app, signed_in, tmp_path) -> None:
    import yaml

    defn = definitions.validate(yaml.safe_load(ENGLISH_ONLY.replace("status: open", "status: draft")))
    with app.app_context():
        consultations.import_definition(defn)
        with pytest.raises(consultations.EnglishOnlyError, match="english_only"):
            consultations.set_status("bins", "open", app.config["LANGUAGES"])
        assert consultations.get("bins").status == "draft"
        consultations.set_status("bins", "open", ["en"])  # an English-only site has no such rule
        consultations.set_status("bins", "draft", app.config["LANGUAGES"])
    admin = signed_in("admin")
    token = csrf_token(admin, "/staff/consultations/bins")
    r = admin.post("/staff/consultations/bins/status", data={"csrf_token": token, "status": "open"},
                   follow_redirects=True)
    assert "Publish in English only" in r.get_data(as_text=True)
    with app.app_context():
        assert consultations.get("bins").status == "draft"
    admin.post("/staff/consultations/bins/status",
               data={"csrf_token": token, "status": "open", "english_only": "yes"})
    with app.app_context():
        assert consultations.get("bins").status == "open"
        assert consultations.definition("bins")["english_only"] is True
    welsh = app.test_client().get("/c/bins?lang=cy").get_data(as_text=True)
    assert "Mae’r ymgynghoriad hwn yn Saesneg yn unig." in welsh
    english = app.test_client().get("/c/bins?lang=en").get_data(as_text=True)
    assert "English only" not in english

    path = tmp_path / "bins.yaml"
    path.write_text(ENGLISH_ONLY.replace("slug: bins", "slug: bins-two"))
    result = app.test_cli_runner().invoke(args=["consultations", "import", str(path)])
    assert result.exit_code != 0 and "english_only" in result.output
    path.write_text(ENGLISH_ONLY.replace("slug: bins", "slug: bins-two") + "english_only: true\n")
    result = app.test_cli_runner().invoke(args=["consultations", "import", str(path)])
    assert result.exit_code == 0, result.output


def test_the_welsh_slips_found_in_review_are_fixed() -> None:
    po = (Path(__file__).resolve().parents[2] / "kiosk" / "translations" / "cy" / "LC_MESSAGES"
          / "messages.po").read_text(encoding="utf-8")
    assert "neu codwch" not in po and "neu godwch" in po
    assert "neu ostwng" not in po and "neu gostyngwch" in po
    assert "Rydw i dal yma" not in po and "Rydw i’n dal yma" in po


def test_the_still_there_countdown_lasts_at_least_20_seconds_by_default() -> None:
    from kiosk import settings

    assert settings.IDLE_COUNTDOWN_SECONDS >= 20
