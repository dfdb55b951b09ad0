"""What a pull request's review costs as the repository grows (issue 28; run by hand).

    python benchmarks/review_cost.py [N ...] [--whole]

For the 104 real tables and for each N (a corpus made by benchmarks/gen.py): a git repository
whose branch lowers three targets in three tables of three units, reviewed as CI does
(`perfgoals review --rev main`, the work tree as head), and an empty pull request (only a README
changed). Each is a whole process, best of three: wall time, CPU time (user + sys of the process
and its children) and peak memory. ``--whole`` also times the comparison of every file (what
review did before it read only what the pull request touches), once, and checks that both say
the same byte for byte. The ratio to the 104-table review is the figure to read: the targets are
≤ 2 × at 20,000 tables, and an empty pull request under 1 s.
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from gen import generate  # noqa: E402

_VALUE = re.compile(r"(年度指标值: [^}\d]*)(\d+)")
WHOLE = "from perfgoals import review; review.SCOPED = False; from perfgoals.cli import main; main()"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", *args],
                   cwd=repo, check=True, capture_output=True)


def make_repo(data: Path, repo: Path) -> None:
    """``data`` committed on main; branch `pr` lowers one target in three tables of three units."""
    shutil.copytree(data, repo / "data")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "tables")
    git(repo, "checkout", "-qb", "pr")
    tables = sorted(p for p in (repo / "data").rglob("*.yaml")
                    if p.name != "units.yaml" and not p.name.endswith((".自评.yaml", ".监控.yaml")))
    units: set[str] = set()
    picked = 0
    for path in tables[len(tables) // 7::max(1, len(tables) // 5)]:
        text = path.read_text(encoding="utf-8")
        lowered = _VALUE.sub(lambda m: f"{m.group(1)}{max(1, int(m.group(2)) // 2)}", text, count=1)
        if lowered != text and path.parent.name not in units:
            path.write_text(lowered, encoding="utf-8")
            units.add(path.parent.name)
            picked += 1
        if picked == 3:
            break
    git(repo, "commit", "-qam", "lower three targets")


def measure(args: list[str], cwd: Path, code: str | None = None) -> tuple[float, float, float, bytes]:
    """(wall s, CPU s, peak MB, stdout) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    cmd = [sys.executable, "-m", "perfgoals", *args]
    if code:  # the same command, with a switch set first
        cmd = [sys.executable, "-c", f"import sys; sys.argv = ['perfgoals', *sys.argv[1:]]; {code}", *args]
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], cwd=cwd, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak = int(done.stderr.decode().strip().splitlines()[-1]) / 1024
    return wall, cpu, peak, done.stdout


def best(args: list[str], cwd: Path) -> tuple[float, float, float, bytes]:
    runs = [measure(args, cwd) for _ in range(3)]
    return min(runs, key=lambda r: r[0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sizes", nargs="*", type=int, default=[2000, 20000])
    ap.add_argument("--whole", action="store_true", help="also time the comparison of every file, once")
    opts = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="perfgoals-review-bench-") as tmp:
        work = Path(tmp)
        sources = [("104", ROOT / "data")]
        for n in opts.sizes:
            generate(n, work / f"gen{n}")
            sources.append((f"{n:,}", work / f"gen{n}" / "data"))
        base_wall = None
        for label, data in sources:
            repo = work / f"repo{label.replace(',', '')}"
            make_repo(data, repo)
            wall, cpu, peak, out = best(["review", "--rev", "main"], repo)
            base_wall = base_wall or wall
            git(repo, "checkout", "-q", "main")
            git(repo, "checkout", "-qb", "empty")
            (repo / "README.md").write_text("说明\n", encoding="utf-8")
            git(repo, "add", "-A")
            git(repo, "commit", "-qm", "readme")
            e_wall, e_cpu, e_peak, _ = best(["review", "--rev", "main"], repo)
            git(repo, "checkout", "-q", "pr")
            row = [label, f"{wall:.2f}", f"{wall / base_wall:.2f}", f"{cpu:.2f}", f"{peak:.0f}",
                   f"{e_wall:.2f}", f"{e_peak:.0f}"]
            if opts.whole:
                w_wall, _c, w_peak, w_out = measure(["review", "--rev", "main"], repo, WHOLE)
                row += [f"{w_wall:.1f}", f"{w_peak:.0f}", "yes" if w_out == out else "NO"]
            rows.append(row)
            print(" | ".join(row), flush=True)
    head = ["tables", "3-file PR wall (s)", "× 104-table review", "CPU (s)", "peak MB", "empty PR wall (s)",
            "empty PR peak MB"]
    if opts.whole:
        head += ["every file, wall (s)", "every file, peak MB", "same output"]
    print()
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
