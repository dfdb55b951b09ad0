"""What the mid-year 监控表 cost, measured against a peer in the same run (run by hand).

    python benchmarks/monitor_cost.py [N]

Makes a corpus of N target tables (benchmarks/gen.py, from the real 2024 tables), writes a
监控表 beside every one (pre-filled by `monitor.from_target`, spent = 40–95 % of the budget so
every colour occurs), then times, best of three whole processes: `perfgoals monitor` against
`perfgoals summary` (both read every file of a year once), and `perfgoals lint --no-cache` with
and without the 监控表 beside the tables. Prints the ratios, not seconds alone.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from gen import generate  # noqa: E402

from perfgoals import loader, monitor  # noqa: E402


def best(args: list[str], cwd: Path) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "perfgoals", *args], cwd=cwd, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def write_monitors(data: Path) -> int:
    count = 0
    for i, path in enumerate(sorted(data.rglob("*.yaml"))):
        if path.name.endswith((".监控.yaml", ".自评.yaml")) or path.name == "units.yaml":
            continue
        project, _ = loader.load_file(path)
        if project is None:
            continue
        mon = monitor.from_target(project, "1-7月")
        total = mon.row_money("年度资金总额")
        share = Decimal(40 + (i * 7) % 56) / 100
        spent = None if total.budget is None else (total.budget * share).quantize(Decimal("0.01"))
        money = dict(mon.money)
        money["年度资金总额"] = replace(total, spent=spent, forecast=total.budget)
        monitor_path = monitor.path_for(path)
        monitor_path.write_text(monitor.text(replace(mon, money=money)), encoding="utf-8")
        count += 1
    return count


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(n, root / "data")
        lint_plain = best(["lint", "--no-cache"], root)
        made = write_monitors(root / "data")
        summary = best(["summary"], root)
        watched = best(["monitor"], root)
        lint_both = best(["lint", "--no-cache"], root)
        print(f"{made} 张监控表（{n} 个目标表的语料）")
        print(f"monitor {watched:.2f} s = {watched / summary:.2f} × summary ({summary:.2f} s)")
        print(f"lint --no-cache with the 监控表 {lint_both:.2f} s = {lint_both / lint_plain:.2f} × without ({lint_plain:.2f} s)")
        shutil.rmtree(root / "data")


if __name__ == "__main__":
    main()
