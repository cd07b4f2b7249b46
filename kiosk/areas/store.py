"""Areas (wards, neighbourhood policing areas, …) and the table that maps postcodes to them.

The hub's admin uploads the table as CSV (``postcode,area_code,name_en,name_cy``; the postcode
column holds a full postcode, a sector like ``CF10 1`` or a district like ``CF10``); kiosks get it
in every ``sync pull``. The most specific match wins: full postcode, then sector, then district.

Full postcodes in the table are kept only as a digest, so neither database holds a postcode as
text: not the table, and never a resident's answer (which keeps the area, and at most the district).
The digest is not a secret (there are fewer than two million postcodes); it keeps the invariant
"no postcode is stored anywhere" simple to check.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select

from kiosk.areas import postcodes
from kiosk.areas.models import Area, AreaKey
from kiosk.areas.postcodes import Postcode
from kiosk.core.db import db
from kiosk.core.problems import Problem, ProblemError

#: The stored area of a postcode the table does not know.
OUTSIDE = "outside"
OUTSIDE_NAME = {"en": "Outside the area", "cy": "Y tu allan i'r ardal"}
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
COLUMNS = ("postcode", "area_code", "name_en", "name_cy")
#: One upload; a county's full postcode list is well below this.
MAX_ROWS = 200_000
MAX_NAME = 200
DIGEST_CHARS = 24


@dataclass(frozen=True)
class Table:
    """A checked lookup table, ready to replace the stored one."""
    areas: dict[str, dict[str, str]]
    keys: dict[str, tuple[str, str]]  # key → (kind, area code)

    def counts(self) -> dict[str, int]:
        """Areas and keys by kind, for messages."""
        kinds = [kind for kind, _code in self.keys.values()]
        return {"areas": len(self.areas), "postcodes": kinds.count("postcode"),
                "sectors": kinds.count("sector"), "districts": kinds.count("district")}


def digest(full: str) -> str:
    """The stored key of a full postcode (normal spelling, ``CF10 1AA``)."""
    return hashlib.sha256(postcodes.squash(full).encode()).hexdigest()[:DIGEST_CHARS]


def _stored_key(kind: str, value: str) -> str:
    return digest(value) if kind == "postcode" else value


def read_csv(text: str, source: str = "areas") -> Table:
    """Check a lookup table's CSV text; ProblemError lists every bad line and nothing is kept."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    if header[:1] in (["sector"], ["district"]):
        header[0] = "postcode"
    missing = [c for c in COLUMNS[:3] if c not in header]
    if missing:
        raise ProblemError([Problem("line 1", "header must name the columns postcode, area_code, "
                                    f"name_en (and name_cy); got {','.join(header) or 'nothing'}")],
                           source)
    problems = [Problem("line 1", f"unknown column {h!r}") for h in header if h not in COLUMNS]
    reader.fieldnames = header
    areas: dict[str, dict[str, str]] = {}
    named_at: dict[str, int] = {}
    keys: dict[str, tuple[str, str]] = {}
    seen: dict[str, int] = {}
    for raw in reader:
        line = reader.line_num
        if line > MAX_ROWS + 1:
            problems.append(Problem(f"line {line}", f"more than {MAX_ROWS} rows"))
            break
        if None in raw:
            problems.append(Problem(f"line {line}", "more cells than header columns"))
            continue
        row = {k: (v or "").strip() for k, v in raw.items()}
        found = _row_problems(row, line, problems)
        if found is None:
            continue
        (kind, key), code = found, row["area_code"]
        name = {"en": row["name_en"], **({"cy": row["name_cy"]} if row.get("name_cy") else {})}
        if key in seen:
            problems.append(Problem(f"line {line}", f"{key} repeats line {seen[key]}"))
            continue
        if code in areas and areas[code] != name:
            problems.append(Problem(f"line {line}", f"area {code} is named differently on line "
                                    f"{named_at[code]}"))
            continue
        seen[key] = line
        areas.setdefault(code, name)
        named_at.setdefault(code, line)
        keys[_stored_key(kind, key)] = (kind, code)
    if not keys and not problems:
        problems.append(Problem("line 2", "no rows"))
    if problems:
        raise ProblemError(problems, source)
    return Table(areas, keys)


def _row_problems(row: dict[str, str], line: int, problems: list[Problem]) -> tuple[str, str] | None:
    """(kind, key) of a row, or None after adding its problems."""
    before = len(problems)
    at = f"line {line}"
    found = postcodes.key_kind(row.get("postcode", ""))
    if found is None:
        problems.append(Problem(at, f"{row.get('postcode', '')!r} is not a full postcode, a sector "
                                "(like CF10 1) or a district (like CF10)"))
    code = row.get("area_code", "")
    if not CODE.match(code):
        problems.append(Problem(at, f"area_code {code!r} must be 1-32 letters, digits, '.', '_' or '-'"))
    elif code.lower() == OUTSIDE:
        problems.append(Problem(at, f"area_code {OUTSIDE!r} is kept for postcodes outside every area"))
    if not row.get("name_en"):
        problems.append(Problem(at, "name_en is empty"))
    if any(len(row.get(k, "")) > MAX_NAME for k in ("name_en", "name_cy")):
        problems.append(Problem(at, f"a name is longer than {MAX_NAME} characters"))
    return found if len(problems) == before else None


