"""Posters admin: staff create placements, download posters that decode to their tracking URL,
and re-point codes; anonymous visitors and bad input are refused with a reason."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import func, select

from kiosk.core.db import db
from kiosk.outreach import tracking
from kiosk.outreach.models import TrackingCode
from tests.conftest import csrf_token
from tests.print import pdfcheck

SLUG = "policing-priorities"
PLACEMENT = {"consultation": SLUG, "kind": "bus_stop", "label": "Bus stop 14, High Street",
             "location": "Outside the library"}


def count_codes(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(TrackingCode)).scalar_one()


def create(client, **change: str):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/staff/posters/")
    return client.post("/staff/posters/", data={"csrf_token": token, **PLACEMENT, **change})


@pytest.fixture
def code(staff_client) -> str:  # type: ignore[no-untyped-def]
    """A placement made through the admin page; returns its tracking code."""
    r = create(staff_client)
    assert r.status_code == 303
    return r.headers["Location"].rsplit("/", 1)[1]


def test_posters_admin_needs_a_signed_in_staff_member(app, make_code) -> None:
    anonymous = app.test_client()
    existing = make_code()
    before = count_codes(app)
    for path in ("/staff/posters/", f"/staff/posters/{existing}",
                 f"/staff/posters/{existing}/poster?format=a4"):
        r = anonymous.get(path)
        assert r.status_code == 302 and "/staff/login" in r.location, path
    assert anonymous.post("/staff/posters/", data=PLACEMENT).status_code in (302, 400)
    r = anonymous.post(f"/staff/posters/{existing}/repoint", data={"consultation": "park-survey"})
    assert r.status_code in (302, 400)
    assert count_codes(app) == before
    with app.app_context():
        assert tracking.get(existing).consultation_slug == SLUG


def test_staff_create_a_placement_and_see_it_listed_with_scans(app, staff_client, resident,
                                                               code) -> None:
    with app.app_context():
        row = tracking.get(code)
        assert (row.consultation_slug, row.kind, row.label, row.location) == (
            SLUG, "bus_stop", "Bus stop 14, High Street", "Outside the library")
    assert f"tracking code {code}" in staff_client.get(f"/staff/posters/{code}").get_data(as_text=True)
    for _ in range(3):
        assert resident.get(f"/q/{code}").status_code == 302

    listing = staff_client.get("/staff/posters/").get_data(as_text=True)

    [cells] = re.findall(rf'<tr data-code="{code}">(.*?)</tr>', listing, re.S)
    assert "Bus stop 14, High Street" in cells and "Bus stop" in cells
    assert re.findall(r"<td>(\d+)</td>", cells) == ["3"]
    assert "Posters" in staff_client.get("/staff/").get_data(as_text=True)  # in the staff nav


def test_downloaded_pdf_decodes_to_the_public_tracking_url(app, staff_client, code) -> None:
    url = f"{app.config['PUBLIC_URL']}/q/{code}"

    r = staff_client.get(f"/staff/posters/{code}/poster?format=a4&output=pdf")

    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.headers["Content-Disposition"] == f'attachment; filename="{code}-a4.pdf"'
    assert pdfcheck.decoded(pdfcheck.rasterise(r.data)) == [url]
    assert pdfcheck.page_size_mm(r.data) == pytest.approx((210, 297), abs=0.01)
    assert pdfcheck.image_count(r.data) == 0  # the code is vector artwork


def test_bleed_and_welsh_first_options(app, staff_client, code) -> None:
    r = staff_client.get(f"/staff/posters/{code}/poster?format=six-sheet&bleed=1&welsh_first=1")

    assert r.status_code == 200
    assert pdfcheck.page_size_mm(r.data) == pytest.approx((1219, 1819), abs=0.01)  # bleed, marks
    text = pdfcheck.text(r.data)
    assert text.index("Eich blaenoriaethau") < text.index("Your priorities for policing")
    assert pdfcheck.decoded(pdfcheck.rasterise(r.data)) == [f"{app.config['PUBLIC_URL']}/q/{code}"]


def test_png_svg_and_sticker_downloads(app, staff_client, code) -> None:
    url = f"{app.config['PUBLIC_URL']}/q/{code}"

    png = staff_client.get(f"/staff/posters/{code}/poster?format=a5&output=png")
    svg = staff_client.get(f"/staff/posters/{code}/poster?format=a4&output=svg")
    sheet = staff_client.get(f"/staff/posters/{code}/poster?format=stickers")

    assert png.status_code == 200 and png.mimetype == "image/png"
    image = pdfcheck.png_image(png.data)
    assert image.height == 2000 and pdfcheck.decoded(image) == [url]
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    texts = [t.text for t in ET.fromstring(svg.data).iter("{http://www.w3.org/2000/svg}text")]
    assert url.split("://", 1)[1] in texts
    assert sheet.status_code == 200
    assert pdfcheck.decoded(pdfcheck.rasterise(sheet.data, 1600)) == [url] * 21


def test_repoint_changes_where_the_code_redirects(app, signed_in, resident, code) -> None:
    admin = signed_in("admin")
    assert resident.get(f"/q/{code}").location == f"/c/{SLUG}?code={code}"
    page = f"/staff/posters/{code}"
    token = csrf_token(admin, page)
    assert 'value="your-neighbourhood"' in admin.get(page).get_data(as_text=True)

    assert admin.post(f"{page}/repoint", data={"consultation": "your-neighbourhood"}
                      ).status_code == 400  # no CSRF token
    r = admin.post(f"{page}/repoint", data={"csrf_token": token,
                                            "consultation": "your-neighbourhood"})

    assert r.status_code == 303 and r.location == page
    assert resident.get(f"/q/{code}").location == f"/c/your-neighbourhood?code={code}"
    with app.app_context():
        assert tracking.get(code).consultation_slug == "your-neighbourhood"
    listing = admin.get("/staff/posters/").get_data(as_text=True)
    town = listing.index('id="c-your-neighbourhood"')
    assert listing.index(f'data-code="{code}"') > town


def test_bad_placements_are_refused_with_a_reason(app, staff_client) -> None:
    before = count_codes(app)
    cases = [({"consultation": "no-such-thing"}, "Choose a consultation from the list."),
             ({"kind": "lamp_post"}, "Choose what kind of placement this is."),
             ({"label": "  "}, "Give the placement a label"),
             ({"label": "x" * 201}, "A label has at most 200 characters."),
             ({"location": "y" * 301}, "A location has at most 300 characters.")]
    for change, message in cases:
        r = create(staff_client, **change)
        assert r.status_code == 422, change
        assert message in r.get_data(as_text=True), change
    assert count_codes(app) == before


def test_bad_poster_requests_are_refused_with_a_reason(app, staff_client, signed_in,
                                                       code) -> None:
    base = f"/staff/posters/{code}/poster"
    cases = [("format=poster", "unknown format &#39;poster&#39;"),
             ("format=a4&output=gif", "unknown output &#39;gif&#39;")]
    for query, message in cases:
        r = staff_client.get(f"{base}?{query}")
        assert r.status_code == 422, query
        assert message in r.get_data(as_text=True), query
    assert staff_client.get("/staff/posters/ABCDEF/poster").status_code == 404
    mistyped = code[:-1] + ("Z" if code[-1] != "Z" else "Y")  # wrong check character
    assert staff_client.get(f"/staff/posters/{mistyped}").status_code == 404
    admin = signed_in("admin")
    token = csrf_token(admin, f"/staff/posters/{code}")
    r = admin.post(f"/staff/posters/{code}/repoint",
                          data={"csrf_token": token, "consultation": "no-such-thing"})
    assert r.status_code == 422 and "Choose a consultation from the list." in r.get_data(as_text=True)
    with app.app_context():
        assert tracking.get(code).consultation_slug == SLUG


def test_a_qr_too_small_to_print_is_a_422_with_the_minimum_and_can_be_overridden(app, staff_client,
                                                                              code) -> None:
    # a very long public address makes a dense code: on a sticker its modules get too small
    app.config["PUBLIC_URL"] = "https://" + "consultations" * 30 + ".example"

    refused = staff_client.get(f"/staff/posters/{code}/poster?format=stickers")
    allowed = staff_client.get(f"/staff/posters/{code}/poster?format=stickers&allow_small=1")

    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert re.search(r"too small to print reliably: at least 0\.4 mm needed, so this code must "
                     r"be at least \d+ mm wide", page)
    assert "allow_small=True" not in page
    assert allowed.status_code == 200 and allowed.mimetype == "application/pdf"


def test_the_page_speaks_welsh(app, signed_in, code) -> None:
    admin = signed_in("admin")
    token = csrf_token(admin, "/staff/posters/")
    admin.post("/lang", data={"csrf_token": token, "lang": "cy", "next": "/staff/posters/"})

    page = admin.get(f"/staff/posters/{code}").get_data(as_text=True)

    assert "Lawrlwytho’r poster" in page and "Ailgyfeirio’r cod hwn" in page
    assert "Download the poster" not in page


def test_kiosks_have_no_posters_admin(kiosk_app) -> None:
    assert kiosk_app.test_client().get("/staff/posters/").status_code == 404


def test_the_organisations_name_is_in_every_poster_footer(app, staff_client, code) -> None:
    app.config.update(ORG_NAME="Avonbridge Police and Crime Commissioner",
                      ORG_NAME_CY="Comisiynydd Heddlu a Throseddu Avonbridge")
    for fmt in ("a4", "six-sheet", "cutout"):
        r = staff_client.get(f"/staff/posters/{code}/poster?format={fmt}&output=pdf")
        assert r.status_code == 200, fmt
        text = " ".join(pdfcheck.text(r.data).split())
        assert "Avonbridge Police and Crime Commissioner" in text, fmt
        assert "Comisiynydd Heddlu a Throseddu Avonbridge" in text, fmt
        assert pdfcheck.decoded(pdfcheck.rasterise(r.data)) == [f"{app.config['PUBLIC_URL']}/q/{code}"]
    app.config.update(ORG_NAME="", ORG_NAME_CY="")
    r = staff_client.get(f"/staff/posters/{code}/poster?format=a4&output=pdf")
    assert "Avonbridge" not in pdfcheck.text(r.data)
