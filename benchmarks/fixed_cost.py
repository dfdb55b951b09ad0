"""The fixed cost of a run: what `perfgoals lint` costs before its first file (issue 29; run by hand).

    python benchmarks/fixed_cost.py [--rounds 20]

A repository of one real table, linted as a user would (`perfgoals lint`: the file comes from the
cache; and `--no-cache`), beside two peers in the same rounds: the bare interpreter
(``python -c pass``) and the interpreter importing the libraries every command needs
(``import click``). Whole processes in alternating rounds, wall and CPU medians.

The runs use the package's compiled bytecode, as an installed wheel does (gen.py unsets
PYTHONDONTWRITEBYTECODE; one warm-up run writes the bytecode and fills the cache).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from gen import ROOT  # noqa: E402  (and bytecode written, as an installed package has it)


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """(wall s, CPU s) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=20)
    opts = ap.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        table = sorted((ROOT / "data" / "2024").glob("*/*.yaml"))[0]
        (repo / "data" / "2024" / table.parent.name).mkdir(parents=True)
        shutil.copy(table, repo / "data" / "2024" / table.parent.name / table.name)
        cmds = {
            "python -c pass": [py, "-c", "pass"],
            "python -c 'import click'": [py, "-c", "import click"],
            "perfgoals lint (cache)": [py, "-m", "perfgoals", "lint"],
            "perfgoals lint --no-cache": [py, "-m", "perfgoals", "lint", "--no-cache"],
            "perfgoals summary": [py, "-m", "perfgoals", "summary"],
        }
        for cmd in cmds.values():  # warm-up: bytecode written, the cache filled
            subprocess.run(cmd, cwd=repo, capture_output=True, check=False)
        seen: dict[str, list[tuple[float, float]]] = {k: [] for k in cmds}
        for _ in range(opts.rounds):
            for name, cmd in cmds.items():
                seen[name].append(timed(cmd, repo))
    base = statistics.median(w for w, _c in seen["python -c pass"])
    print(f"{opts.rounds} rounds, medians; 1 table ({table.parent.name}/{table.name})\n")
    print("| command | wall (s) | CPU (s) | wall − bare interpreter (s) |")
    print("|---|---:|---:|---:|")
    for name, runs in seen.items():
        wall = statistics.median(w for w, _c in runs)
        cpu = statistics.median(c for _w, c in runs)
        print(f"| `{name}` | {wall:.3f} | {cpu:.3f} | {wall - base:.3f} |")


if __name__ == "__main__":
    main()