def replace(table: Table) -> dict[str, int]:
    """Make table the lookup table (staged in the session: the caller commits)."""
    db.session.execute(delete(AreaKey))
    db.session.execute(delete(Area))
    if table.areas:  # executemany: a county's postcodes are many rows
        db.session.execute(insert(Area), [{"code": c, "name": n} for c, n in table.areas.items()])
    if table.keys:
        db.session.execute(insert(AreaKey), [{"key": k, "kind": kind, "area_code": c}
                                             for k, (kind, c) in table.keys.items()])
    return table.counts()


def import_csv(text: str, source: str = "areas") -> dict[str, int]:
    """Check and store a lookup table in one commit; returns its counts."""
    counts = replace(read_csv(text, source))
    db.session.commit()
    return counts


def counts() -> dict[str, int]:
    """The stored table's areas and keys by kind."""
    by_kind = dict(db.session.execute(select(AreaKey.kind, func.count()).group_by(AreaKey.kind)).all())
    n_areas = db.session.execute(select(func.count()).select_from(Area)).scalar_one()
    return {"areas": n_areas, "postcodes": by_kind.get("postcode", 0),
            "sectors": by_kind.get("sector", 0), "districts": by_kind.get("district", 0)}


def all_areas() -> list[Area]:
    """Every area, by code."""
    return list(db.session.execute(select(Area).order_by(Area.code)).scalars())


def name_of(code: str | None) -> dict[str, str]:
    """An area's bilingual name (its code if the table no longer has it)."""
    if code == OUTSIDE:
        return OUTSIDE_NAME
    found = db.session.get(Area, code) if code else None
    return found.name if found else {"en": code or ""}


def names() -> dict[str, dict[str, str]]:
    """{area code: bilingual name}, "outside" included."""
    out = {a.code: a.name for a in all_areas()}
    out[OUTSIDE] = OUTSIDE_NAME
    return out


def find(postcode: Postcode) -> str | None:
    """The area code of a postcode: full postcode first, then sector, then district."""
    for key in (digest(postcode.full), postcode.sector, postcode.district):
        code = db.session.execute(select(AreaKey.area_code).filter_by(key=key)).scalar_one_or_none()
        if code is not None:
            return code
    return None


def answer_for(postcode: Postcode, keep_district: bool) -> dict[str, str]:
    """What a postcode question stores: the area, and the district if asked (or if outside)."""
    code = find(postcode)
    if code is None:
        return {"area": OUTSIDE, "district": postcode.district}
    return {"area": code, **({"district": postcode.district} if keep_district else {})}


# --- sync: the table in the pull document ---------------------------------------------------------


def for_pull() -> dict[str, Any]:
    """The table as the hub sends it (keys already digested)."""
    return {"areas": [{"code": a.code, "name": a.name} for a in all_areas()],
            "keys": [[k.key, k.kind, k.area_code] for k in db.session.execute(
                select(AreaKey).order_by(AreaKey.key)).scalars()]}


def apply_pulled(doc: dict[str, Any]) -> int:
    """Replace the kiosk's table with the hub's (in the caller's transaction); returns areas."""
    table = Table({a["code"]: a["name"] for a in doc["areas"]},
                  {key: (kind, code) for key, kind, code in doc["keys"]})
    return replace(table)["areas"]


def load_demo(text: str) -> str | None:
    """Load the demo table unless a table is already there; returns a line to print."""
    if db.session.execute(select(func.count()).select_from(Area)).scalar_one():
        return None
    found = import_csv(text, "demo areas")
    return f"areas: {found['areas']} demo areas"


def describe(found: dict[str, int]) -> str:
    """``3 areas from 2 postcodes, 4 sectors and 5 districts``."""
    return (f"{found['areas']} areas from {found['postcodes']} postcodes, {found['sectors']} "
            f"sectors and {found['districts']} districts")


def codes() -> list[str]:
    """Every area code (for synthetic answers)."""
    return list(db.session.execute(select(Area.code).order_by(Area.code)).scalars())


def sorted_counts(values: Iterable[str] | Counter[str]) -> list[tuple[str, int]]:
    """(area code, count), most first, "outside" last, from area codes or their counts."""
    counted = Counter(values)
    inside = sorted(((c, n) for c, n in counted.items() if c != OUTSIDE), key=lambda cn: (-cn[1], cn[0]))
    return inside + ([(OUTSIDE, counted[OUTSIDE])] if OUTSIDE in counted else [])
