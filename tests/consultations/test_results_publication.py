"""We asked, you said, we did: the hub's results editor, its preview and publication date, the public
page in both languages, and the open data (with equality counts suppressed, never redacted text)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

import pytest
from sqlalchemy import select

from kiosk.budget import question as budget
from kiosk.consultations import results as publication
from kiosk.consultations import store as consultations
from kiosk.core.db import db
from kiosk.core.models import AuditEntry
from kiosk.core.timeutil import london_today
from kiosk.reports import tallies
from kiosk.responses import store as responses
from kiosk.responses.models import Response
from tests.conftest import csrf_token

SLUG = "town-centre-safety"  # closed in the demo, with results in its definition
EDITOR = f"/staff/c/{SLUG}/results"
QUOTE = "Brighter lights by the bus station, please"


def answer_town(app, young: int = 12, old: int = 3) -> str:  # type: ignore[no-untyped-def]
    """Responses to the closed demo consultation; returns the uuid of the one with QUOTE."""
    with app.app_context():
        defn = consultations.definition(SLUG)
        for i in range(young + old):
            responses.submit(defn, 1, {"feel_safe": 2, "would_help": "lighting",
                                       "comments": QUOTE if i == 0 else f"Comment {i}",
                                       "age_band": "a16_24" if i < young else "a75_over"},
                             language="en", channel="kiosk" if i % 3 else "web")
        return db.session.execute(select(Response.uuid).where(
            Response.answers["comments"].as_string() == QUOTE)).scalar_one()


def form(**changes: str) -> dict:
    """The editor's fields, filled in, with every chart ticked."""
    return {"we_asked_en": "We asked how to make the town centre safer.",
            "we_asked_cy": "Gofynnon ni sut i wneud canol y dref yn fwy diogel.",
            "you_said_en": "You said: better lighting.", "you_said_cy": "Dywedoch chi: goleuadau gwell.",
            "we_did_en": "We did: new lights on Bridge Street.",
            "we_did_cy": "Fe wnaethon ni: goleuadau newydd ar Stryd y Bont.",
            "chart": ["channels", "areas", "budget"], "action": "save", **changes}


def post(client, data: dict, path: str = EDITOR):  # type: ignore[no-untyped-def]
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data})


def test_the_public_page_shows_the_editors_results_only_from_the_publication_date(
        app, client, signed_in) -> None:
    admin = signed_in("admin")
    uuid = answer_town(app)
    tomorrow = london_today() + dt.timedelta(days=1)
    assert post(admin, form(publish_on=tomorrow.isoformat(), quote=f"{uuid}|comments")).status_code == 303
    before = client.get(f"/c/{SLUG}/results").get_data(as_text=True)
    assert "Most of you told us" in before and "new lights on Bridge Street" not in before  # as today
    assert client.get(f"/c/{SLUG}/results/datapackage.json").status_code == 404

    yesterday = london_today() - dt.timedelta(days=1)
    assert post(admin, form(publish_on=yesterday.isoformat(), quote=f"{uuid}|comments")).status_code == 303
    page = client.get(f"/c/{SLUG}/results").get_data(as_text=True)
    assert "We asked how to make the town centre safer." in page and "new lights on Bridge Street" in page
    assert "Most of you told us" not in page
    assert QUOTE in page and "Comment 3" not in page  # only the quote chosen
    assert "<caption>How people answered</caption>" in page and "<svg" in page
    welsh = client.get(f"/c/{SLUG}/results?lang=cy").get_data(as_text=True)
    assert "Gofynnon ni sut i wneud canol y dref yn fwy diogel." in welsh
    assert "goleuadau newydd ar Stryd y Bont" in welsh
    with app.app_context():
        logged = db.session.execute(select(AuditEntry).filter_by(action="results.publish")).scalars().all()
        assert [e.target for e in logged] == [SLUG, SLUG]
        assert logged[-1].detail["publish_on"] == yesterday.isoformat()
        assert QUOTE not in str(logged[-1].detail)  # never an answer in the log
    feed = client.get("/feeds/consultations.atom").get_data(as_text=True)
    assert "new lights on Bridge Street" in feed  # the feed's results item says what we did
    editor = admin.get(EDITOR).get_data(as_text=True)
    assert f'value="{uuid}|comments" checked' in editor and 'lang="cy">Gofynnon ni' in editor


