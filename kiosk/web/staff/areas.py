"""The postcode-to-area table on the hub: staff see it, admins replace it with a CSV upload."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from kiosk.areas import store as areas
from kiosk.core import auth
from kiosk.core.problems import ProblemError
from kiosk.web.staff.audit import log

bp = Blueprint("admin_areas", __name__, url_prefix="/staff/areas")
MAX_CSV_BYTES = 15_000_000


@bp.get("/")
@auth.staff_required
def index() -> ResponseReturnValue:
    """The areas and how many postcodes, sectors and districts map to them."""
    return _page([], 200)


@bp.post("/")
@auth.role_required("admin")
def upload() -> ResponseReturnValue:
    """Replace the table with an uploaded CSV: every line is stored, or none."""
    upload_file = request.files.get("file")
    raw = upload_file.read(MAX_CSV_BYTES + 1) if upload_file and upload_file.filename else b""
    problems: list[str] = []
    if not raw:
        problems.append(_("Choose a CSV file."))
    elif len(raw) > MAX_CSV_BYTES:
        problems.append(_("The file is larger than 15 MB."))
    else:
        try:
            found = areas.import_csv(raw.decode("utf-8-sig"), "CSV")
        except UnicodeDecodeError:
            problems.append(_("The file is not UTF-8 text."))
        except ProblemError as exc:
            problems = str(exc).splitlines()
        else:
            log("areas.import", "CSV upload", areas=found["areas"])
            flash(_("Imported %(areas)s areas from %(postcodes)s postcodes, %(sectors)s sectors and "
                    "%(districts)s districts. Kiosks get them at their next sync.", **found), "ok")
            return redirect(url_for(".index"), 303)
    return _page(problems, 422)


def _page(problems: list[str], status: int) -> ResponseReturnValue:
    return render_template("admin/areas.html", counts=areas.counts(), every=areas.all_areas(),
                           problems=problems), status
