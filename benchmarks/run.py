"""Whole-process wall time and peak memory of perfgoals commands and their peers (run by hand).

    pip install -r benchmarks/requirements.txt
    python benchmarks/run.py 100 1000 10000 50000 --out benchmarks/results.md

For each corpus size N (made by benchmarks/gen.py from the real 2024 tables, two years) it
times, in one run on the same files: the floors (reading every byte; PyYAML's C composer),
the peers (yamllint with its default config; check-jsonschema with our schema) and perfgoals
(lint cold and warm, summary, diff, fmt --check, render html/xlsx). It reports per-file cost
and ratios to the compose floor, never seconds alone. Peers are skipped above --peers-max
files (yamllint takes minutes at 50,000).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from gen import generate  # noqa: E402

PY = sys.executable
FLOOR_READ = """
import sys, os
n = 0
for root, _d, files in os.walk(sys.argv[1]):
    for f in files:
        with open(os.path.join(root, f), 'rb') as fh:
            n += len(fh.read())
"""
FLOOR_COMPOSE = """
import gc, os, sys, yaml
gc.disable()
for root, _d, files in os.walk(sys.argv[1]):
    for f in files:
        with open(os.path.join(root, f), 'rb') as fh:
            loader = yaml.CSafeLoader(fh.read().decode('utf-8'))
            loader.get_single_node()
            loader.dispose()
"""


#: Runs a command and prints its wall time, peak RSS (KB) and exit code. Linux counts in a child's
#: peak RSS the memory of the process it was forked from, so every command is started from this
#: small process, never from the benchmark (which may hold a corpus): the floors and perfgoals
#: then share the same small baseline. (Before this, the floors showed 21 MB at 10,000 files and
#: 50 MB at 50,000 — the benchmark's own size, not theirs.)
_LAUNCH = """
import os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_pid, status, usage = os.wait4(proc.pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def measure(cmd: list[str], cwd: Path) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB, exit code) of one whole process."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}  # CI would switch the lint cache off
    # the lint cache in the corpus, emptied before the lint rows: else a cache the same code filled in
    # an earlier run answers "fills the cache" (the user's cache folder keeps it between runs)
    env["PERFGOALS_CACHE_DIR"] = str(cwd / ".perfgoals-cache")
    out = subprocess.run([PY, "-c", _LAUNCH, *cmd], cwd=cwd, env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    return float(out[0]), int(out[1]) / 1024, int(out[2])


def perfgoals(*args: str) -> list[str]:
    return [PY, "-m", "perfgoals", *args]


def run_size(n: int, work: Path, peers_max: int, years: int = 2) -> list[tuple[str, float, float, int]]:
    corpus = work / f"n{n}" if years == 2 else work / f"n{n}y{years}"
    if not (corpus / "data").is_dir():
        generate(n, corpus, years=years)
    year = corpus / "data" / "2024"
    schema = corpus / "schema.json"
    schema.write_text(subprocess.run(perfgoals("schema"), capture_output=True, text=True, check=True).stdout)
    files = [str(p) for p in sorted(year.rglob("*.yaml"))]
    listing = corpus / "files.txt"
    listing.write_text("\n".join(files))
    rows: list[tuple[str, float, float, int]] = []

    def add(name: str, cmd: list[str]) -> None:
        wall, mem, code = measure(cmd, corpus)
        rows.append((name, wall, mem, code))
        print(f"  N={n:>6} {name:<34} {wall:8.2f} s {wall / n * 1000:8.3f} ms/file {mem:8.0f} MB  exit {code}",
              flush=True)

    add("floor: read all bytes", [PY, "-c", FLOOR_READ, str(year)])
    add("floor: PyYAML C compose", [PY, "-c", FLOOR_COMPOSE, str(year)])
    if n <= peers_max:
        add("peer: yamllint (default config)", [sys.executable, "-m", "yamllint", "-f", "parsable", str(year)])
        add("peer: check-jsonschema", [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), *files]
            if n <= 2000 else [shutil.which("sh") or "sh", "-c",
                                f"xargs -a {listing} {sys.executable} -m check_jsonschema --schemafile {schema}"])
    shutil.rmtree(corpus / ".perfgoals-cache", ignore_errors=True)
    add("lint cold (no cache)", perfgoals("lint", "--year", "2024", "--no-cache"))
    add("lint cold, 1 process", perfgoals("lint", "--year", "2024", "--no-cache", "--jobs", "1"))
    add("lint (fills the cache)", perfgoals("lint", "--year", "2024"))
    add("lint warm (unchanged files)", perfgoals("lint", "--year", "2024"))
    add("summary --by unit", perfgoals("summary", "--year", "2024", "--by", "unit"))
    add("summary --by category", perfgoals("summary", "--year", "2024", "--by", "category"))
    add("diff 2024 2025", perfgoals("diff", "2024", "2025"))
    add("fmt --check (no cache)", perfgoals("fmt", "--check", "--no-cache", str(year)))
    add("export csv", perfgoals("export", "--year", "2024", "-o", str(corpus / "export")))
    add("render --format html --all", perfgoals("render", "--year", "2024", "--out", str(corpus / "out")))
    if n >= 1000:
        add("render --format xlsx, 500-project unit", perfgoals("render", "--year", "2024", "--format", "xlsx",
                                                                  "--unit", "大单位", "--out", str(corpus / "out")))
    if years > 2:  # the whole repository: every year at once
        total = n * years
        add(f"lint, all {years} years ({total:,} files, no cache)", perfgoals("lint", "--no-cache"))
        add(f"export sqlite, all {years} years", perfgoals("export", "-o", str(corpus / "all.sqlite")))
        add(f"diff {2023 + years - 1} {2023 + years}", perfgoals("diff", str(2023 + years - 1), str(2023 + years)))
    return rows


def table(n: int, rows: list[tuple[str, float, float, int]]) -> str:
    floor = next(r[1] for r in rows if r[0].startswith("floor: PyYAML"))
    lines = [f"### N = {n:,} projects", "",
             "| what | wall (s) | per file (ms) | × compose floor | peak memory (MB) |",
             "|---|---:|---:|---:|---:|"]
    for name, wall, mem, _code in rows:
        lines.append(f"| {name} | {wall:.2f} | {wall / n * 1000:.3f} | {wall / floor:.2f} | {mem:.0f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sizes", nargs="*", type=int, default=[100, 1000, 10000])
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "perfgoals-bench")
    ap.add_argument("--peers-max", type=int, default=10000)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--years", type=int, default=2, help="years of data to generate (4: the whole-repository run)")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    report = [f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}\n"]
    for n in args.sizes:
        report.append(table(n, run_size(n, args.work, args.peers_max, args.years)))
    text = "\n".join(report)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
