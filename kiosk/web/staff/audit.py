"""The audit log in the browser (admins read, filter and export it); ``log`` records a view's
action by the signed-in staff member, ``exported`` every export of responses."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from kiosk.core import audit, auth
from kiosk.core.db import db
from kiosk.core.models import User

bp = Blueprint("audit", __name__, url_prefix="/staff/audit")
admin_required = auth.role_required("admin")


def actor() -> str:
    """Who is signed in, by email (the kiosk's PIN session: "kiosk staff")."""
    user_id = auth.user_id_of(current_user)
    user = db.session.get(User, user_id) if user_id is not None else None
    return user.email if user is not None else "kiosk staff"


def log(action: str, target: str, **detail: str | int) -> None:
    """Record an action by the signed-in staff member, from the request's address."""
    audit.record(action, target, actor(), request.remote_addr or "", apart=False, **detail)


def exported(target: Callable[[dict[str, Any]], str]) -> Callable:
    """Record a ``responses.export`` when the export view answers 200."""

    def wrap(view: Callable) -> Callable:
        @functools.wraps(view)
        def inner(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            response = make_response(view(*args, **kwargs))
            if response.status_code == 200:  # the rows may still be streaming from the session
                audit.record("responses.export", target(kwargs), actor(), request.remote_addr or "",
                             apart=True, file=request.path.rsplit("/", 1)[-1])
            return response

        return inner

    return wrap


@bp.get("/")
@admin_required
def index() -> ResponseReturnValue:
    """The newest entries, filtered by action and actor."""
    action, who = request.args.get("action") or None, request.args.get("actor") or None
    return render_template("admin/audit.html", rows=audit.entries(action, who), actions=audit.ACTIONS,
                           action=action or "", actor=who or "")


@bp.get("/audit.csv")
@admin_required
def export() -> ResponseReturnValue:
    """The filtered log as CSV."""
    rows = audit.entries(request.args.get("action") or None, request.args.get("actor") or None,
                         limit=100_000)
    return Response(audit.as_csv(rows), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="audit.csv"'})
