"""Budget simulator: definitions, parsing, and the server's exact accept/refuse decision."""

from __future__ import annotations

import copy
import html
import math
import random
from decimal import Decimal
from fractions import Fraction

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from kiosk.budget import question as budget
from kiosk.budget.rules import areas, money, parse_pounds
from kiosk.consultations import definitions
from kiosk.consultations.questions import registry as questions
from kiosk.core.problems import AnswerError, ProblemError
from tests.conftest import DEMO, csrf_token, rows

RAW = yaml.safe_load((DEMO / "police-budget-2027.yaml").read_text())
DEMO_Q = definitions.validate(RAW)["questions"][0]


def normalise(question: dict) -> dict:
    """Validate one raw budget question inside a minimal consultation."""
    return definitions.validate({"slug": "b-test", "title": "B", "questions": [question]})["questions"][0]


def problems_of(question: dict) -> list[str]:
    with pytest.raises(ProblemError) as info:
        normalise(question)
    return [str(p) for p in info.value.problems]


def demo_raw() -> dict:
    return copy.deepcopy(RAW["questions"][0])


def answer(q: dict, **changes: int) -> dict:
    """Today's budget as an answer, with some areas changed (pence)."""
    amounts = {a["id"]: a["current"] for a in areas(q)}
    amounts.update(changes)
    return {"areas": amounts, "levers": {lv["id"]: lv["current"] for lv in q["levers"]}}


# --- an independent oracle: Fractions and plain ints, not the module's Decimal code ---------------


def pence(pounds: int | str) -> int:
    return int(Fraction(str(pounds)) * 100)


def oracle_income(q: dict, levers: dict[str, str]) -> int:
    total = sum(f["amount"] for f in q["fixed_income"])
    for lv in q["levers"]:
        exact = Fraction(lv["base"]) * (100 + Fraction(levers[lv["id"]])) / 100
        total += math.floor(exact + Fraction(1, 2))
    return total


def oracle_accepts(q: dict, value: dict) -> bool:
    for a in areas(q):
        x = value["areas"][a["id"]]
        if not a["min"] <= x <= a["max"] or (x - a["min"]) % a["step"]:
            return False
    for lv in q["levers"]:
        x, lo = Fraction(value["levers"][lv["id"]]), Fraction(lv["min"])
        if not lo <= x <= Fraction(lv["max"]) or (x - lo) % Fraction(lv["step"]):
            return False
    diff = oracle_income(q, value["levers"]) - sum(value["areas"].values())
    rule_ok = {"balance": diff == 0, "tolerance": abs(diff) <= q["tolerance"],
               "no_overspend": diff >= 0}[q["rule"]]
    changed = any(value["areas"][a["id"]] != a["current"] for a in areas(q)) or any(
        Fraction(value["levers"][lv["id"]]) != Fraction(lv["current"]) for lv in q["levers"])
    return rule_ok and (changed or not q["require_change"])


def as_pounds(p: int) -> int | str:
    """Pence as YAML would hold pounds: a whole number, or a decimal string."""
    return p // 100 if p % 100 == 0 else f"{p // 100}.{p % 100:02d}"


# --- random definitions --------------------------------------------------------------------------

STEP_UNITS = (1, 100, 25_000, 50_000)


