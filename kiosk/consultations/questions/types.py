"""Question types: definition checks, answer parsing and checking, tallies, random answers.

Each type is a handler with the same five functions, so the kiosk, the phone page, sync ingest
and the synthetic-data generator all treat answers alike. Answers are plain JSON values keyed by
question id; the "other, please say" text lives under ``"<id>.other"``.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from kiosk.consultations import routing
from kiosk.core.problems import AnswerError, Problem
from kiosk.core.rounding import divide

QID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
OTHER = "other"
OTHER_MAX = 300
COMMON = {"id", "type", "prompt", "help", "required"}


@dataclass(frozen=True)
class Handler:
    keys: set[str]
    define: Callable[[dict, dict, str, list[Problem]], None]
    from_form: Callable[[dict, Any], Any]
    check: Callable[[dict, Any], None]
    tally: Callable[[dict, list[Any]], dict]
    sample: Callable[[dict, random.Random], Any]
    #: the stored question back in its YAML form, when storing changed it (e.g. pounds to pence)
    document: Callable[[dict], dict] | None = None


HANDLERS: dict[str, Handler] = {}


def register(name: str, handler: Handler) -> None:
    """Make a question type available to definitions."""
    HANDLERS[name] = handler


def validate_definition(raw: Any, path: str, problems: list[Problem]) -> dict | None:
    """Check one question definition and return its normalised form."""
    from kiosk.consultations.definitions import text

    if not isinstance(raw, dict):
        problems.append(Problem(path, "a question must be a mapping"))
        return None
    qid, qtype = raw.get("id"), raw.get("type")
    if not isinstance(qid, str) or not QID.match(qid):
        problems.append(Problem(f"{path}.id", "must start with a letter: a-z, 0-9, _ (≤ 40)"))
    handler = HANDLERS.get(qtype) if isinstance(qtype, str) else None
    if handler is None:
        problems.append(Problem(f"{path}.type", f"unknown type {qtype!r} (one of {', '.join(HANDLERS)})"))
        return None
    for key in sorted(set(raw) - COMMON - handler.keys):
        problems.append(Problem(f"{path}.{key}", f"unknown field for a {qtype} question"))
    required = raw.get("required", False)
    if not isinstance(required, bool):
        problems.append(Problem(f"{path}.required", "must be true or false"))
    out = {
        "id": qid,
        "type": qtype,
        "prompt": text(raw.get("prompt"), f"{path}.prompt", problems),
        "required": bool(required),
    }
    if raw.get("help"):
        out["help"] = text(raw.get("help"), f"{path}.help", problems)
    handler.define(raw, out, path, problems)
    return out


def answer_from_form(q: dict, form: Any) -> tuple[Any, str | None]:
    """Parse one question's form fields into (value, other text); raise AnswerError."""
    value = HANDLERS[q["type"]].from_form(q, form)
    other = None
    if q.get("other") and _chose_other(value):
        other = (form.get(f"{q['id']}.other") or "").strip()
    return value, other


def as_typed(q: dict, form: Any) -> Any:
    """What a resident chose on a form that could not be parsed, to show it again.

    Rankings come back as ``{option: "position"}``; other types as the raw field value.
    """
    if q["type"] == "ranking":
        return {o["value"]: (form.get(f"{q['id']}.{o['value']}") or "").strip() for o in q["options"]}
    return form.get(q["id"])


def check_answers(defn: dict, answers: Mapping[str, Any]) -> dict[str, str]:
    """Check a whole set of answers against a definition; returns {question id: message}."""
    errors: dict[str, str] = {}
    ids = {q["id"] for q in defn["questions"]}
    allowed = ids | {f"{q['id']}.other" for q in defn["questions"] if q.get("other")}
    for key in answers:
        if key not in allowed:
            errors[str(key)] = "not a question in this consultation"
    shown = {q["id"] for q in routing.shown(defn, answers)}
    for q in defn["questions"]:
        if q["id"] not in shown:  # routed past: it must have no answer, and is never required
            if answers.get(q["id"]) not in (None, "", []) or f"{q['id']}.other" in answers:
                errors[q["id"]] = "answers a question that was not shown"
            continue
        try:
            check_one(q, answers.get(q["id"]), answers.get(f"{q['id']}.other"))
        except AnswerError as exc:
            errors[q["id"]] = str(exc)
    return errors


def check_one(q: dict, value: Any, other: Any = None) -> None:
    """Check one answer (and its "other" text); raise AnswerError with a resident-facing message."""
    if value is None or value == [] or value == "":
        if q["required"]:
            raise AnswerError(_l("This question needs an answer."))
        if other is not None:
            raise AnswerError(_l("An 'other' answer was given without choosing Other."))
        return
    HANDLERS[q["type"]].check(q, value)
    if q.get("other") and _chose_other(value):
        if not isinstance(other, str) or not other.strip():
            raise AnswerError(_l("Please say what 'Other' means for you."))
        if len(other) > OTHER_MAX:
            raise AnswerError(_l("Please keep 'Other' to %(n)s characters.", n=OTHER_MAX))
    elif other is not None:
        raise AnswerError(_l("An 'other' answer was given without choosing Other."))


