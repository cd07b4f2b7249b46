"""Posters per second: voxbox against a minimal reportlab + qrcode baseline, measured in one run.

    python bench/bench_posters.py [--n 500] [--repeat 3] [--workers-only]

The baseline encodes the same URL with qrcode, draws every dark module as a vector rectangle and
sets the bilingual title in the same TrueType face, one page per poster; its batch, like voxbox's,
encodes each URL once and writes a file per poster plus a combined file. Each figure is the best of --repeat runs, timed as process CPU time so that other work on
a shared machine does not skew the ratio. Every
poster has its own URL, so QR encoding (the floor: pure-Python qrcode) is paid each time.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import os
import sys
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import qrcode
from qrcode.constants import ERROR_CORRECT_Q
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from print.posters import FORMATS, PosterSpec, render_batch, render_pdf  # noqa: E402
from print.typesetting import faces  # noqa: E402

RUNS = itertools.count()
TITLE = {"en": "Policing priorities", "cy": "Blaenoriaethau plismona"}


def specs(fmt: str, n: int, run: int) -> list[PosterSpec]:
    """n posters with distinct URLs (distinct per run too, so no cache helps)."""
    return [PosterSpec(format=fmt, url=f"https://hub.example/q/R{run}N{i:05d}",
                       code=f"R{run}N{i:05d}", title=TITLE, closes=datetime.date(2027, 1, 31))
            for i in range(n)]


def baseline_modules(spec: PosterSpec) -> list[list[bool]]:
    """The symbol with its quiet zone, straight from qrcode."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=4)
    code.add_data(spec.url)
    code.make(fit=True)
    return code.get_matrix()


def baseline_page(c: Canvas, spec: PosterSpec, modules: list[list[bool]]) -> None:
    """The minimal poster: a qrcode symbol as rectangles and the title, centred."""
    fmt = FORMATS[spec.format]
    width, height = fmt.width_mm * mm, fmt.height_mm * mm
    c.setPageSize((width, height))
    module = width * 0.7 / len(modules)
    left, top = width * 0.15, height * 0.8
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                c.rect(left + x * module, top - (y + 1) * module, module, module, stroke=0, fill=1)
    c.setFont(faces()[True].name, 28)
    c.drawCentredString(width / 2, height * 0.9, TITLE["en"])
    c.drawCentredString(width / 2, height * 0.86, TITLE["cy"])
    c.showPage()


def baseline_single(items: list[PosterSpec]) -> None:
    for spec in items:
        c = Canvas(BytesIO())
        baseline_page(c, spec, baseline_modules(spec))
        c.getpdfdata()


def baseline_batch(items: list[PosterSpec], out: Path) -> None:
    out.mkdir()
    combined = Canvas(str(out / "all.pdf"))
    for spec in items:
        modules = baseline_modules(spec)
        c = Canvas(str(out / f"{spec.code}.pdf"))
        baseline_page(c, spec, modules)
        c.save()
        baseline_page(combined, spec, modules)
    combined.save()


def voxbox_single(items: list[PosterSpec]) -> None:
    for spec in items:
        render_pdf(spec)


def best_rate(run: Callable[[list[PosterSpec], Path], None], fmt: str, n: int,
              repeat: int) -> float:
    """Posters per second, the best of repeat runs."""
    best = float("inf")
    for _ in range(repeat):
        items = specs(fmt, n, next(RUNS))
        with tempfile.TemporaryDirectory() as tmp:
            started = time.process_time()
            run(items, Path(tmp) / "out")
            best = min(best, time.process_time() - started)
    return n / best


def best_wall(fmt: str, n: int, repeat: int, workers: int) -> float:
    """Seconds of wall-clock time for a batch of n rendered by `workers` processes, best of
    repeat (worker processes' CPU time is not this process's, so the clock on the wall counts)."""
    best = float("inf")
    for _ in range(repeat):
        items = specs(fmt, n, next(RUNS))
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            render_batch(items, Path(tmp) / "out", workers=workers)
            best = min(best, time.perf_counter() - started)
    return best


def workers_table(n: int, repeat: int) -> None:
    """The batch with 2 workers against 1, with the load on the machine before and after."""
    print(f"\nbatch of {n}, wall clock, load average before {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} cores")
    print(f"{'format':<10} {'1 worker s':>11} {'2 workers s':>12} {'speed-up':>9}")
    for fmt in ("a4", "six-sheet"):
        one = best_wall(fmt, n, repeat, 1)
        two = best_wall(fmt, n, repeat, 2)
        print(f"{fmt:<10} {one:>11.2f} {two:>12.2f} {one / two:>8.2f}x")
    print(f"load average after {os.getloadavg()[0]:.2f}")


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500, help="posters in a batch")
    parser.add_argument("--single", type=int, default=50, help="posters rendered one by one")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the best counts")
    parser.add_argument("--workers-only", action="store_true",
                        help="only the 2-workers-against-1 batch table")
    args = parser.parse_args()
    faces()  # load the font once, outside the timings, for both sides
    render_pdf(specs("a4", 1, -1)[0])
    if args.workers_only:
        workers_table(args.n, args.repeat)
        return
    cases = {
        "single": (lambda items, _: voxbox_single(items), lambda items, _: baseline_single(items),
                   args.single),
        f"batch of {args.n}": (lambda items, out: render_batch(items, out),
                               baseline_batch, args.n),
    }
    print(f"{'format':<10} {'mode':<14} {'voxbox/s':>9} {'baseline/s':>11} {'time ratio':>11}")
    for fmt in ("a4", "six-sheet"):
        for mode, (ours, theirs, n) in cases.items():
            mine = best_rate(ours, fmt, n, args.repeat)
            base = best_rate(theirs, fmt, n, args.repeat)
            print(f"{fmt:<10} {mode:<14} {mine:>9.1f} {base:>11.1f} {base / mine:>10.2f}x")
    workers_table(args.n, args.repeat)


if __name__ == "__main__":
    main()