def test_only_admins_edit_results_and_a_draft_date_needs_english(app, signed_in) -> None:
    assert signed_in("staff").get(EDITOR).status_code == 403
    admin = signed_in("admin")
    r = post(admin, form(we_did_en="", publish_on=london_today().isoformat()))
    assert r.status_code == 422 and "write each part in English" in r.get_data(as_text=True)
    assert post(admin, form(publish_on="31/03/2027")).status_code == 422
    with app.app_context():
        assert publication.get(SLUG) is None


def test_preview_shows_the_unsaved_page_and_saves_nothing(app, client, signed_in) -> None:
    admin = signed_in("admin")
    answer_town(app, young=2, old=0)
    r = post(admin, form(action="preview", publish_on="2027-03-31"))
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and "Preview: not published." in body
    assert "We asked how to make the town centre safer." in body and "How people answered" in body
    with app.app_context():
        assert publication.get(SLUG) is None
    assert "new lights on Bridge Street" not in client.get(f"/c/{SLUG}/results").get_data(as_text=True)


def test_open_data_describes_every_column_suppresses_small_equality_cells_and_drops_redacted_quotes(
        app, client, signed_in) -> None:
    threshold = app.config["SMALL_CELL_THRESHOLD"]
    admin = signed_in("admin")
    uuid = answer_town(app, young=12, old=3)
    assert post(admin, form(publish_on="2026-10-01", quote=f"{uuid}|comments")).status_code == 303
    package = client.get(f"/c/{SLUG}/results/datapackage.json").get_json()
    assert package["profile"] == "tabular-data-package" and package["licenses"][0]["name"] == "OGL-UK-3.0"
    names = [r["name"] for r in package["resources"]]
    assert names == ["channels", "equality", "quotes"]  # no areas asked, no budget here
    tables = {}
    for resource in package["resources"]:
        fields = resource["schema"]["fields"]
        assert all(f["description"] and f["type"] for f in fields)
        got = client.get(f"/c/{SLUG}/results/{resource['path']}")
        assert got.status_code == 200 and got.mimetype == "text/csv"
        rows = list(csv.reader(io.StringIO(got.get_data(as_text=True))))
        assert rows[0] == [f["name"] for f in fields]
        for row in rows[1:]:
            for f, cell in zip(fields, row, strict=True):
                if f["type"] == "integer" and cell:
                    int(cell)
        tables[resource["name"]] = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert {r["channel"]: int(r["responses"]) for r in tables["channels"]} == {"kiosk": 10, "web": 5}
    ages = [r for r in tables["equality"] if r["question"] == "age_band"]
    assert ages and all(r["responses"] == "" or int(r["responses"]) >= threshold for r in ages)
    assert {r["answer"]: r["suppressed"] for r in ages}["a75_over"] == "true"  # 3 < threshold
    assert {r["answer"]: r["responses"] for r in ages}["a16_24"] in ("", "12")
    assert [r["text"] for r in tables["quotes"]] == [QUOTE]
    document = client.get(f"/c/{SLUG}/results/results.json").get_json()
    assert document["we_asked"]["cy"].startswith("Gofynnon ni")
    assert all(r["responses"] is None or r["responses"] >= threshold for r in document["tables"]["equality"])

    with app.app_context():  # the answer is redacted: its text is gone, so is the quote
        r = db.session.execute(select(Response).filter_by(uuid=uuid)).scalar_one()
        r.answers = {k: v for k, v in r.answers.items() if k != "comments"}
        db.session.commit()
    assert QUOTE not in client.get(f"/c/{SLUG}/results/quotes.csv").get_data(as_text=True)
    assert QUOTE not in client.get(f"/c/{SLUG}/results/results.json").get_data(as_text=True)
    assert QUOTE not in client.get(f"/c/{SLUG}/results").get_data(as_text=True)


