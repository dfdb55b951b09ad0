"""Generate a realistic corpus of N project files from the real 2024 tables (run by hand).

    python benchmarks/gen.py 10000 /tmp/corpus            # data/2024 with 10,000 projects
    python benchmarks/gen.py 10000 /tmp/corpus --years 2  # and a 2025 that differs like a new budget

Each project is a real table with its name, unit, amounts, indicator values and text lengths
varied: real indicator names and value forms, many units (about 20 projects each, spread over
towns), one large unit of ~500 projects for the Excel benchmark. Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import os
import random
import re
from pathlib import Path

#: Every benchmark imports this module and times the package as installed, with its compiled
#: bytecode: a machine that sets PYTHONDONTWRITEBYTECODE (some sandboxes do) would have each timed
#: process compile the whole package again (0.1–0.3 s a process, more than a small run's work).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

ROOT = Path(__file__).resolve().parent.parent
BIG_UNIT = "大单位"
TOWNS = ("浦江镇", "七宝镇", "颛桥镇", "华漕镇", "虹桥镇", "梅陇镇", "吴泾镇", "马桥镇", "浦锦街道")
_AMOUNT = re.compile(r"^(  [^:]+: )(\d+\.\d+|\d+)$", re.M)
_NUM_IN_VALUE = re.compile(r"(年度指标值: [^}\d]*)(\d+)")


def vary(text: str, rng: random.Random, index: int, year: int) -> str:
    factor = rng.choice((0.5, 0.8, 1, 1, 1.2, 2, 5))

    def money(m: re.Match[str]) -> str:
        value = float(m.group(2)) * factor
        return f"{m.group(1)}{value:.2f}"

    text = _AMOUNT.sub(money, text)
    text = _NUM_IN_VALUE.sub(lambda m: f"{m.group(1)}{max(1, int(int(m.group(2)) * rng.uniform(0.8, 1.3)))}", text)
    text = re.sub(r"^项目名称: (.*)$", lambda m: f"项目名称: {m.group(1)}{index:05d}", text, count=1, flags=re.M)
    text = re.sub(r"^年度: \d+$", f"年度: {year}", text, count=1, flags=re.M)
    if rng.random() < 0.3:  # longer goal texts
        text = re.sub(r"^(  年度总体目标: )(.*)$", lambda m: m.group(1) + m.group(2) * rng.randint(2, 4), text,
                      count=1, flags=re.M)
    return text


def generate(n: int, out: Path, years: int = 1, seed: int = 2024) -> list[Path]:
    rng = random.Random(seed)
    bases = sorted((ROOT / "data" / "2024").glob("*/*.yaml"))
    texts = [b.read_text(encoding="utf-8") for b in bases]
    units = max(1, n // 20)
    written = []
    for y in range(years):
        year = 2024 + y
        yrng = random.Random(seed + y)
        for i in range(n):
            base = texts[rng.randrange(len(texts))] if y == 0 else None
            if y > 0:  # next year: the same project, changed a little (or dropped / new)
                rel = written[i].relative_to(out / "data" / "2024")
                src = out / "data" / str(year - 1) / rel  # last year's table of the same project
                text = src.read_text(encoding="utf-8").replace(f"年度: {year - 1}", f"年度: {year}")
                if yrng.random() < 0.2:
                    text = vary(text, yrng, i, year)
                    text = re.sub(r"^项目名称: (.*?)\d{5}$", lambda m: f"项目名称: {m.group(1)}{i:05d}", text,
                                  count=1, flags=re.M)
                target = out / "data" / str(year) / rel
            else:
                assert base is not None
                text = vary(base, rng, i, year)
                unit = BIG_UNIT if n >= 1000 and i < 500 else f"{TOWNS[i % len(TOWNS)]}-单位{i % units:04d}"
                target = out / "data" / str(year) / unit / f"项目{i:05d}.yaml"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            if y == 0:
                written.append(target)
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--years", type=int, default=1)
    ap.add_argument("--seed", type=int, default=2024)
    args = ap.parse_args()
    files = generate(args.n, args.out, args.years, args.seed)
    print(f"{len(files)} projects × {args.years} year(s) in {args.out / 'data'}")


if __name__ == "__main__":
    main()
