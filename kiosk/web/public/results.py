"""Published results as open data: CSV tables, a JSON document and their datapackage.json."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app
from flask.typing import ResponseReturnValue

from kiosk.consultations import opendata
from kiosk.consultations import results as publication
from kiosk.consultations import store as consultations
from kiosk.consultations.models import Consultation, ResultsPublication

bp = Blueprint("open_results", __name__)


def _published(slug: str) -> tuple[Consultation, ResultsPublication, list[opendata.Resource]]:
    """The consultation, its live publication and its tables; 404 before the publication date."""
    c = consultations.get(slug)
    pub = publication.live(c) if c is not None else None
    if c is None or pub is None:
        abort(404)
    return c, pub, opendata.resources(c, pub, current_app.config["SMALL_CELL_THRESHOLD"])


def _json(body: dict, name: str) -> Response:
    return Response(json.dumps(body, ensure_ascii=False, indent=2), mimetype="application/json",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


@bp.get("/c/<slug>/results/datapackage.json")
def datapackage(slug: str) -> ResponseReturnValue:
    """The Frictionless data package: what each published table holds, column by column."""
    c, pub, tables = _published(slug)
    return _json(opendata.datapackage(c, pub, tables), "datapackage.json")


@bp.get("/c/<slug>/results/results.json")
def results_json(slug: str) -> ResponseReturnValue:
    """The published texts and every published table as one JSON document."""
    c, pub, tables = _published(slug)
    return _json(opendata.document(c, pub, tables), f"{slug}-results.json")


@bp.get("/c/<slug>/results/<name>.csv")
def table_csv(slug: str, name: str) -> ResponseReturnValue:
    """One published table as CSV."""
    _c, _pub, tables = _published(slug)
    table = next((t for t in tables if t.name == name), None) or abort(404)
    return Response(table.csv(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{slug}-{name}.csv"'})