@st.composite
def raw_budgets(draw: st.DrawFn) -> dict:
    """A raw budget question whose today's amounts satisfy its rule (so it validates)."""
    raw_areas, spend = [], 0
    unit = draw(st.sampled_from(STEP_UNITS))
    for i in range(draw(st.integers(1, 5))):
        step = unit * draw(st.integers(1, 4))
        lo = draw(st.integers(10**7, 10**10))
        k = draw(st.integers(0, 20))
        j = draw(st.integers(0, k))
        spend += lo + j * step
        raw_areas.append({"id": f"a{i}", "name": {"en": f"Area {i}", "cy": f"Maes {i}"},
                          "min": as_pounds(lo), "max": as_pounds(lo + k * step),
                          "current": as_pounds(lo + j * step), "step": as_pounds(step)})
    levers, lever_income = [], 0
    for i in range(draw(st.integers(0, 2))):
        step = draw(st.integers(1, 200))  # hundredths of a percent
        lo = draw(st.integers(-500, 200))
        k = draw(st.integers(0, 12))
        j = draw(st.integers(0, k))
        base = draw(st.integers(0, 10**6))
        now = Fraction(lo + j * step, 100)
        lever_income += math.floor(Fraction(base) * (100 + now) / 100 + Fraction(1, 2))
        levers.append({"id": f"l{i}", "name": f"Lever {i}", "base": as_pounds(base),
                       "min": str(Decimal(lo) / 100), "max": str(Decimal(lo + k * step) / 100),
                       "step": str(Decimal(step) / 100), "current": str(Decimal(lo + j * step) / 100)})
    rule = draw(st.sampled_from(["balance", "tolerance", "no_overspend"]))
    raw: dict = {"id": "spend", "type": "budget", "prompt": "Balance it", "rule": rule,
                 "groups": [{"name": "All", "areas": raw_areas}], "levers": levers,
                 "require_change": draw(st.booleans())}
    fixed = spend - lever_income
    if rule == "tolerance":
        tolerance = draw(st.integers(0, 10**6))
        raw["tolerance"] = as_pounds(tolerance)
        fixed += draw(st.integers(-tolerance, tolerance))
    elif rule == "no_overspend":
        fixed += draw(st.integers(0, 10**6))
    if not levers and draw(st.booleans()):
        raw["total"] = as_pounds(fixed)
    else:
        raw["fixed_income"] = [{"id": "grant", "name": "Grant", "amount": as_pounds(fixed)}]
    return raw


def valid_question(raw: dict) -> dict:
    """The normalised question; a require_change budget with no possible change is skipped."""
    try:
        return normalise(raw)
    except ProblemError as exc:
        assert raw["require_change"], exc
        assert [p.path for p in exc.problems] == ["questions[0].require_change"]
        assume(False)
        raise


def draw_allocation(data: st.DataObject, q: dict) -> dict:
    """Random choices (mostly on step, often balancing exactly), or a valid random answer from
    sample() left alone or nudged by a step or a penny; the oracle alone decides validity."""
    mode = data.draw(st.sampled_from(["random", "sample", "nudged"]))
    if mode != "random":
        value = budget.sample(q, random.Random(data.draw(st.integers(0, 2**32))))
        if mode == "nudged":
            a = data.draw(st.sampled_from(areas(q)))
            value["areas"][a["id"]] += data.draw(st.sampled_from([1, -1, a["step"], -a["step"]]))
        return value
    levers = {}
    for lv in q["levers"]:
        lo, step = Decimal(lv["min"]), Decimal(lv["step"])
        count = int((Decimal(lv["max"]) - lo) / step)
        if data.draw(st.integers(0, 7)):
            value = lo + step * data.draw(st.integers(0, count))
        else:
            value = lo + Decimal(data.draw(st.integers(-300, 300 + count * 200))) / 100
        levers[lv["id"]] = format(value.normalize(), "f")
    amounts = {}
    for a in areas(q):
        positions = (a["max"] - a["min"]) // a["step"]
        if data.draw(st.integers(0, 7)):
            amounts[a["id"]] = a["min"] + a["step"] * data.draw(st.integers(0, positions))
        else:
            amounts[a["id"]] = data.draw(st.integers(a["min"] - 2 * a["step"], a["max"] + 2 * a["step"]))
    if data.draw(st.booleans()):
        last = areas(q)[-1]["id"]
        others = sum(v for k, v in amounts.items() if k != last)
        amounts[last] = oracle_income(q, levers) - others
    return {"areas": amounts, "levers": levers}


