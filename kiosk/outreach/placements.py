"""Placements for posters: read a CSV of placements, create their tracking codes, print them."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from kiosk.consultations import store as consultations
from kiosk.core.db import db
from kiosk.core.identity import org_names
from kiosk.core.problems import Problem, ProblemError
from kiosk.outreach import costs, scans, tracking
from kiosk.outreach.models import Scan, TrackingCode
from kiosk.responses.store import safe_cell

if TYPE_CHECKING:
    from print.posters import PosterSpec

COLUMNS = ("label", "kind", "code", "location", "cost")
MANIFEST = ("code", "label", "kind", "url", "file")
MANIFEST_NAME = "manifest.csv"
MIMETYPES = {"pdf": "application/pdf", "png": "image/png", "svg": "image/svg+xml"}
Progress = Callable[[int, int], object]


@dataclass(frozen=True)
class Placement:
    """One CSV row: where a poster goes."""
    line: int
    label: str
    kind: str
    code: str | None
    location: str | None
    #: its print cost in pence, from an optional ``cost`` column in pounds
    cost_pence: int | None = None


@dataclass(frozen=True)
class Batch:
    """What make_batch wrote: the manifest rows, every file, the combined one, new codes."""
    manifest: list[dict[str, str]]
    files: list[Path]
    combined: Path | None
    created: int


@dataclass(frozen=True)
class Download:
    """One rendered poster, ready to send."""
    data: bytes
    mimetype: str
    filename: str


def read_csv(text: str, source: str = "placements") -> list[Placement]:
    """Parse placements CSV text (header label,kind[,code][,location][,cost]); errors name the line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    problems: list[Problem] = []
    if "label" not in header or "kind" not in header:
        raise ProblemError([Problem("line 1", "header must name the columns label and kind "
                                    f"(optional: code, location, cost); got {','.join(header) or 'nothing'}")],
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
        code, location = row.get("code") or None, row.get("location") or None
        found = tracking.check_placement(kind, label, location, code)
        problems += [Problem(f"line {line}", p.message) for p in found]
        if code is not None and not any(p.path == "code" for p in found):
            code = tracking.normalise(code)
            assert code is not None  # a valid code normalises
            if code in seen:
                problems.append(Problem(f"line {line}", f"code {code} repeats line {seen[code]}"))
            seen[code] = line
        try:
            pence = costs.parse_pounds(row.get("cost"))
        except costs.CostError as exc:
            problems.append(Problem(f"line {line}", f"cost {row.get('cost')!r}: {exc}"))
            pence = None
        rows.append(Placement(line, label, kind, code, location, pence))
    if not rows and not problems:
        problems.append(Problem("line 2", "no placements"))
    if problems:
        raise ProblemError(problems, source)
    return rows


def resolve_codes(slug: str, rows: list[Placement]) -> list[TrackingCode]:
    """Find or create each row's tracking code (flushed, not committed: the caller commits).

    A code already on the hub is reused as it is (its label and kind stay the hub's); a cost
    given on the row becomes its print cost."""
    problems: list[Problem] = []
    out: list[TrackingCode] = []
    for row in rows:
        existing = db.session.get(TrackingCode, row.code) if row.code else None
        if existing is not None:
            if existing.consultation_slug != slug:
                problems.append(Problem(f"line {row.line}", f"code {row.code} points at "
                                        f"{existing.consultation_slug}, not {slug}"))
            elif existing.retired:
                problems.append(Problem(f"line {row.line}", f"code {row.code} is retired"))
            if row.cost_pence is not None:  # the cost of this print run
                existing.print_cost_pence = row.cost_pence
            out.append(existing)
            continue
        code = row.code or _unused_code()
        tc = TrackingCode(code=code, consultation_slug=slug, kind=row.kind, label=row.label,
                          location=row.location, print_cost_pence=row.cost_pence)
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


def scan_counts(codes: Iterable[str]) -> dict[str, int]:
    """Counted scans (every scan, not only first ones) per code; codes never scanned are absent."""
    wanted = list(codes)
    if not wanted:
        return {}
    scans.flush()  # this process's scans wait in a buffer: store them before counting
    q = (select(Scan.code, func.count()).where(Scan.stage == "scan", Scan.code.in_(wanted))
         .group_by(Scan.code))
    return {code: n for code, n in db.session.execute(q) if code is not None}  # in_() left no NULLs


def with_scans(slug: str) -> list[tuple[TrackingCode, int]]:
    """A consultation's placements, oldest first, each with its scan count."""
    codes = tracking.for_consultation(slug)
    counts = scan_counts(c.code for c in codes)
    return [(c, counts.get(c.code, 0)) for c in codes]


def short_url(public_url: str, code: str) -> str:
    """The poster's scan target: PUBLIC_URL/q/CODE."""
    return f"{public_url.rstrip('/')}/q/{code}"


def poster_spec(public_url: str, slug: str, code: str, fmt: str, **options: Any) -> PosterSpec:
    """A print.posters.PosterSpec for a code pointing at a consultation."""
    from print.posters import PosterSpec

    c = consultations.get(slug)
    if c is None:
        raise LookupError(f"no consultation {slug!r}")
    options.setdefault("organisation", org_names())
    return PosterSpec(format=fmt, url=short_url(public_url, code), code=code,
                      title=dict(c.title or {}), closes=c.closes, **options)


def poster(public_url: str, code: str, fmt: str, output: str = "pdf",
           png_px: int | None = None, **options: object) -> Download:
    """One placement's poster as PDF, PNG or SVG (a sticker sheet repeats its code)."""
    from print.posters import WEB_PX, render

    row = tracking.get(code)
    if row is None:
        raise LookupError(f"no tracking code {code!r}")
    if row.retired or row.consultation_slug == tracking.HOLDING:
        raise LookupError(f"tracking code {row.code} sends residents to the holding page: "
                          "re-point it to an open consultation before printing")
    spec = poster_spec(public_url, row.consultation_slug, row.code, fmt, **options)
    data = render(spec, output, png_px or WEB_PX)
    return Download(data, MIMETYPES[output], f"{row.code}-{fmt}.{output}")


def make_batch(public_url: str, slug: str, rows: list[Placement], fmt: str, out_dir: Path,
               progress: Progress | None = None, output: str = "pdf", png_px: int | None = None,
               workers: int = 1, **options: object) -> Batch:
    """Create codes and write one file per placement, a combined PDF and a manifest, atomically.

    For the stickers format every placement gets its own label instead: one file per sheet
    (labels in row order, left to right, then down), plus the combined PDF of every sheet.
    Nothing is written to out_dir and no code is committed unless everything succeeds.
    """
    from print.posters import WEB_PX, render_batch

    tracking.check_consultation(slug)
    given = [r.code for r in rows if r.code]
    known = set(db.session.execute(select(TrackingCode.code).where(
        TrackingCode.code.in_(given))).scalars()) if given else set()
    try:
        codes = resolve_codes(slug, rows)
        urls = [short_url(public_url, tc.code) for tc in codes]
        specs, stems, sheet_of, report = _plan(public_url, slug, fmt, codes, urls, progress,
                                               options)
        combined = f"{slug}-{fmt}-all.pdf"
        manifest: list[dict[str, str]] = []

        def finish(work: Path, files: list[Path]) -> None:
            manifest.extend({"code": tc.code, "label": tc.label, "kind": tc.kind, "url": url,
                             "file": files[sheet_of(i)].name}
                            for i, (tc, url) in enumerate(zip(codes, urls, strict=True)))
            _write_manifest(work / MANIFEST_NAME, manifest)
            # Commit before the files move in: a commit can fail (a locked database), a rename
            # within one folder cannot, short of the disk going away.
            db.session.commit()

        files = render_batch(specs, out_dir, combined_name=combined, progress=report,
                             output=output, stems=stems, png_px=png_px or WEB_PX,
                             before_move=finish, workers=workers)
    except BaseException:
        db.session.rollback()
        raise
    written = files + [Path(out_dir) / MANIFEST_NAME]
    has_combined = output == "pdf"
    return Batch(manifest, written, Path(out_dir) / combined if has_combined else None,
                 len(rows) - len(known))


def _plan(public_url: str, slug: str, fmt: str, codes: list[TrackingCode], urls: list[str],
          progress: Progress | None, options: dict[str, object]
          ) -> tuple[list[PosterSpec], list[str] | None, Callable[[int], int], Progress | None]:
    """The specs to render, their file stems, which file holds placement i, and a progress
    callback counting placements (a sticker sheet advances by the labels it holds)."""
    if fmt != "stickers":
        specs = [poster_spec(public_url, slug, tc.code, fmt, **options) for tc in codes]
        return specs, None, lambda i: i, progress
    probe = poster_spec(public_url, slug, codes[0].code, fmt, **options)
    per = len(probe.labels()) + probe.start_label - 1  # labels a sheet holds
    first = per - probe.start_label + 1  # a part-used first sheet holds fewer
    labels = [(url, tc.code) for tc, url in zip(codes, urls, strict=True)]
    sheets = [labels[:first]] + [labels[i:i + per] for i in range(first, len(labels), per)]
    width = len(str(len(sheets)))
    specs = [poster_spec(public_url, slug, sheet[0][1], fmt, stickers=tuple(sheet),
                         **{**options, "start_label": options.get("start_label", 1) if k == 0
                            else 1})
             for k, sheet in enumerate(sheets)]
    stems = [f"{slug}-stickers-{k:0{width}d}" for k in range(1, len(sheets) + 1)]

    def report(done: int, _total: int) -> None:
        if progress is not None:
            progress(min(first + (done - 1) * per, len(labels)), len(labels))

    return specs, stems, lambda i: 0 if i < first else 1 + (i - first) // per, report


def _write_manifest(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=MANIFEST)
        writer.writeheader()
        # the label is typed by staff: keep a spreadsheet from running it as a formula
        writer.writerows({**row, "label": safe_cell(row["label"])} for row in rows)