def test_a_closed_budget_publishes_its_figures_as_open_data(app, client, signed_in) -> None:
    slug = "police-budget-2027"
    with app.app_context():
        defn = consultations.definition(slug)
        rng = random.Random(4)
        for _ in range(7):
            responses.submit(defn, 1, {"budget": budget.sample(defn["questions"][0], rng)},
                             language="en", channel="web")
        consultations.set_status(slug, "closed")
        expected = tallies.summary(slug, consultations.merged_definition(slug)["questions"][0])
    admin = signed_in("admin")
    path = f"/staff/c/{slug}/results"
    assert post(admin, form(publish_on="2026-01-01"), path).status_code == 303
    areas = list(csv.DictReader(io.StringIO(
        client.get(f"/c/{slug}/results/budget_areas.csv").get_data(as_text=True))))
    assert {r["area"]: int(r["mean_pence"]) for r in areas} == {
        k: v["mean"] for k, v in expected["areas"].items()}
    levers = list(csv.DictReader(io.StringIO(
        client.get(f"/c/{slug}/results/budget_levers.csv").get_data(as_text=True))))
    assert sum(int(r["responses"]) for r in levers) == 7
    assert {r["setting"] for r in levers if r["today"] == "true"} == {"0"}


def publish_neighbourhood(app) -> None:  # type: ignore[no-untyped-def]
    """Closed your-neighbourhood results with areas, channels, and a free-text-free quote list."""
    from kiosk.areas import store as areas

    with app.app_context():
        areas.import_csv("postcode,area_code,name_en,name_cy\nCF10,W1,Butetown,Butetown\n"
                         "CF11,W2,Grangetown,Grangetown\n")
        defn = consultations.definition("your-neighbourhood")
        for i, where in enumerate(["W1", "W1", "W2", "outside", None]):
            answers = {"focus": "speeding"}
            if where:
                answers["area"] = {"area": where, **({"district": "BS1"} if where == "outside" else {})}
            responses.submit(defn, 1, answers, language="en", channel="web" if i else "paper")
        consultations.set_status("your-neighbourhood", "closed")
        publication.save("your-neighbourhood", publication.Content(
            {k: {"en": k, "cy": ""} for k in publication.TEXTS}, ["areas", "channels"], [],
            london_today()), "test")


def check_neighbourhood(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/c/your-neighbourhood/results?lang=cy").get_data(as_text=True)
    assert "Where people who answered live" not in page and "Ble mae'r bobl a atebodd yn byw" in page
    assert "<p>we_did</p>" in page  # English where the Welsh part is empty
    rows = list(csv.DictReader(io.StringIO(
        client.get("/c/your-neighbourhood/results/areas.csv").get_data(as_text=True))))
    assert [(r["area"], r["name_cy"], r["responses"]) for r in rows] == [
        ("W1", "Butetown", "2"), ("W2", "Grangetown", "1"), ("outside", "Y tu allan i'r ardal", "1")]
    document = client.get("/c/your-neighbourhood/results/results.json").get_json()
    assert document["tables"]["channels"] == [{"channel": "paper", "responses": 1},
                                              {"channel": "web", "responses": 4}]


def test_counts_by_area_and_channel_are_published(app, client) -> None:
    publish_neighbourhood(app)
    check_neighbourhood(client)


@pytest.mark.postgres
def test_publication_and_open_data_on_postgresql(make_app, pg_schema) -> None:
    from tests.conftest import load_demo

    hub = make_app("hub", DATABASE_URL=pg_schema)
    with hub.app_context():
        load_demo()
    publish_neighbourhood(hub)
    check_neighbourhood(hub.test_client())
    with hub.app_context():
        defn = consultations.merged_definition(SLUG)
        responses.submit(consultations.definition(SLUG), 1, {"feel_safe": 4, "would_help": "cctv",
                         "comments": QUOTE}, language="cy", channel="web")
        [quote] = publication.candidates(SLUG, defn)
        assert (quote.text, quote.language) == (QUOTE, "cy")
        assert publication.resolve(SLUG, [{"response": quote.response, "question": "comments"}]) == [quote]
        db.session.remove()
        db.engine.dispose()
