"""How fast the CLI starts: ``voxbox --help``, ``voxbox sync --help`` and ``voxbox sync status`` on
an enrolled-less kiosk instance, each against ``python -c "import flask"`` measured in the same run.

    python bench/bench_cli.py [--repeat 7]

Each figure is the median wall-clock time of --repeat fresh processes (the interpreter's start-up
included, as a user meets it). Targets (issue 12): ``--help`` at most 1.5× the baseline,
``sync status`` at most 2×.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def timed(cmd: list[str], env: dict[str, str], repeat: int) -> float:
    """Median seconds for cmd over repeat runs (one warm-up run first, not counted)."""
    subprocess.run(cmd, env=env, capture_output=True, timeout=120, check=True)
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, timeout=120, check=True)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    voxbox = str(BIN / "voxbox")
    with tempfile.TemporaryDirectory() as instance:
        env = {**os.environ, "VOXBOX_INSTANCE": instance, "VOXBOX_ROLE": "kiosk"}
        subprocess.run([voxbox, "db", "upgrade"], env=env, capture_output=True, timeout=300, check=True)
        base = timed([sys.executable, "-c", "import flask"], env, args.repeat)
        rows = [("python -c 'import flask' (baseline)", base, None)]
        for label, cmd, target in (("voxbox --help", [voxbox, "--help"], 1.5),
                                   ("voxbox sync --help", [voxbox, "sync", "--help"], None),
                                   ("voxbox sync status (kiosk)", [voxbox, "sync", "status"], 2.0)):
            rows.append((label, timed(cmd, env, args.repeat), target))
    load = os.getloadavg()[0]
    print(f"median of {args.repeat} runs, load average {load:.2f} on {os.cpu_count()} cores")
    print(f"{'command':32} {'seconds':>8} {'ratio':>7} {'target':>7}")
    for label, seconds, target in rows:
        goal = f"≤ {target:.1f}x" if target else ""
        print(f"{label:32} {seconds:8.3f} {seconds / base:6.2f}x {goal:>7}")


if __name__ == "__main__":
    main()