# --- acceptance 2: the server accepts exactly what the oracle accepts ---------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(raw=raw_budgets(), data=st.data())
def test_check_accepts_iff_in_bounds_on_step_and_the_rule_holds(raw: dict, data: st.DataObject) -> None:
    q = valid_question(raw)
    value = draw_allocation(data, q)
    expected = oracle_accepts(q, value)
    try:
        budget.check(q, value)
    except AnswerError as exc:
        assert not expected, f"refused a valid budget: {exc}"
        assert str(exc)
    else:
        assert expected, "accepted an invalid budget"
    status = budget.status(q, value)
    assert status["spend"] == sum(value["areas"].values())
    assert status["income"] == oracle_income(q, value["levers"])
    assert status["ok"] == expected


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(raw=raw_budgets(), seed=st.integers(0, 2**32))
def test_random_answers_are_always_valid(raw: dict, seed: int) -> None:
    q = valid_question(raw)
    value = budget.sample(q, random.Random(seed))
    assert oracle_accepts(q, value)
    budget.check(q, value)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(raw=raw_budgets())
def test_an_exported_definition_imports_back_to_the_same_amounts(raw: dict) -> None:
    q = valid_question(raw)
    text = yaml.safe_dump(questions.document(q), allow_unicode=True)
    assert normalise(yaml.safe_load(text)) == q


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(raw=raw_budgets(), seed=st.integers(0, 2**32), style=st.sampled_from(["plain", "commas", "pound"]))
def test_typed_pounds_round_trip_to_the_exact_answer(raw: dict, seed: int, style: str) -> None:
    q = valid_question(raw)
    value = budget.sample(q, random.Random(seed))
    form = MultiDict()
    for a in areas(q):
        pounds, rem = divmod(value["areas"][a["id"]], 100)
        text = f"{pounds:,}" if style != "plain" else str(pounds)
        text = ("£" if style == "pound" else "") + text + (f".{rem:02d}" if rem else "")
        form.add(f"spend.{a['id']}", text)
    for lv in q["levers"]:
        form.add(f"spend.{lv['id']}", value["levers"][lv["id"]])
    assert budget.from_form(q, form) == value


# --- parsing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "expected"), [
    ("1234", 123400), ("1,234", 123400), ("£1,234.50", 123450), (" £ 1,234 ", 123400),
    ("1234.5", 123450), ("0", 0), ("-£5", -500), (1234, 123400), ("58000000", 5_800_000_000),
])
def test_pounds_are_parsed_exactly(typed: object, expected: int) -> None:
    assert parse_pounds(typed) == expected


@pytest.mark.parametrize("typed", ["12.345", "abc", "1e5", "", "£", "1.2.3", 12.5, True, "9" * 40,
                                   "NaN", "Infinity"])
def test_non_amounts_are_refused(typed: object) -> None:
    with pytest.raises(ValueError):
        parse_pounds(typed)


def test_money_is_shown_in_pounds_with_pence_only_when_present() -> None:
    assert money(5_800_000_000) == "£58,000,000"
    assert money(123450) == "£1,234.50"
    assert money(-120_000_000) == "−£1,200,000"
    assert money(50_000_000, sign=True) == "+£500,000"


def test_from_form_returns_none_when_nothing_was_sent() -> None:
    assert budget.from_form(DEMO_Q, MultiDict()) is None


