"""Placements for posters: read a CSV of placements, create their tracking codes, print them."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import consultations, tracking
from .db import db
from .i18n import tr
from .problems import Problem, ProblemError
from .tracking import TrackingCode

COLUMNS = ("label", "kind", "code", "location")
MANIFEST = ("code", "label", "kind", "url", "file")


@dataclass(frozen=True)
class Placement:
    """One CSV row: where a poster goes."""

    line: int
    label: str
    kind: str
    code: str | None
    location: str | None


def read_csv(text: str, source: str = "placements") -> list[Placement]:
    """Parse placements CSV text (header label,kind[,code][,location]); errors name the line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    problems: list[Problem] = []
    if "label" not in header or "kind" not in header:
        raise ProblemError([Problem("line 1", "header must name the columns label and kind "
                                    f"(optional: code, location); got {','.join(header) or 'nothing'}")],
                           source)
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        problems.append(Problem("line 1", f"unknown column {unknown[0]!r}"))
    rows: list[Placement] = []
    seen: dict[str, int] = {}
    for raw in reader:
        line = reader.line_num
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        if None in raw:
            problems.append(Problem(f"line {line}", "more cells than header columns"))
            continue
        label, kind = row.get("label", ""), row.get("kind", "").lower().replace(" ", "_").replace("-", "_")
        code = row.get("code") or None
        if not label:
            problems.append(Problem(f"line {line}", "label is empty"))
        if kind not in tracking.KINDS:
            problems.append(Problem(f"line {line}", f"kind {row.get('kind')!r} is not one of "
                                    f"{', '.join(tracking.KINDS)}"))
        if code is not None:
            if not tracking.is_valid(code):
                problems.append(Problem(f"line {line}", f"code {code!r} is not a valid tracking code"))
            else:
                code = tracking.normalise(code)
                if code in seen:
                    problems.append(Problem(f"line {line}", f"code {code} repeats line {seen[code]}"))
                seen[code] = line
        rows.append(Placement(line, label, kind, code, row.get("location") or None))
    if not rows and not problems:
        problems.append(Problem("line 2", "no placements"))
    if problems:
        raise ProblemError(problems, source)
    return rows


def resolve_codes(slug: str, rows: list[Placement]) -> list[TrackingCode]:
    """Find or create each row's tracking code (flushed, not committed: the caller commits)."""
    problems: list[Problem] = []
    out: list[TrackingCode] = []
    for row in rows:
        existing = db.session.get(TrackingCode, row.code) if row.code else None
        if existing is not None:
            if existing.consultation_slug != slug:
                problems.append(Problem(f"line {row.line}", f"code {row.code} points at "
                                        f"{existing.consultation_slug}, not {slug}"))
            out.append(existing)
            continue
        code = row.code or _unused_code()
        tc = TrackingCode(code=code, consultation_slug=slug, kind=row.kind, label=row.label,
                          location=row.location)
        db.session.add(tc)
        out.append(tc)
    if problems:
        db.session.rollback()
        raise ProblemError(problems)
    db.session.flush()
    return out


def _unused_code() -> str:
    while True:
        code = tracking.new_code()
        if db.session.get(TrackingCode, code) is None:
            return code


def short_url(public_url: str, code: str) -> str:
    """The poster's scan target: PUBLIC_URL/q/CODE."""
    return f"{public_url.rstrip('/')}/q/{code}"


def poster_spec(public_url: str, slug: str, code: str, fmt: str, **options: object):  # type: ignore[no-untyped-def]
    """A print.posters.PosterSpec for a code pointing at a consultation."""
    from print.posters import PosterSpec

    c = consultations.get(slug)
    if c is None:
        raise ValueError(f"no consultation {slug!r}")
    defn = consultations.definition(slug) or {}
    title = {k: v for k, v in (c.title or {}).items()}
    cta = {"en": "Have your say", "cy": "Dweud eich dweud"}
    _ = defn, tr
    return PosterSpec(format=fmt, url=short_url(public_url, code), code=code, title=title,
                      call_to_action=cta, closes=c.closes, **options)


def make_batch(public_url: str, slug: str, rows: list[Placement], fmt: str, out_dir: Path,
               progress: Callable[[int, int], object] | None = None,
               **options: object) -> list[dict[str, str]]:
    """Create codes, render one PDF per placement plus a combined file and a manifest, atomically."""
    from print.posters import render_batch

    if consultations.get(slug) is None:
        raise ValueError(f"no consultation {slug!r}")
    codes = resolve_codes(slug, rows)
    specs = [poster_spec(public_url, slug, tc.code, fmt, **options) for tc in codes]
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        files = render_batch(specs, out_dir, combined_name=f"{slug}-{fmt}-all.pdf", progress=progress)
        manifest = [{"code": tc.code, "label": tc.label, "kind": tc.kind,
                     "url": short_url(public_url, tc.code), "file": Path(f).name}
                    for tc, f in zip(codes, files, strict=False)]
        _write_manifest(out_dir / "manifest.csv", manifest)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return manifest


def _write_manifest(path: Path, rows: list[dict[str, str]]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".manifest-", suffix=".csv")
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=MANIFEST)
        writer.writeheader()
        writer.writerows(rows)
    os.replace(tmp, path)
