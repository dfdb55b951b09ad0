"""What each rule file costs per project, so a new rule's cost is seen when it lands (run by hand).

    python benchmarks/rule_cost.py [N]

Reads N projects made by gen.py (default 2,000) once, then times, best of three, every rule's
check and digest over all of them, in this process: a row per rule file (lint/rules_*.py) with
its microseconds per project, its share of all rules, the findings it makes, and its three
costliest rules; then the corpus rules' own pass (check_all over the digests). The reading
(parsing) is timed too, as the yardstick: a rule file that costs more than reading does should
say why.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from gen import generate  # noqa: E402

from perfgoals import loader  # noqa: E402
from perfgoals.lint import active_rules, engine, plan  # noqa: E402
from perfgoals.lint.config import default  # noqa: E402
from perfgoals.lint.store import EntryStore  # noqa: E402


def best(fn, rounds: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as tmp:
        generate(n, Path(tmp))
        paths = sorted(p for p in Path(tmp).rglob("*.yaml") if p.name != "units.yaml")
        raws = [p.read_bytes() for p in paths]
    read = best(lambda: [loader.load_bytes(raw, "x.yaml") for raw in raws])
    sources = []
    for raw, path in zip(raws, paths):
        project, _problems = loader.load_bytes(raw, str(path))
        if project is not None:
            sources.append(engine.Source(project, project.year, path.parent.name))
    conf = default()
    rules = active_rules(conf)
    per_file: dict[str, float] = {}
    per_rule: dict[str, tuple[float, int]] = {}
    for rid, rule in rules.items():
        if rule.kind != "target":
            continue
        opts = conf.options_for(rid)
        found = 0

        def run_rule() -> None:
            nonlocal found
            found = 0
            for src in sources:
                if rule.check is not None:
                    found += sum(1 for _ in rule.check(replace(src, options=opts) if opts else src))
                if rule.digest is not None:
                    rule.digest(src)

        per_rule[rid] = (best(run_rule), found)
        module = (rule.check or rule.check_all).__module__.rsplit(".", 1)[-1]  # type: ignore[union-attr]
        per_file[module] = per_file.get(module, 0.0) + per_rule[rid][0]
    steps = plan(conf, rules)
    store = EntryStore(rules)
    for src in sources:
        store.add(engine.check_project(src, steps)[1])
    corpus = best(lambda: list(engine.check_corpus(store, rules, conf.level)), rounds=1)
    store.close()
    total = sum(per_file.values())
    us = 1e6 / len(sources)
    print(f"{len(sources)} projects; reading {read * us:.0f} µs a project; all rules {total * us:.0f} µs; "
          f"corpus pass {corpus * us:.0f} µs\n")
    print("| rule file | µs a project | share of the rules | findings | costliest rules (µs) |")
    print("|---|---:|---:|---:|---|")
    by_module: dict[str, list[str]] = defaultdict(list)
    for rid, rule in rules.items():
        if rid in per_rule:
            by_module[(rule.check or rule.check_all).__module__.rsplit(".", 1)[-1]].append(rid)  # type: ignore[union-attr]
    for module, cost in sorted(per_file.items(), key=lambda kv: -kv[1]):
        rids = sorted(by_module[module], key=lambda r: -per_rule[r][0])
        found = sum(per_rule[r][1] for r in rids)
        top = ", ".join(f"{r} {per_rule[r][0] * us:.0f}" for r in rids[:3])
        print(f"| {module} | {cost * us:.0f} | {cost / total:.0%} | {found} | {top} |")


if __name__ == "__main__":
    main()
