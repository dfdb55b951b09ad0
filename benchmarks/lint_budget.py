"""Where a cold lint run's time goes, against what issue 15's lint targets allow (run by hand).

    python benchmarks/lint_budget.py 10000 --rounds 3

On a corpus made by gen.py (N projects a year; year 2024 is linted) it measures, in one run:

- whole processes, in alternating rounds, medians: the floor (PyYAML's C composer, one process),
  ``lint --no-cache --jobs 1`` and ``lint --no-cache`` (the pool), and for the pooled run the CPU
  time of the main process and of its workers;
- the one-process run split into its phases, timed inside one process in each round (medians):
  listing, reading and checking each file, filing problems and corpus entries, the corpus rules,
  the output;
- per project, best of three over a sample of files: reading, the rules, the corpus digests;

and prints what the targets (one process ≤ 2.5 ×, the pool ≤ 1.2 × the floor) leave for lint.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from gen import generate  # noqa: E402
from run import FLOOR_COMPOSE, PY, measure, perfgoals  # noqa: E402

TARGET_ONE, TARGET_POOL = 2.5, 1.2

#: Runs lint in this process with its phases timed, and prints them as JSON on stderr's last line.
_PHASES = r"""
import json, sys, time
start = time.perf_counter()
import perfgoals.cli, perfgoals.loader as loader
import perfgoals.commands.lint as command
from perfgoals.lint import engine, store
spent = {}
def timed(owner, name, phase):
    inner = getattr(owner, name)
    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[phase] = spent.get(phase, 0.0) + time.perf_counter() - t
    setattr(owner, name, wrapper)
timed(command, "select_files", "listing")
timed(loader, "load_file", "reading files")
timed(engine, "check_project", "rules and digests")
timed(store.ProblemStore, "add_file", "filing problems and entries")
timed(store.EntryStore, "add", "filing problems and entries")
timed(store.ProblemStore, "add_corpus", "corpus rules")
timed(command, "echo_lines", "output")
imported = time.perf_counter()
sys.argv = ["perfgoals", *sys.argv[1:]]
try:
    perfgoals.cli.main()
except SystemExit:
    pass
spent["imports"] = imported - start
spent["total"] = time.perf_counter() - start
print(json.dumps(spent), file=sys.stderr)
"""

#: Runs lint in this process and prints the CPU seconds of this process and of its (reaped)
#: children, as JSON on stderr's last line.
_CPU = r"""
import atexit, json, resource, sys
def report():
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"main": me.ru_utime + me.ru_stime, "workers": kids.ru_utime + kids.ru_stime}),
          file=sys.stderr)
atexit.register(report)
sys.argv = ["perfgoals", *sys.argv[1:]]
from perfgoals.cli import main
main()
"""

#: Per project, best of three over the first --sample files: reading; the corpus digests alone; the
#: rules as the rest of a whole check (what a digest and a rule share counts as the digest's).
_PER_PROJECT = r"""
import gc, json, sys, time
from pathlib import Path
from perfgoals import loader, workspace
from perfgoals.lint import active_rules, engine, plan
from perfgoals.lint.config import default
data = Path("data").resolve()
files = workspace.project_files([data / "2024"], data, 2024)[: int(sys.argv[1])]
config = default()
rules = active_rules(config)
everything = plan(config, rules)
digests_only = plan(config, rules)
for kind, steps in digests_only.steps.items():
    digests_only.steps[kind] = [(rid, digest, None, opts, level) for rid, digest, _c, opts, level in steps
                                if digest is not None]
gc.disable()
def read():
    return [engine.Source(loader.load_file(f.raw, f.shown)[0], f.year, f.unit) for f in files]
def best(work):
    times = []
    for _ in range(3):
        sources = read()  # fresh projects each time: nothing a project remembers is reused
        t = time.perf_counter()
        work(sources)
        times.append(time.perf_counter() - t)
    return min(times) / len(files) * 1000
reading = best(lambda sources: read())
def checking(p):
    return lambda sources: [engine.check_project(s, p) for s in sources]
everything_ms = best(checking(everything))
digests_ms = best(checking(digests_only))
print(json.dumps({"reading": reading, "rules": everything_ms - digests_ms, "digests": digests_ms,
                  "files": len(files)}), file=sys.stderr)