@pytest.mark.parametrize(("field", "typed", "message"), [
    ("budget.roads", "lots", "Roads policing: please type an amount in pounds"),
    ("budget.roads", "", "Roads policing: please type an amount in pounds"),
    ("budget.precept", "a bit", "Police precept on council tax: please type a percentage"),
    ("budget.precept", "1e2", "please type a percentage"),
])
def test_from_form_refuses_non_numeric_input(field: str, typed: str, message: str) -> None:
    form = MultiDict({f"budget.{a['id']}": str(a["current"] // 100) for a in areas(DEMO_Q)})
    form["budget.precept"] = "0"
    form[field] = typed
    with pytest.raises(AnswerError, match=message):
        budget.from_form(DEMO_Q, form)


# --- acceptance 3: tampered answers are refused with a message ----------------------------------

TAMPERED = [
    (answer(DEMO_Q, local_policing=1_234_500), "Neighbourhood policing: £12,345 is below the minimum of £46,000,000."),
    (answer(DEMO_Q, roads=9_999_999_999), "Roads policing: £99,999,999.99 is above the maximum of £17,500,000."),
    (answer(DEMO_Q, roads=1_450_000_001), "Roads policing: amounts go up and down in steps of £500,000."),
    (answer(DEMO_Q, local_policing=5_950_000_000), "Your budget is £1,500,000 overspent. Cut spending or raise income to balance it."),
    (answer(DEMO_Q, local_policing=5_750_000_000), "Your budget has £500,000 left unspent."),
    ({**answer(DEMO_Q), "levers": {"precept": "6"}}, "a rise above 5% would need a local referendum"),
    ({**answer(DEMO_Q), "comments": {"roads": "why"}}, "'roads' does not take a comment."),
    ({**answer(DEMO_Q), "comments": {"local_policing": 5}}, "Neighbourhood policing: a comment must be text."),
    ({**answer(DEMO_Q), "comments": {"local_policing": "x" * 501}}, "to 500 characters or fewer"),
    ({**answer(DEMO_Q), "comments": ["local_policing"]}, "not in the expected form"),
    ({**answer(DEMO_Q), "extra": {}}, "not in the expected form"),
    ({**answer(DEMO_Q), "levers": {"precept": "12"}}, "Police precept on council tax: 12% is above the maximum of 10%."),
    ({**answer(DEMO_Q), "levers": {"precept": "0.25"}}, "steps of 0.5%"),
    ({**answer(DEMO_Q), "levers": {"precept": 0.5}}, "Please choose a setting for Police precept"),
    ({**answer(DEMO_Q), "levers": {"precept": "0.5; DROP"}}, "Please choose a setting"),
    ({**answer(DEMO_Q), "levers": {}}, "Please choose a setting"),
    ({**answer(DEMO_Q), "levers": {"precept": "0", "vat": "1"}}, "'vat' is not part of this budget."),
    ({"areas": {**answer(DEMO_Q)["areas"], "helicopter": 100}, "levers": {"precept": "0"}}, "'helicopter' is not part of this budget."),
    ({"areas": {k: v for k, v in answer(DEMO_Q)["areas"].items() if k != "cyber"}, "levers": {"precept": "0"}}, "Please set an amount for Cybercrime and fraud."),
    (answer(DEMO_Q, roads=14_500_000.0), "Roads policing: the amount must be a whole number of pence."),  # type: ignore[arg-type]
    (answer(DEMO_Q, roads="1450000000"), "Roads policing: the amount must be a whole number"),  # type: ignore[arg-type]
    (answer(DEMO_Q, roads=True), "Roads policing: the amount must be a whole number"),
    ({"areas": answer(DEMO_Q)["areas"]}, "not in the expected form"),
    (["local_policing"], "not in the expected form"),
    ({"areas": [], "levers": {}}, "not in the expected form"),
]


@pytest.mark.parametrize(("value", "message"), TAMPERED)
def test_tampered_answers_are_refused_with_a_message(value: object, message: str) -> None:
    with pytest.raises(AnswerError) as info:
        budget.check(DEMO_Q, value)
    assert message in str(info.value)


def test_todays_budget_is_refused_only_when_the_definition_requires_a_change() -> None:
    budget.check(DEMO_Q, answer(DEMO_Q))  # the demo: "keep today's budget" is an answer
    with pytest.raises(AnswerError) as info:
        budget.check({**DEMO_Q, "require_change": True}, answer(DEMO_Q))
    assert "Please change at least one amount" in str(info.value)


def test_a_balanced_change_is_accepted() -> None:
    budget.check(DEMO_Q, answer(DEMO_Q, local_policing=5_850_000_000, support=3_650_000_000))
    budget.check(DEMO_Q, {**answer(DEMO_Q, roads=1_500_000_000), "levers": {"precept": "0.5"}})


def test_status_reports_the_band_d_bill_and_the_gap() -> None:
    s = budget.status(DEMO_Q, {**answer(DEMO_Q, victims=600_000_000), "levers": {"precept": "2.5"}})
    assert (s["spend"], s["income"], s["difference"]) == (30_100_000_000, 30_250_000_000, 150_000_000)
    assert s["band_d"] == 32_669  # £318.72 × 1.025 = £326.688 → £326.69
    assert s["band_d_change"] == 797
    assert (s["balanced"], s["ok"], s["problem"]) == (False, False, "under")


@pytest.mark.parametrize(("amount", "expected"), [
    (5_800_000_000, "Today: 640 officers"), (5_750_000_000, "Today: 640 officers"),
    (5_500_000_000, "About 60 fewer PCSOs"), (5_250_000_000, "About 60 fewer PCSOs"), (5_220_000_000, "About 120 fewer PCSOs"),
    (5_000_000_000, "About 120 fewer PCSOs"), (6_100_000_000, "About 45 more officers"),
    (7_000_000_000, "A named officer for every ward"),
])
def test_the_explanation_is_the_furthest_level_passed(amount: int, expected: str) -> None:
    area = areas(DEMO_Q)[0]
    assert budget.effect_for(area, amount)["en"].startswith(expected)


# --- definitions ---------------------------------------------------------------------------------


def test_demo_budget_is_valid_bilingual_and_balanced_today() -> None:
    defn = definitions.load_file(DEMO / "police-budget-2027.yaml")
    assert definitions.missing_welsh(defn) == []
    q = defn["questions"][0]
    assert 6 <= len(areas(q)) <= 8
    s = budget.status(q, None)
    assert s["spend"] == s["income"] == 30_000_000_000
    assert (s["problem"], s["ok"]) == (None, True)  # require_change is off: today's is an answer


def mutate(path: list, value: object) -> dict:
    raw = demo_raw()
    node = raw
    for key in path[:-1]:
        node = node[key]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return raw


AREA = ["groups", 0, "areas", 1]
PREFIX = "questions[0]."


@pytest.mark.parametrize(("path", "value", "expected"), [
    (AREA + ["min"], 70_000_000, "groups[0].areas[1].current: must be between min and max"),
    (AREA + ["max"], 77_100_000, "groups[0].areas[1].max: max − min (£25,100,000) is not a whole number of steps of £500,000"),
    (AREA + ["current"], 64_600_000, "groups[0].areas[1].current: must be min plus a whole number of steps"),
    (AREA + ["step"], 0, "groups[0].areas[1].step: must be at least £0.01"),
    (AREA + ["step"], 2.5, "groups[0].areas[1].step: write money as whole pounds"),
    (AREA + ["current"], "lots", "groups[0].areas[1].current: 'lots' is not an amount in pounds"),
    (AREA + ["id"], "local_policing", "groups[0].areas[1].id: duplicate id 'local_policing'"),
    (AREA + ["id"], "precept", "levers[0].id: duplicate id 'precept'"),
    (AREA + ["colour"], "red", "groups[0].areas[1].colour: unknown field"),
    (AREA + ["effects", 0, "at"], "-5 percent", "groups[0].areas[1].effects[0].at: '-5 percent' is not an amount in pounds"),
    (AREA + ["effects", 0, "at"], "-5%", "groups[0].areas[1].effects[1].at: two effects at the same level"),
    (AREA + ["name"], {"cy": "Ymateb"}, "groups[0].areas[1].name.en: English text is required"),
    (["groups", 0, "areas"], [], "groups[0].areas: at least one area needed"),
    (["groups"], [], "groups: at least one group of areas needed"),
    (["levers", 0, "step"], "0", "levers[0].step: must be more than 0"),
    (["levers", 0, "max"], "10.25", "levers[0].max: max − min is not a whole number of steps"),
    (["levers", 0, "current"], "11", "levers[0].current: must be between min and max"),
    (["levers", 0, "unit"], "pounds", "levers[0].unit: only percent levers are supported"),
    (["levers", 0, "min"], "-100", "levers[0].min: must be more than -100"),
    (["currency"], "EUR", "currency: only GBP is supported"),
    (["rule"], "roughly", "rule: must be one of balance, tolerance, no_overspend"),
    (["rule"], "tolerance", "tolerance: an amount in pounds is required"),
    (["tolerance"], 100, "tolerance: only used with rule: tolerance"),
    (["require_change"], "yes", "require_change: must be true or false"),
    (["fixed_income", 0, "amount"], 118_000_000, "rule: today's spending (£300,000,000) and income (£299,600,000) do not satisfy rule 'balance'"),
    (["total"], 300_000_000, "total: give either total or fixed_income, not both"),
])
def test_definition_problems_name_their_path(path: list, value: object, expected: str) -> None:
    found = problems_of(mutate(path, value))
    assert any(p.startswith(PREFIX + expected) for p in found), found


def test_tolerance_and_no_overspend_rules_accept_today_within_their_limits() -> None:
    raw = mutate(["fixed_income", 0, "amount"], 118_300_000)  # £100,000 short today
    assert problems_of(raw)
    q = normalise({**raw, "rule": "tolerance", "tolerance": 100_000})
    assert q["tolerance"] == 10_000_000
    raw = mutate(["fixed_income", 0, "amount"], 118_500_000)  # £100,000 spare today
    q = normalise({**raw, "rule": "no_overspend", "require_change": False})
    budget.check(q, answer(q))


def test_require_change_needs_a_possible_change() -> None:
    raw = {"id": "b", "type": "budget", "prompt": "p", "total": 100, "require_change": True,
           "groups": [{"name": "G", "areas": [{"id": "only", "name": "Only", "current": 100,
                                                "min": 50, "max": 150, "step": 10}]}]}
    assert problems_of(raw) == [
        "questions[0].require_change: no change from today's amounts can satisfy the rule"]
    normalise({**raw, "require_change": False})


def test_amounts_are_stored_in_pence_and_levers_as_decimal_strings() -> None:
    area = areas(DEMO_Q)[0]
    assert (area["current"], area["min"], area["step"]) == (5_800_000_000, 4_600_000_000, 50_000_000)
    lever = DEMO_Q["levers"][0]
    assert (lever["current"], lever["min"], lever["step"], lever["band_d"]) == ("0", "-5", "0.5", "318.72")
    assert pence("318.72") == 31872


# --- through the app: the phone page and the kiosk refuse bad budgets and store nothing ----------

SLUG = "police-budget-2027"


def demo_form(**changes: str) -> dict:
    """Today's demo budget as typed into the number inputs, with some fields changed."""
    form = {f"budget.{a['id']}": str(a["current"] // 100) for a in areas(DEMO_Q)}
    form["budget.precept"] = "0"
    form.update({f"budget.{k}": v for k, v in changes.items()})
    return form


def post_phone(client, data: dict):  # type: ignore[no-untyped-def]
    token = csrf_token(client, f"/c/{SLUG}")
    return client.post(f"/c/{SLUG}", data={"csrf_token": token, **data})


BALANCED = {"local_policing": "58,500,000", "roads": "£14,000,000"}


def test_phone_stores_a_balanced_budget_with_exact_pence(app, client) -> None:
    r = post_phone(client, {**demo_form(**BALANCED), "action": "submit"})
    assert r.status_code == 303
    [row] = rows(app, consultation_slug=SLUG)
    expected = answer(DEMO_Q, local_policing=5_850_000_000, roads=1_400_000_000)
    assert row.answers == {"budget": expected}


@pytest.mark.parametrize(("changes", "message"), [
    ({"roads": "lots"}, "Roads policing: please type an amount in pounds"),
    ({"roads": "1"}, "Roads policing: £1 is below the minimum of £11,500,000."),
    ({"roads": "99000000", "local_policing": "0"}, "Neighbourhood policing: £0 is below the minimum"),
    ({"roads": "14500001"}, "Roads policing: amounts go up and down in steps of £500,000."),
    ({"local_policing": "58500000"}, "Your budget is £500,000 overspent."),
    ({"precept": "12"}, "Police precept on council tax: 12% is above the maximum of 10%."),
    ({"precept": "0.5; DROP TABLE"}, "please type a percentage"),
    ({"precept": "5.5", "local_policing": "63,500,000"},  # balanced, but over the referendum cap
     "Police precept on council tax: a rise above 5% would need a local referendum."),
    ({"local_policing.comment": "x" * 501}, "to 500 characters or fewer"),
])
def test_phone_refuses_a_bad_budget_with_a_message_and_stores_nothing(
    app, client, changes: dict, message: str
) -> None:
    r = post_phone(client, {**demo_form(**changes), "action": "submit"})
    body = r.get_data(as_text=True)
    assert r.status_code == 422
    assert 'id="err-budget"' in body and html.escape(message, quote=True) in body
    assert rows(app, consultation_slug=SLUG) == []


def test_phone_ignores_fields_for_areas_that_do_not_exist(app, client) -> None:
    r = post_phone(client, {**demo_form(**BALANCED), "budget.helicopter": "1000000", "action": "submit"})
    assert r.status_code == 303
    [row] = rows(app, consultation_slug=SLUG)
    assert set(row.answers["budget"]["areas"]) == {a["id"] for a in areas(DEMO_Q)}


def test_tampered_answers_sent_straight_to_storage_are_refused(app) -> None:
    from kiosk.consultations import store as consultations
    from kiosk.responses import store as responses

    with app.app_context():
        defn = consultations.definition(SLUG)
        for value, _message in TAMPERED:
            with pytest.raises(ProblemError) as info:
                responses.submit(defn, 1, {"budget": value}, language="en", channel="web")
            assert info.value.problems[0].path == "budget"
    assert rows(app, consultation_slug=SLUG) == []


def test_no_js_check_round_trip_shows_the_status_and_stores_nothing(app, client) -> None:
    r = post_phone(client, {**demo_form(local_policing="59000000"), "action": "check"})
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and "£1,000,000 overspent" in body
    assert 'value="59,000,000"' in body  # the resident's typed amount is kept
    r = post_phone(client, {**demo_form(**BALANCED), "action": "check"})
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and "Your budget balances. You can carry on." in body
    assert "Balanced" in body
    assert rows(app, consultation_slug=SLUG) == []


def test_partial_has_labelled_sliders_number_fallbacks_and_today_marks(client) -> None:
    body = client.get(f"/c/{SLUG}").get_data(as_text=True)
    for a in areas(DEMO_Q):
        fid = f"b-budget-{a['id']}"
        assert f'<label class="budget-name" for="{fid}-range"' in body
        assert f'<input type="range" id="{fid}-range"' in body
        assert f'name="budget.{a["id"]}" value="{a["current"] // 100:,}"' in body
        today = (a["current"] - a["min"]) // a["step"]
        assert f'<datalist id="{fid}-ticks"><option value="{today}"></option></datalist>' in body
    assert 'aria-valuetext="£58 million, the same as today"' in body
    assert '<button type="submit" name="action" value="check"' in body
    assert "£318.72 a year" in body
    assert "/static/budget.js" in body and "/static/budget.css" in body
    assert "http" not in body.split("/static/budget.js")[0].rsplit('src="', 1)[1]


def test_welsh_page_shows_welsh_budget_text(client) -> None:
    body = client.get(f"/c/{SLUG}?lang=cy").get_data(as_text=True)
    assert "Plismona bro" in body and "Heddiw: 640 o swyddogion" in body


def test_kiosk_blocks_next_until_the_budget_balances(kiosk_app) -> None:
    client = kiosk_app.test_client()
    token = csrf_token(client, "/kiosk/")
    step = client.post(f"/kiosk/c/{SLUG}", data={"csrf_token": token}).location
    r = client.post(step, data={"csrf_token": token, **demo_form(victims="6000000"), "action": "next"})
    assert r.status_code == 422 and "Your budget is £1,000,000 overspent." in r.get_data(as_text=True)
    r = client.post(step, data={"csrf_token": token, **demo_form(victims="6000000", precept="1"),
                                "action": "next"})
    assert r.status_code == 303 and r.location.endswith(f"/kiosk/c/{SLUG}/1")
    r = client.post(r.location, data={"csrf_token": token, "why": "", "action": "submit"})
    assert r.status_code == 303
    [row] = rows(kiosk_app, consultation_slug=SLUG)
    assert row.answers["budget"] == {**answer(DEMO_Q, victims=600_000_000), "levers": {"precept": "1"}}
