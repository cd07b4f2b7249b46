"""Batch rendering on every core: contiguous chunks of posters in worker processes, each chunk
also drawn into its own part of the print file, the parts joined in CSV order at the end."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from pathlib import Path

import pikepdf

from print.pdf import PdfWriter
from print.render import render, write_pdf
from print.spec import PosterSpec

CHUNK = 25  # posters per task: small enough for a smooth progress bar, large enough that each
# part of the print file shares its fonts and logo across many pages
Progress = Callable[[int, int], object]
Writer = Callable[[PosterSpec, Path, object], None]


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def render_parallel(specs: Sequence[PosterSpec], paths: Sequence[Path], combined: Path | None,
                    output: str, png_px: int, workers: int,
                    progress: Progress | None) -> None:
    """Render specs[i] to paths[i] in up to `workers` processes and, for PDF, the print file to
    combined in the order given; the first failure stops the rest and is raised."""
    chunks = [range(i, min(i + CHUNK, len(specs))) for i in range(0, len(specs), CHUNK)]
    parts = [combined.with_name(f".part{k:05d}.pdf") if combined else None
             for k in range(len(chunks))]
    # forkserver: workers fork from a clean process with print/ already imported, not from a
    # web or CLI process with threads and open database connections
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["print.posters"])
    done = 0
    with ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=context) as pool:
        pending = {pool.submit(_chunk, [specs[i] for i in chunk], [paths[i] for i in chunk],
                               part, output, png_px): len(chunk)
                   for chunk, part in zip(chunks, parts, strict=True)}
        while pending:
            finished, _ = wait(pending, return_when=FIRST_EXCEPTION)
            for future in finished:
                size = pending.pop(future)
                error = future.exception()
                if error is not None:
                    for other in pending:
                        other.cancel()
                    raise error
                done += size
                if progress is not None:
                    progress(done, len(specs))
    if combined is not None:
        join([p for p in parts if p is not None], combined)


def _chunk(specs: list[PosterSpec], paths: list[Path], part: Path | None, output: str,
           png_px: int) -> None:
    """A worker's task: each poster to its file and, for PDF, every page into the chunk's part."""
    writer = (PdfWriter(part, "voxbox posters", specs[0].pdfx, specs[0].registration_marks)
              if part is not None else None)
    for spec, path in zip(specs, paths, strict=True):
        if output == "pdf":
            write_pdf(spec, path, writer)
        else:
            path.write_bytes(render(spec, output, png_px))
    if writer is not None:
        writer.save()


def join(parts: list[Path], target: Path) -> None:
    """The parts' pages in order as one PDF, keeping the first part's output intent and
    metadata (every part is PDF/X with the same intent)."""
    with pikepdf.open(parts[0]) as first:
        for part in parts[1:]:
            with pikepdf.open(part) as other:
                first.pages.extend(other.pages)
        first.save(target)
    for part in parts:
        part.unlink()