"""


def _json_tail(cmd: list[str], cwd: Path) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    done = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return json.loads(done.stderr.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("size", type=int, nargs="?", default=10000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--sample", type=int, default=3000, help="files for the per-project figures")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "perfgoals-bench")
    args = ap.parse_args()
    n = args.size
    corpus = args.work / f"n{n}"
    if not (corpus / "data").is_dir():
        generate(n, corpus, years=2)
    year = corpus / "data" / "2024"
    lint = ["lint", "--year", "2024", "--no-cache"]
    walls: dict[str, list[float]] = {"floor": [], "one": [], "pool": []}
    cpu: list[dict[str, float]] = []
    timings: list[dict[str, float]] = []
    for r in range(args.rounds):
        walls["floor"].append(measure([PY, "-c", FLOOR_COMPOSE, str(year)], corpus)[0])
        walls["one"].append(measure(perfgoals(*lint, "--jobs", "1"), corpus)[0])
        walls["pool"].append(measure(perfgoals(*lint), corpus)[0])
        cpu.append(_json_tail([PY, "-c", _CPU, *lint], corpus))
        timings.append(_json_tail([PY, "-c", _PHASES, *lint, "--jobs", "1"], corpus))
        print(f"round {r + 1}: floor {walls['floor'][-1]:.2f} s, one process {walls['one'][-1]:.2f} s, "
              f"pool {walls['pool'][-1]:.2f} s", flush=True)
    floor, one, pool = (statistics.median(walls[k]) for k in ("floor", "one", "pool"))
    main_cpu = statistics.median(c["main"] for c in cpu)
    worker_cpu = statistics.median(c["workers"] for c in cpu)
    phases = {name: statistics.median(t[name] for t in timings) for name in timings[0]}
    per = _json_tail([PY, "-c", _PER_PROJECT, str(min(args.sample, n))], corpus)
    cores = os.cpu_count() or 1

    def ms(seconds: float) -> str:
        return f"{seconds / n * 1000:.3f}"

    out = [f"# lint's time at {n:,} projects ({cores} cores, Python {sys.version.split()[0]}, "
           f"medians of {args.rounds} rounds)", "",
           "| whole process | wall (s) | per project (ms) | × floor | target |", "|---|---:|---:|---:|---:|",
           f"| floor: PyYAML C composer | {floor:.2f} | {ms(floor)} | 1.00 | |",
           f"| lint, 1 process | {one:.2f} | {ms(one)} | {one / floor:.2f} | ≤ {TARGET_ONE} |",
           f"| lint, pool | {pool:.2f} | {ms(pool)} | {pool / floor:.2f} | ≤ {TARGET_POOL} |", "",
           "| the 1-process run, by phase | s | per project (ms) | share |", "|---|---:|---:|---:|"]
    total = phases.pop("total")
    phases["the rest (interpreter start, the loop over files, counting, exit)"] = total - sum(phases.values())
    for name, seconds in phases.items():
        out.append(f"| {name} | {seconds:.2f} | {ms(seconds)} | {seconds / total * 100:.0f} % |")
    out += ["", f"Per project, best of 3 over {per['files']:,} files: reading {per['reading']:.3f} ms, "
            f"the rules {per['rules']:.3f} ms, the corpus digests {per['digests']:.3f} ms.", "",
            "What the targets leave:",
            f"- one process ≤ {TARGET_ONE} × is {TARGET_ONE * floor:.2f} s ({TARGET_ONE * floor / n * 1000:.3f} ms a project "
            f"in all); lint takes {one:.2f} s: {(1 - TARGET_ONE * floor / one) * 100:.0f} % would have to go.",
            f"- the pool ≤ {TARGET_POOL} × is {TARGET_POOL * floor:.2f} s of wall time, so at most "
            f"{TARGET_POOL * floor * cores:.2f} s of CPU on {cores} cores even with every core busy throughout; "
            f"the pooled run used {main_cpu:.2f} s (main) + {worker_cpu:.2f} s (workers) = "
            f"{main_cpu + worker_cpu:.2f} s: {(1 - TARGET_POOL * floor * cores / (main_cpu + worker_cpu)) * 100:.0f} % "
            f"would have to go."]
    print("\n".join(out))


if __name__ == "__main__":
    main()
