"""One rule, one place: each rule below has a single definition, and these tests fail when a
caller writes its own copy instead of calling it (by reading the source, or by feeding every
caller the same bad input)."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from kiosk.consultations import definitions
from kiosk.core.problems import Problem, ProblemError
from kiosk.core.text import text
from kiosk.core.timeutil import london_day, london_today
from kiosk.draws import store as draws
from kiosk.events import store as events
from kiosk.outreach import placements, tracking

ROOT = Path(__file__).resolve().parent.parent


def _sources():  # type: ignore[no-untyped-def]
    for top in ("kiosk", "sync"):
        for path in (ROOT / top).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def _calls(source: str, dotted: str, bare: bool = False) -> int:
    """How many calls of a.b(...) (by its last two names) the source makes; bare: only those
    without arguments (``datetime.now()`` is the server's local time, ``now(UTC)`` is not)."""
    owner, name = dotted.rsplit(".", 1)
    return sum(1 for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call)
               and isinstance(n.func, ast.Attribute) and n.func.attr == name
               and ast.unparse(n.func.value).endswith(owner)
               and not (bare and (n.args or n.keywords)))


def test_today_is_londons_today_everywhere() -> None:
    local = {path: n for path, src in _sources() if path != "kiosk/core/timeutil.py"
             for n in [_calls(src, "date.today") + _calls(src, "datetime.now", bare=True)] if n}
    assert local == {}, "use kiosk.core.timeutil.london_today() / utcnow()"


def test_london_today_is_the_london_date_not_the_servers() -> None:
    # 23:30 UTC on a summer night is already tomorrow in London (BST)
    assert london_day(dt.datetime(2027, 7, 1, 23, 30)) == dt.date(2027, 7, 2)
    assert london_day(dt.datetime(2027, 1, 1, 23, 30)) == dt.date(2027, 1, 1)
    assert london_today(86400) - london_today() == dt.timedelta(days=1)


def test_only_core_db_picks_a_dialects_insert() -> None:
    found = [path for path, src in _sources() if path != "kiosk/core/db.py"
             and re.search(r"(postgresql|sqlite)\.insert\b|dialects\.(postgresql|sqlite) import insert", src)]
    assert found == []


def test_only_the_queue_counts_responses_by_sync_state() -> None:
    found = [path for path, src in _sources() if path != "kiosk/responses/queue.py"
             and re.search(r"group_by\(Response\.sync_state\)|select_from\(Response\)\s*\.filter_by\(sync_state"
                           r"|func\.count\(\)[^\n]*\n?[^\n]*Response\.sync_state ==", src)]
    assert found == []


def test_the_queue_sql_is_written_once() -> None:
    found = [path for path, src in _sources() if path != "kiosk/responses/queue_sql.py"
             and re.search(r"group by sync_state", src, re.I)]
    assert found == []


def test_only_the_demo_builder_samples_answers() -> None:
    found = [path for path, src in _sources() if path not in (
        "kiosk/demo/responses.py", "kiosk/consultations/questions/registry.py")
        and _calls(src, "questions.sample")]
    assert found == []


@pytest.mark.parametrize("given", [{"cy": "Cymraeg yn unig"}, {"en": "  ", "cy": "Dim Saesneg"}])
def test_every_bilingual_field_needs_english_by_the_same_rule(app, given) -> None:  # type: ignore[no-untyped-def]
    problems: list[Problem] = []
    assert text(given, "name", problems) is None
    rule = [(p.path, p.message) for p in problems]
    assert rule == [("name.en", "English text is required")]
    with app.app_context():
        with pytest.raises(ProblemError) as event:
            events.check({"name": given, "place": "Town hall",
                          "starts_at": dt.datetime(2027, 5, 1, 10)})
        with pytest.raises(ProblemError) as draw:
            draws.define({"prize": given, "rules": "Rules", "consultations": ["x"], "winners": 1,
                          "reserves": 0, "claim_days": 14, "closes": "2027-06-01"})
        with pytest.raises(ProblemError) as defn:
            definitions.validate({"slug": "x", "title": given, "questions": [
                {"id": "q", "type": "text", "prompt": "Say"}]})
    assert ("name.en", "English text is required") in [(p.path, p.message) for p in event.value.problems]
    assert ("prize.en", "English text is required") in [(p.path, p.message) for p in draw.value.problems]
    assert ("title.en", "English text is required") in [(p.path, p.message) for p in defn.value.problems]


def test_every_way_in_refuses_a_placement_by_the_same_rule(app) -> None:  # type: ignore[no-untyped-def]
    long_label = "x" * (tracking.MAX_LABEL + 1)
    rule = [p.message for p in tracking.check_placement("bus_stop", long_label)]
    assert rule == [f"label is at most {tracking.MAX_LABEL} characters"]
    with pytest.raises(ProblemError) as csv:
        placements.read_csv(f"label,kind\n{long_label},bus_stop\n")
    assert [p.message for p in csv.value.problems] == rule
    with app.app_context():
        with pytest.raises(LookupError, match="no consultation 'nowhere'"):
            tracking.create("nowhere", "bus_stop", "Stop 1")
        with pytest.raises(ValueError, match=rule[0]):
            tracking.create("policing-priorities", "bus_stop", long_label)


def test_every_api_error_is_a_named_problem() -> None:
    """Errors are raised from kiosk.core.problems only: no handler spells a code or status."""
    from kiosk.core import problems

    bypass = []
    for path, src in _sources():
        for n in ast.walk(ast.parse(src)):
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) \
                    and n.func.id in ("ApiError", "BodyError", "NamedProblem") and n.args \
                    and isinstance(n.args[0], ast.Constant):
                bypass.append(f"{path}:{n.lineno}")
    assert bypass == []
    assert all(p.code == code and 400 <= p.status < 600 for code, p in problems.PROBLEMS.items())
    assert set(problems.FOR_STATUS.values()) <= set(problems.PROBLEMS.values())


def test_views_hold_no_sql() -> None:
    """Views parse HTTP and call domain functions; queries live in the feature packages."""
    found = [f"{path}:{n.lineno}" for path, src in _sources() if path.startswith("kiosk/web/")
             for n in ast.walk(ast.parse(src)) if isinstance(n, ast.Call)
             and ast.unparse(n.func) in ("select", "db.session.execute", "db.session.scalars",
                                         "insert", "update", "delete", "text")]
    assert found == []
