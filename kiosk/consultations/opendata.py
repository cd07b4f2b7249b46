"""Published results as open data: CSV tables, one JSON document and a Frictionless
``datapackage.json`` that describes every column.

Only what the public page shows goes out: the charts staff chose, the quotes they picked (as the
answers stand now, so a redacted answer is never copied out), and equality answers only as counts
with every cell under the threshold suppressed by ``kiosk.consultations.equality`` (empty, with
``suppressed`` true).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from kiosk.budget import rules
from kiosk.consultations import publishing
from kiosk.consultations import results as publication
from kiosk.consultations.models import Consultation, ResultsPublication
from kiosk.consultations.types import Question
from kiosk.responses.store import safe_cell

LICENCE = {"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0",
           "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"}


@dataclass(frozen=True)
class Resource:
    """One table: its name, title, fields (name, Frictionless type, description) and rows."""

    name: str
    title: str
    fields: tuple[tuple[str, str, str], ...]
    rows: list[list[Any]]

    def schema(self) -> dict:
        """The Table Schema of this table: every field typed and described."""
        return {"fields": [{"name": n, "type": t, "description": d} for n, t, d in self.fields],
                "missingValues": [""]}

    def records(self) -> list[dict[str, Any]]:
        """The rows as objects keyed by field name (for JSON)."""
        names = [n for n, _t, _d in self.fields]
        return [dict(zip(names, row, strict=True)) for row in self.rows]

    def csv(self) -> str:
        """The table as CSV text (UTF-8), safe to open in a spreadsheet."""
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow([n for n, _t, _d in self.fields])
        for row in self.rows:
            writer.writerow([_cell(v) for v in row])
        return buf.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, int | float) else safe_cell(value)  # type: ignore[return-value]


def resources(c: Consultation, pub: ResultsPublication, threshold: int) -> list[Resource]:
    """Every table of a publication, in the page's order (charts not chosen are left out)."""
    shown = publication.figures(c.slug, pub)
    out = []
    if "channels" in pub.charts:
        out.append(Resource("channels", "Responses by channel", (
            ("channel", "string", "How residents answered: kiosk (at a stall or meeting), web, paper"),
            ("responses", "integer", "Responses through this channel")),
            [[ch, n] for ch, n in sorted(shown.channels.items())]))
    if shown.areas:  # chosen, and the consultation asks for a postcode
        out.append(Resource("areas", "Responses by area", (
            ("area", "string", "Area code (outside: a postcode outside the areas)"),
            ("name_en", "string", "Area name in English"), ("name_cy", "string", "Area name in Welsh"),
            ("responses", "integer", "Responses from this area")),
            [[code, name.get("en", code), name.get("cy", ""), n] for code, name, n in shown.areas]))
    if shown.budgets:
        out += _budget_tables(shown.budgets)
    out.append(_equality_table(c, threshold))
    out.append(Resource("quotes", "What residents said, in their own words", (
        ("question", "string", "The question the words answered"),
        ("language", "string", "The language the resident answered in (en, cy)"),
        ("text", "string", "The resident's words")),
        [[q.question, q.language, q.text] for q in shown.quotes]))
    return out


def _budget_tables(budgets: list[tuple[Question, dict]]) -> list[Resource]:
    area_rows, lever_rows = [], []
    for q, t in budgets:
        for a in rules.areas(q):
            r = t["areas"][a["id"]]
            area_rows.append([q["id"], a["id"], a["name"].get("en", ""), a["name"].get("cy", ""),
                              r["current"], r["mean"], r["median"], r["raised"], r["kept"], r["cut"],
                              r["shares"]["raised"], r["shares"]["kept"], r["shares"]["cut"]])
        for lv in q["levers"]:
            for setting, n in t["levers"][lv["id"]]["counts"].items():
                lever_rows.append([q["id"], lv["id"], lv["name"].get("en", ""), setting,
                                   setting == rules.lever_str(rules.parse_lever(lv["current"])), n])
    return [
        Resource("budget_areas", "Budget: what residents chose for each area", (
            ("question", "string", "Budget question id"), ("area", "string", "Area id"),
            ("name_en", "string", "Area name in English"), ("name_cy", "string", "Area name in Welsh"),
            ("today_pence", "integer", "Today's spend, in pence"),
            ("mean_pence", "integer", "Mean chosen, in pence (halves rounded away from zero)"),
            ("median_pence", "integer", "Median chosen, in pence"),
            ("raised", "integer", "Residents who raised it"), ("kept", "integer", "Residents who kept it"),
            ("cut", "integer", "Residents who cut it"),
            ("raised_pct", "number", "Share who raised it, %"), ("kept_pct", "number", "Share who kept it, %"),
            ("cut_pct", "number", "Share who cut it, %")), area_rows),
        Resource("budget_levers", "Budget: how many chose each setting of an income lever "
                 "(e.g. the precept)", (
            ("question", "string", "Budget question id"), ("lever", "string", "Lever id"),
            ("name_en", "string", "Lever name in English"),
            ("setting", "number", "Change chosen, % (0 keeps today's)"),
            ("today", "boolean", "Whether this is today's setting"),
            ("responses", "integer", "Residents who chose it")), lever_rows),
    ]


def _equality_table(c: Consultation, threshold: int) -> Resource:
    """Who answered, as counts only, with the small cells suppressed by the equality rule."""
    rows = []
    for q, t in publishing.headline(c, threshold).equality:
        labels = {o["value"]: o["label"] for o in q.get("options", [])}
        for value, n in t["counts"].items():
            label = labels.get(value, {"en": value})
            rows.append([q["id"], value, label.get("en", value), label.get("cy", ""), n, n is None])
    return Resource("equality", f"Who we heard from (counts under {threshold} suppressed)", (
        ("question", "string", "Equality monitoring question id"), ("answer", "string", "Answer value"),
        ("label_en", "string", "Answer in English"), ("label_cy", "string", "Answer in Welsh"),
        ("responses", "integer", f"Responses; empty where fewer than {threshold} (suppressed)"),
        ("suppressed", "boolean", "Whether the count is suppressed to protect privacy")), rows)


def datapackage(c: Consultation, pub: ResultsPublication, tables: list[Resource]) -> dict:
    """The Frictionless Data Package descriptor: the package and every table's schema."""
    return {
        "profile": "tabular-data-package",
        "name": c.slug,
        "title": c.title.get("en", c.slug),
        "description": pub.we_did.get("en", ""),
        "created": f"{pub.publish_on.isoformat()}T00:00:00Z" if pub.publish_on else None,
        "licenses": [LICENCE],
        "resources": [{"name": t.name, "title": t.title, "path": f"{t.name}.csv",
                       "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
                       "encoding": "utf-8", "schema": t.schema()} for t in tables],
    }


def document(c: Consultation, pub: ResultsPublication, tables: list[Resource]) -> dict:
    """Everything published as one JSON document: the texts in both languages and every table."""
    return {"consultation": c.slug, "title": c.title,
            "published": pub.publish_on.isoformat() if pub.publish_on else None,
            "we_asked": pub.we_asked, "you_said": pub.you_said, "we_did": pub.we_did,
            "tables": {t.name: t.records() for t in tables}}
