"""The question types that need no module of their own: single, multiple, scale, ranking, text.

Each is a QuestionType (kiosk.consultations.questions.base); the registry names them all. Answers
are plain JSON values keyed by question id; "Other, please say" text lives under ``"<id>.other"``.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from flask_babel import lazy_gettext as _l

from kiosk.consultations.questions.base import OTHER, QID, QuestionType, folded
from kiosk.consultations.types import Question
from kiosk.core.problems import AnswerError, Problem
from kiosk.core.rounding import divide
from kiosk.core.text import text

# --- option-based types -------------------------------------------------------------------------


def _define_options(raw: dict, out: Question, path: str, problems: list[Problem], minimum: int = 2) -> None:
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


def _values(q: Question) -> list[str]:
    return [o["value"] for o in q["options"]] + ([OTHER] if q.get("other") else [])


def _define_single(raw: dict, out: Question, path: str, problems: list[Problem]) -> None:
    _define_options(raw, out, path, problems)


def _single_from_form(q: Question, form: Any) -> Any:
    return form.get(q["id"]) or None


def _single_check(q: Question, value: Any) -> None:
    if value not in _values(q):
        raise AnswerError(_l("Please choose one of the options shown."))


def _count_atoms(q: Question, value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _count_summary(q: Question, counts: Counter) -> dict:
    return {"counts": {v: counts.get(v, 0) for v in _values(q)}}


def _single_sample(q: Question, rng: random.Random) -> Any:
    return rng.choice(_values(q))


def _define_multiple(raw: dict, out: Question, path: str, problems: list[Problem]) -> None:
    _define_options(raw, out, path, problems)
    limit = raw.get("max_selections")
    if limit is not None:
        if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= len(_values(out)):
            problems.append(Problem(f"{path}.max_selections", "must be a whole number from 1 to the number of options"))
        else:
            out["max_selections"] = limit


def _multiple_from_form(q: Question, form: Any) -> Any:
    return list(form.getlist(q["id"])) if hasattr(form, "getlist") else form.get(q["id"])


def _multiple_check(q: Question, value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AnswerError(_l("Please choose from the options shown."))
    if any(v not in _values(q) for v in value) or len(set(value)) != len(value):
        raise AnswerError(_l("Please choose from the options shown."))
    limit = q.get("max_selections")
    if limit and len(value) > limit:
        raise AnswerError(_l("Please choose no more than %(n)s.", n=limit))


def _multiple_sample(q: Question, rng: random.Random) -> Any:
    values = _values(q)
    k = rng.randint(1, q.get("max_selections") or len(values))
    return rng.sample(values, k)


# --- scale ---------------------------------------------------------------------------------------


def _define_scale(raw: dict, out: Question, path: str, problems: list[Problem]) -> None:
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
    out["labels"] = {k: text(v, f"{path}.labels.{k}", problems) or {} for k, v in labels.items()}


def _scale_from_form(q: Question, form: Any) -> Any:
    raw = (form.get(q["id"]) or "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise AnswerError(_l("Please choose a number from %(min)s to %(max)s.", min=q["min"], max=q["max"])) from None


def _scale_check(q: Question, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not q["min"] <= value <= q["max"]:
        raise AnswerError(_l("Please choose a number from %(min)s to %(max)s.", min=q["min"], max=q["max"]))


def _scale_atoms(q: Question, value: Any) -> list[int]:
    return [value]


def _scale_summary(q: Question, counts: Counter) -> dict:
    n = sum(counts.values())
    return {
        "counts": {str(v): counts.get(v, 0) for v in range(q["min"], q["max"] + 1)},
        "mean": float(divide(sum(v * k for v, k in counts.items()), n, 2)) if n else None,
    }


def _scale_sample(q: Question, rng: random.Random) -> Any:
    return rng.randint(q["min"], q["max"])


# --- ranking -------------------------------------------------------------------------------------


def _define_ranking(raw: dict, out: Question, path: str, problems: list[Problem]) -> None:
    if raw.get("other"):
        problems.append(Problem(f"{path}.other", "a ranking question cannot have Other"))
    _define_options({**raw, "other": False}, out, path, problems)


def _ranking_from_form(q: Question, form: Any) -> Any:
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


def _ranking_check(q: Question, value: Any) -> None:
    if not isinstance(value, list) or sorted(map(str, value)) != sorted(o["value"] for o in q["options"]):
        raise AnswerError(_l("Please put all %(n)s items in order.", n=len(q["options"])))


def _ranking_atoms(q: Question, value: Any) -> list[tuple[str, int]]:
    return [(v, pos) for pos, v in enumerate(value, start=1)]


def _ranking_summary(q: Question, counts: Counter) -> dict:
    total: Counter = Counter()
    seen: Counter = Counter()
    for (v, pos), n in counts.items():
        total[v] += pos * n
        seen[v] += n
    return {"mean_rank": {o["value"]: (float(divide(total[o["value"]], seen[o["value"]], 2))
                                       if seen[o["value"]] else None) for o in q["options"]}}


def _ranking_sample(q: Question, rng: random.Random) -> Any:
    order = [o["value"] for o in q["options"]]
    rng.shuffle(order)
    return order


# --- free text -----------------------------------------------------------------------------------


def _define_text(raw: dict, out: Question, path: str, problems: list[Problem]) -> None:
    limit = raw.get("max_length", 1000)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 10000:
        problems.append(Problem(f"{path}.max_length", "must be a whole number from 1 to 10000"))
        limit = 1000
    out["max_length"] = limit
    out["multiline"] = bool(raw.get("multiline", True))


def _text_from_form(q: Question, form: Any) -> Any:
    return (form.get(q["id"]) or "").replace("\r\n", "\n").strip() or None


def _text_check(q: Question, value: Any) -> None:
    if not isinstance(value, str):
        raise AnswerError(_l("Please type your answer."))
    if len(value) > q["max_length"]:
        raise AnswerError(_l("Please keep your answer to %(n)s characters (%(now)s now).",
                             n=q["max_length"], now=len(value)))


def _text_tally(q: Question, given: list[Any]) -> dict:
    return {"latest": given[-5:]}


def _text_sample(q: Question, rng: random.Random) -> Any:
    words = ["more", "patrols", "in", "the", "town", "centre", "speeding", "on", "our", "road", "please"]
    return " ".join(rng.choice(words) for _ in range(rng.randint(3, 12)))[: q["max_length"]]


SINGLE = QuestionType(
    name="single", keys=frozenset({"options", "other"}), define=_define_single, from_form=_single_from_form,
    check=_single_check, tally=folded(_count_atoms, _count_summary), sample=_single_sample,
    atoms=_count_atoms, summarise=_count_summary)
MULTIPLE = QuestionType(
    name="multiple", keys=frozenset({"options", "other", "max_selections"}), define=_define_multiple, from_form=_multiple_from_form,
    check=_multiple_check, tally=folded(_count_atoms, _count_summary), sample=_multiple_sample,
    atoms=_count_atoms, summarise=_count_summary)
SCALE = QuestionType(
    name="scale", keys=frozenset({"min", "max", "labels"}), define=_define_scale, from_form=_scale_from_form,
    check=_scale_check, tally=folded(_scale_atoms, _scale_summary), sample=_scale_sample,
    atoms=_scale_atoms, summarise=_scale_summary)
RANKING = QuestionType(
    name="ranking", keys=frozenset({"options", "other"}), define=_define_ranking, from_form=_ranking_from_form,
    check=_ranking_check, tally=folded(_ranking_atoms, _ranking_summary), sample=_ranking_sample,
    atoms=_ranking_atoms, summarise=_ranking_summary)
TEXT = QuestionType(
    name="text", keys=frozenset({"max_length", "multiline"}), define=_define_text, from_form=_text_from_form,
    check=_text_check, tally=_text_tally, sample=_text_sample)
