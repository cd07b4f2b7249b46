"""Staff report pages: funnel per placement, channels, events, devices, days; CSV and JSON export."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.consultations import equality
from kiosk.consultations import store as consultations
from kiosk.core import auth
from kiosk.core.problems import ProblemError
from kiosk.core.states import ReviewState
from kiosk.events import store as events
from kiosk.outreach import costs
from kiosk.reports import charts, crosstab, filters
from kiosk.reports import funnel as reports
from kiosk.responses import attribution, review
from kiosk.web.downloads import csv_download, csv_lines, export_form, xlsx_download
from kiosk.web.redirects import same_site_path
from kiosk.web.staff.audit import actor, exported

bp = Blueprint("reports", __name__, url_prefix="/staff")


def _filtered(slug: str) -> tuple[filters.Filters, list[str]]:
    if consultations.get(slug) is None:
        abort(404)
    return filters.parse_filters(request.args)


@bp.get("/c/<slug>/report")
@auth.staff_required
def report(slug: str) -> ResponseReturnValue:
    """The report for one consultation, narrowed by the filters in the query string."""
    f, problems = _filtered(slug)
    c = consultations.get(slug)
    r = reports.build(slug, f)
    funnel_chart = charts.hbars(
        _("Visitors, starts and completed responses per placement"),
        [p.label or "—" for p in r.placements],
        [(_("visitors"), [p.visitors for p in r.placements]),
         (_("started"), [p.started for p in r.placements]),
         (_("completed"), [p.completed for p in r.placements])])
    day_chart = charts.columns(
        _("Visitors, starts and completed responses per day"),
        [d.day.strftime("%d %b") for d in r.days],
        [(_("visitors"), [d.visitors for d in r.days]), (_("started"), [d.started for d in r.days]),
         (_("completed"), [d.completed for d in r.days])])
    return render_template("staff/report.html", c=c, r=r, problems=problems,
                           all_events=events.all_events(), funnel_chart=funnel_chart,
                           day_chart=day_chart, pounds=costs.pounds, money=costs.money)


@bp.get("/c/<slug>/report.csv")
@auth.staff_required
@exported(lambda kw: kw["slug"])
def report_csv(slug: str) -> ResponseReturnValue:
    """The filtered responses as CSV with attribution columns, safe to open in a spreadsheet
    (equality answers only for officers)."""
    f, _problems = _filtered(slug)
    defn = equality.for_viewer(consultations.merged_definition(slug) or abort(404),
                               current_user.has_role("officer"))
    return csv_download(attribution.csv_lines(defn, slug, f, **export_form()),
                        f"{slug}-responses-attributed.csv")


@bp.get("/c/<slug>/report.xlsx")
@auth.staff_required
@exported(lambda kw: kw["slug"])
def report_xlsx(slug: str) -> ResponseReturnValue:
    """The filtered responses as an XLSX workbook with attribution columns (equality answers
    only for officers)."""
    f, _problems = _filtered(slug)
    defn = equality.for_viewer(consultations.merged_definition(slug) or abort(404),
                               current_user.has_role("officer"))
    return xlsx_download(attribution.xlsx_chunks(defn, slug, f, **export_form()),
                         f"{slug}-responses-attributed.xlsx")


@bp.get("/c/<slug>/report.json")
@auth.staff_required
@exported(lambda kw: kw["slug"])
def report_json(slug: str) -> ResponseReturnValue:
    """The filtered responses as JSON, each with its attribution (equality answers only for officers)."""
    f, _problems = _filtered(slug)
    hidden = equality.hidden_ids(consultations.merged_definition(slug) or abort(404),
                                 current_user.has_role("officer"))
    body = stream_with_context(attribution.json_chunks(slug, f, hidden))
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="{slug}-responses-attributed.json"'})


@bp.post("/c/<slug>/responses/<uuid>/review")
@auth.staff_required
def review_response(slug: str, uuid: str) -> ResponseReturnValue:
    """Mark a flagged response reviewed, exclude it from results with a reason, or undo either
    (nothing is deleted; undoing is one more review, so no confirmation page)."""
    if consultations.get(slug) is None:
        abort(404)
    form = request.form
    try:
        done = review.review(slug, uuid, form.get("decision", ""), form.get("reason", ""), actor(),
                             request.remote_addr or "")
    except ProblemError as exc:
        flash(str(exc), "error")
    else:
        short = done.uuid[:8]
        said: dict[str | None, str] = {
            ReviewState.REVIEWED: _("Response %(id)s marked reviewed.", id=short),
            ReviewState.EXCLUDED: _("Response %(id)s excluded from results.", id=short)}
        flash(said.get(done.review, _("Response %(id)s: review undone.", id=short)), "ok")
    return redirect(same_site_path(form.get("next")) or url_for(".report", slug=slug), 303)


def _crosstab(slug: str) -> tuple[crosstab.CrossTab | None, list[str], filters.Filters]:
    f, problems = _filtered(slug)
    defn = consultations.merged_definition(slug) or abort(404)
    qid = request.args.get("q") or next((q["id"] for q in crosstab.closed_questions(defn)), "")
    try:
        t = crosstab.build(defn, slug, qid, request.args.get("by", "channel"), f,
                           officer=current_user.has_role("officer"),
                           threshold=current_app.config["SMALL_CELL_THRESHOLD"])
    except ProblemError as exc:
        return None, problems + [str(p) for p in exc.problems], f
    return t, problems, f


@bp.get("/c/<slug>/crosstab")
@auth.staff_required
def crosstab_page(slug: str) -> ResponseReturnValue:
    """One closed question's answers split by a channel, event, placement, kiosk, version or another
    closed question, as counts and column shares (equality cells suppressed under the threshold)."""
    t, problems, f = _crosstab(slug)
    defn = consultations.merged_definition(slug) or abort(404)
    html = render_template("staff/crosstab.html", c=consultations.get(slug), t=t, problems=problems,
                           f=f, questions=crosstab.closed_questions(defn),
                           dimensions=list(crosstab.DIMENSIONS), args=request.args)
    return html, (400 if t is None else 200)


@bp.get("/c/<slug>/crosstab.csv")
@auth.staff_required
@exported(lambda kw: kw["slug"])
def crosstab_csv(slug: str) -> ResponseReturnValue:
    """The cross-tab as CSV: per answer, a count and a column share for each column."""
    t, problems, _f = _crosstab(slug)
    if t is None:
        return Response("\n".join(problems) + "\n", status=400, mimetype="text/plain")
    return csv_download(csv_lines(t.csv_rows()), f"{slug}-crosstab-{t.question['id']}.csv")
