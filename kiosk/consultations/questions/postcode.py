"""The ``postcode`` question type: a resident types a postcode, the answer keeps only its area.

Registered with ``questions`` when this module is imported. The stored answer is
``{"area": "<code>"}`` (``"outside"`` for a postcode the lookup table does not know), plus
``"district": "CF10"`` when the definition says ``keep_district: true`` or the area is outside.
The postcode itself is read from the form, looked up and dropped: answers, drafts, the kiosk's
queue and the hub never see it. A form re-shown after an error shows what was typed (from the
posted form only); a form re-shown after a found area carries the area in a hidden field.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from flask_babel import lazy_gettext as _l

from kiosk.areas import postcodes
from kiosk.areas import store as areas
from kiosk.consultations.questions.base import QuestionType, folded
from kiosk.consultations.types import Question
from kiosk.core.problems import AnswerError, Problem

KEYS = {"keep_district"}
#: The hidden form field that carries an area already found (never a postcode).
KEPT = "{}.area"


def define(raw: dict, out: Question, path: str, problems: list[Problem]) -> None:
    """Check the postcode question's own fields."""
    keep = raw.get("keep_district", False)
    if not isinstance(keep, bool):
        problems.append(Problem(f"{path}.keep_district", "must be true or false"))
    out["keep_district"] = bool(keep)


def from_form(q: Question, form: Any) -> dict | None:
    """Look a typed postcode up and return its area; else the area carried from before."""
    typed = (form.get(q["id"]) or "").strip()
    if typed:
        return areas.answer_for(postcodes.parse(typed), q.get("keep_district", False))
    return parse_kept(form.get(KEPT.format(q["id"])))


def kept_field(value: Any) -> str:
    """An answer in the hidden field's form, ``code`` or ``code|district``."""
    if not isinstance(value, dict) or "area" not in value:
        return ""
    return "|".join([value["area"], *([value["district"]] if value.get("district") else [])])


def parse_kept(raw: str | None) -> dict | None:
    """The hidden field back into an answer (check() then refuses anything malformed)."""
    if not raw:
        return None
    area, _sep, district = raw.partition("|")
    return {"area": area, **({"district": district} if district else {})}


def check(q: Question, value: Any) -> None:
    """An area code (or outside) and a district only where allowed; nothing else, ever."""
    bad = AnswerError(_l("Enter a real postcode, like CF10 1AA."))
    if not isinstance(value, dict) or set(value) - {"area", "district"}:
        raise bad
    area, district = value.get("area"), value.get("district")
    if not isinstance(area, str) or not (area == areas.OUTSIDE or areas.CODE.match(area)):
        raise bad
    if district is not None and (not isinstance(district, str) or not postcodes.is_district(district)):
        raise bad
    if area == areas.OUTSIDE and district is None:
        raise bad
    if district is not None and area != areas.OUTSIDE and not q.get("keep_district"):
        raise bad  # data minimisation: a district only when the definition asks for it


def atoms(q: Question, value: Any) -> list[str]:
    """An answer's area (nothing for an answer without one)."""
    return [value["area"]] if isinstance(value, dict) and isinstance(value.get("area"), str) else []


def summarise(q: Question, counts: Counter) -> dict:
    """Answers counted by area (most first, outside last), with the areas' names."""
    names = areas.names()
    counted = areas.sorted_counts(counts)
    return {"counts": dict(counted), "names": {code: names.get(code, {"en": code}) for code, _n in counted}}


def sample(q: Question, rng: random.Random) -> Any:
    """A random area (or outside, with a district), for synthetic data."""
    codes = areas.codes()
    if not codes or rng.random() < 0.1:
        return {"area": areas.OUTSIDE, "district": rng.choice(["NP10", "NP20", "CF10", "BS1"])}
    answer = {"area": rng.choice(codes)}
    if q.get("keep_district"):
        answer["district"] = rng.choice(["NP10", "NP11", "NP19", "NP20"])
    return answer


POSTCODE = QuestionType(name="postcode", keys=frozenset(KEYS), define=define, from_form=from_form, check=check,
                        tally=folded(atoms, summarise), sample=sample, atoms=atoms, summarise=summarise)


def init_app(app: Any) -> None:
    """Template helpers the postcode partial and its tally use."""
    app.jinja_env.globals.update(area_name=areas.name_of, postcode_kept=kept_field)
