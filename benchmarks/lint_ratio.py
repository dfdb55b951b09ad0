"""Lint's CPU against its floor and a peer, in the same run (issue 29's targets; run by hand).

    python benchmarks/lint_ratio.py [N ...] [--rounds 3] [--against DIR]

For each N, a corpus made by gen.py (one year), then in alternating rounds, whole processes: the
floor (PyYAML's C composer over the same files), yamllint (default configuration),
``lint --no-cache --jobs 1`` and ``lint --no-cache`` (the pool). CPU time is user + sys of the
process and its children (steadier than wall time on a shared machine); wall time is shown for
the pool. Medians over the rounds; the ratios are what to read.

``--against DIR``: a checkout of another revision (``git worktree add DIR REV``), whose
``lint --no-cache --jobs 1`` runs in the same rounds, so a change is measured against what it
changed on the same machine at the same moment (this VM's load moves single figures by 20 %).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from gen import generate  # noqa: E402
from run import FLOOR_COMPOSE, PY  # noqa: E402


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall s, CPU s) of one whole process and its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, capture_output=True, check=False, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sizes", nargs="*", type=int, default=[2000])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-yamllint", action="store_true", help="leave yamllint out (it takes minutes at 10,000)")
    ap.add_argument("--against", type=Path, help="a checkout of another revision, linted in the same rounds")
    opts = ap.parse_args()
    other = None
    if opts.against is not None:
        other = dict(os.environ, PYTHONPATH=str(opts.against.resolve()))
        print(f"against: {opts.against} (lint --no-cache --jobs 1 of that checkout, same rounds)")
    print("| projects | floor CPU (s) | lint 1 process CPU | × floor | lint pool CPU | × floor | pool wall (s) "
          "| × floor wall | 1 process wall (s) | yamllint CPU | yamllint ÷ lint |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in opts.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            generate(n, root)
            year = root / "data" / "2024"
            cmds = {
                "floor": [PY, "-c", FLOOR_COMPOSE, str(year)],
                "yamllint": [sys.executable, "-m", "yamllint", "-f", "parsable", str(year)],
                "one": [sys.executable, "-m", "perfgoals", "lint", "--no-cache", "--jobs", "1"],
                "pool": [sys.executable, "-m", "perfgoals", "lint", "--no-cache"],
            }
            if other is not None:
                cmds["against"] = cmds["one"]
            if opts.no_yamllint:
                del cmds["yamllint"]
            seen: dict[str, list[tuple[float, float]]] = {k: [] for k in cmds}
            for _ in range(opts.rounds):
                for name, cmd in cmds.items():
                    seen[name].append(timed(cmd, root, other if name == "against" else None))
            wall = {k: statistics.median(w for w, _c in v) for k, v in seen.items()}
            cpu = {k: statistics.median(c for _w, c in v) for k, v in seen.items()}
            cpu.setdefault("yamllint", float("nan"))
            print(f"| {n:,} | {cpu['floor']:.2f} | {cpu['one']:.2f} | {cpu['one'] / cpu['floor']:.2f} | "
                  f"{cpu['pool']:.2f} | {cpu['pool'] / cpu['floor']:.2f} | {wall['pool']:.2f} | {wall['pool'] / wall['floor']:.2f} | {wall['one']:.2f} | "
                  f"{cpu['yamllint']:.2f} | {cpu['yamllint'] / cpu['pool']:.1f} |", flush=True)
            if other is not None:
                print(f"against: 1 process CPU {cpu['against']:.2f} s, {cpu['against'] / cpu['floor']:.2f} × floor; "
                      f"this checkout {cpu['one'] / cpu['against']:.3f} × that", flush=True)


if __name__ == "__main__":
    main()
