"""Events admin on the hub: list, create and edit street stalls and meetings (kiosks pull them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from kiosk.consultations import store as consultations
from kiosk.core import auth
from kiosk.core.problems import Problem, ProblemError
from kiosk.events import store as events
from kiosk.events.models import Event

bp = Blueprint("admin_events", __name__, url_prefix="/staff/events")


@bp.get("/")
@auth.staff_required
def index() -> ResponseReturnValue:
    """Every event, upcoming first, with links to edit."""
    return render_template("admin/events.html", upcoming=events.upcoming(),
                           every=events.all_events())


@bp.route("/new", methods=["GET", "POST"])
@auth.staff_required
def new() -> ResponseReturnValue:
    """Create an event."""
    return _edit(None)


@bp.route("/<event_id>", methods=["GET", "POST"])
@auth.staff_required
def edit(event_id: str) -> ResponseReturnValue:
    """Edit an event."""
    return _edit(events.get(event_id) or abort(404))


def _edit(event: Event | None) -> ResponseReturnValue:
    form: dict[str, Any] = _form_of(event) if event else {"consultations": []}
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = {k: request.form.get(k, "").strip() for k in FIELDS}
        form["consultations"] = request.form.getlist("consultations")
        try:
            fields = _fields(form)
            row = events.update(event.id, fields) if event else events.create(fields)
        except ProblemError as exc:
            errors = {p.path.partition(".")[0]: p.message for p in exc.problems}  # "name.en" is the name field
        else:
            flash(_("Event saved."), "info")
            return redirect(url_for(".edit", event_id=row.id), 303)
    return render_template("admin/event_form.html", event=event, form=form, errors=errors,
                           choices=[c for c in consultations.all_consultations()
                                    if c.status != "draft"]), 422 if errors else 200


FIELDS = ("name_en", "name_cy", "place", "place_cy", "date", "start", "end", "description_en", "description_cy")


def _form_of(event: Event) -> dict[str, Any]:
    start = events.to_london(event.starts_at)
    end = events.to_london(event.ends_at) if event.ends_at else None
    return {"name_en": event.name.get("en", ""), "name_cy": event.name.get("cy", ""),
            "place": event.place, "place_cy": event.place_cy or "", "date": start.date().isoformat(), "start": start.strftime("%H:%M"),
            "end": end.strftime("%H:%M") if end else "",
            "description_en": (event.description or {}).get("en", ""),
            "description_cy": (event.description or {}).get("cy", ""),
            "consultations": list(event.consultations or [])}


def _when(day: str, time: str) -> dt.datetime | None:
    """A London date and HH:MM time typed in the form, as naive UTC (None if unreadable)."""
    try:
        return events.to_utc(dt.datetime.combine(dt.date.fromisoformat(day),
                                                 dt.time.fromisoformat(time)))
    except ValueError:
        return None


def _fields(form: dict[str, Any]) -> dict[str, Any]:
    """Domain fields from the form; an unreadable end time is a problem of its own."""
    starts = _when(form["date"], form["start"])
    ends = _when(form["date"], form["end"]) if form["end"] else None
    if form["end"] and ends is None and starts is not None:
        raise ProblemError([Problem("ends_at", _("Give the end time as HH:MM."))])
    return {"name": {"en": form["name_en"], "cy": form["name_cy"]}, "place": {"en": form["place"], "cy": form["place_cy"]},
            "description": {"en": form["description_en"], "cy": form["description_cy"]},
            "starts_at": starts, "ends_at": ends,
            "consultations": form["consultations"]}