def tally(q: dict, values: list[Any]) -> dict:
    """Summarise the answers given to one question."""
    given = [v for v in values if v not in (None, "", [])]
    result = HANDLERS[q["type"]].tally(q, given)
    result["answered"] = len(given)
    return result


def sample(q: dict, rng: random.Random) -> tuple[Any, str | None]:
    """A random valid answer, for synthetic data."""
    if not q["required"] and rng.random() < 0.1:
        return None, None
    value = HANDLERS[q["type"]].sample(q, rng)
    other = "Something else" if q.get("other") and _chose_other(value) else None
    return value, other


def _chose_other(value: Any) -> bool:
    return value == OTHER or (isinstance(value, list) and OTHER in value)


# --- option-based types -------------------------------------------------------------------------


def _define_options(raw: dict, out: dict, path: str, problems: list[Problem], minimum: int = 2) -> None:
    from kiosk.consultations.definitions import text

    opts = raw.get("options")
    if not isinstance(opts, list) or len(opts) < minimum:
        problems.append(Problem(f"{path}.options", f"at least {minimum} options needed"))
        opts = []
    seen: set[object] = set()  # every value given, valid or not
    out["options"] = []
    for i, opt in enumerate(opts):
        opath = f"{path}.options[{i}]"
        if not isinstance(opt, dict):
            problems.append(Problem(opath, "must be a mapping with value and label"))
            continue
        value = opt.get("value")
        if not isinstance(value, str) or not QID.match(value):
            problems.append(Problem(f"{opath}.value", "must start with a letter: a-z, 0-9, _"))
        elif value in seen or (value == OTHER and raw.get("other")):
            problems.append(Problem(f"{opath}.value", f"duplicate option {value!r}"))
        seen.add(value)
        out["options"].append({"value": value, "label": text(opt.get("label"), f"{opath}.label", problems)})
    other = raw.get("other", False)
    if not isinstance(other, bool):
        problems.append(Problem(f"{path}.other", "must be true or false"))
    out["other"] = bool(other)


def _values(q: dict) -> list[str]:
    return [o["value"] for o in q["options"]] + ([OTHER] if q.get("other") else [])


def _define_single(raw: dict, out: dict, path: str, problems: list[Problem]) -> None:
    _define_options(raw, out, path, problems)


def _single_from_form(q: dict, form: Any) -> Any:
    return form.get(q["id"]) or None


def _single_check(q: dict, value: Any) -> None:
    if value not in _values(q):
        raise AnswerError(_l("Please choose one of the options shown."))


def _count_tally(q: dict, given: list[Any]) -> dict:
    counts: Counter[str] = Counter()
    for v in given:
        counts.update(v if isinstance(v, list) else [v])
    return {"counts": {v: counts.get(v, 0) for v in _values(q)}}


def _single_sample(q: dict, rng: random.Random) -> Any:
    return rng.choice(_values(q))


def _define_multiple(raw: dict, out: dict, path: str, problems: list[Problem]) -> None:
    _define_options(raw, out, path, problems)
    limit = raw.get("max_selections")
    if limit is not None:
        if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= len(_values(out)):
            problems.append(Problem(f"{path}.max_selections", "must be a whole number from 1 to the number of options"))
        else:
            out["max_selections"] = limit


def _multiple_from_form(q: dict, form: Any) -> Any:
    return list(form.getlist(q["id"])) if hasattr(form, "getlist") else form.get(q["id"])


def _multiple_check(q: dict, value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AnswerError(_l("Please choose from the options shown."))
    if any(v not in _values(q) for v in value) or len(set(value)) != len(value):
        raise AnswerError(_l("Please choose from the options shown."))
    limit = q.get("max_selections")
    if limit and len(value) > limit:
        raise AnswerError(_l("Please choose no more than %(n)s.", n=limit))


def _multiple_sample(q: dict, rng: random.Random) -> Any:
    values = _values(q)
    k = rng.randint(1, q.get("max_selections") or len(values))
    return rng.sample(values, k)


# --- scale ---------------------------------------------------------------------------------------


def _define_scale(raw: dict, out: dict, path: str, problems: list[Problem]) -> None:
    from kiosk.consultations.definitions import text

    lo, hi = raw.get("min", 1), raw.get("max", 5)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (lo, hi)) or not lo < hi:
        problems.append(Problem(f"{path}.max", "min and max must be whole numbers with min < max"))
    elif hi - lo > 10:
        problems.append(Problem(f"{path}.max", "a scale may have at most 11 points"))
    out["min"], out["max"] = lo, hi
    labels = raw.get("labels") or {}
    if not isinstance(labels, dict) or set(labels) - {"min", "max"}:
        problems.append(Problem(f"{path}.labels", "must be a mapping with min and max text"))
        labels = {}
    out["labels"] = {k: text(v, f"{path}.labels.{k}", problems) for k, v in labels.items()}


def _scale_from_form(q: dict, form: Any) -> Any:
    raw = (form.get(q["id"]) or "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise AnswerError(_l("Please choose a number from %(min)s to %(max)s.", min=q["min"], max=q["max"])) from None


def _scale_check(q: dict, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not q["min"] <= value <= q["max"]:
        raise AnswerError(_l("Please choose a number from %(min)s to %(max)s.", min=q["min"], max=q["max"]))


def _scale_tally(q: dict, given: list[Any]) -> dict:
    counts = Counter(given)
    return {
        "counts": {str(v): counts.get(v, 0) for v in range(q["min"], q["max"] + 1)},
        "mean": float(divide(sum(given), len(given), 2)) if given else None,
    }


def _scale_sample(q: dict, rng: random.Random) -> Any:
    return rng.randint(q["min"], q["max"])


# --- ranking -------------------------------------------------------------------------------------


def _define_ranking(raw: dict, out: dict, path: str, problems: list[Problem]) -> None:
    if raw.get("other"):
        problems.append(Problem(f"{path}.other", "a ranking question cannot have Other"))
    _define_options({**raw, "other": False}, out, path, problems)


def _ranking_from_form(q: dict, form: Any) -> Any:
    ranks: dict[str, int] = {}
    for opt in q["options"]:
        raw = (form.get(f"{q['id']}.{opt['value']}") or "").strip()
        if not raw:
            continue
        try:
            ranks[opt["value"]] = int(raw)
        except ValueError:
            raise AnswerError(_l("Please give each item a position number.")) from None
    if not ranks:
        return None
    if sorted(ranks.values()) != list(range(1, len(q["options"]) + 1)):
        raise AnswerError(_l("Please give each item a different position from 1 to %(n)s.",
                             n=len(q["options"])))
    return sorted(ranks, key=ranks.__getitem__)


def _ranking_check(q: dict, value: Any) -> None:
    if not isinstance(value, list) or sorted(map(str, value)) != sorted(o["value"] for o in q["options"]):
        raise AnswerError(_l("Please put all %(n)s items in order.", n=len(q["options"])))


def _ranking_tally(q: dict, given: list[Any]) -> dict:
    positions: dict[str, list[int]] = {o["value"]: [] for o in q["options"]}
    for order in given:
        for pos, v in enumerate(order, start=1):
            positions[v].append(pos)
    return {"mean_rank": {v: (float(divide(sum(p), len(p), 2)) if p else None)
                          for v, p in positions.items()}}


def _ranking_sample(q: dict, rng: random.Random) -> Any:
    order = [o["value"] for o in q["options"]]
    rng.shuffle(order)
    return order


# --- free text -----------------------------------------------------------------------------------


def _define_text(raw: dict, out: dict, path: str, problems: list[Problem]) -> None:
    limit = raw.get("max_length", 1000)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 10000:
        problems.append(Problem(f"{path}.max_length", "must be a whole number from 1 to 10000"))
        limit = 1000
    out["max_length"] = limit
    out["multiline"] = bool(raw.get("multiline", True))


def _text_from_form(q: dict, form: Any) -> Any:
    return (form.get(q["id"]) or "").replace("\r\n", "\n").strip() or None


def _text_check(q: dict, value: Any) -> None:
    if not isinstance(value, str):
        raise AnswerError(_l("Please type your answer."))
    if len(value) > q["max_length"]:
        raise AnswerError(_l("Please keep your answer to %(n)s characters (%(now)s now).",
                             n=q["max_length"], now=len(value)))


def _text_tally(q: dict, given: list[Any]) -> dict:
    return {"latest": given[-5:]}


def _text_sample(q: dict, rng: random.Random) -> Any:
    words = ["more", "patrols", "in", "the", "town", "centre", "speeding", "on", "our", "road", "please"]
    return " ".join(rng.choice(words) for _ in range(rng.randint(3, 12)))[: q["max_length"]]


register("single", Handler({"options", "other"}, _define_single, _single_from_form, _single_check,
                           _count_tally, _single_sample))
register("multiple", Handler({"options", "other", "max_selections"}, _define_multiple,
                             _multiple_from_form, _multiple_check, _count_tally, _multiple_sample))
register("scale", Handler({"min", "max", "labels"}, _define_scale, _scale_from_form, _scale_check,
                          _scale_tally, _scale_sample))
register("ranking", Handler({"options", "other"}, _define_ranking, _ranking_from_form, _ranking_check,
                            _ranking_tally, _ranking_sample))
register("text", Handler({"max_length", "multiline"}, _define_text, _text_from_form, _text_check,
                         _text_tally, _text_sample))


def document(q: dict) -> dict:
    """A stored question in the form its definition file would give it."""
    handler = HANDLERS[q["type"]]
    return handler.document(q) if handler.document else q
