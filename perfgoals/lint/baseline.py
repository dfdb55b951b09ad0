"""The baseline: findings accepted when a district adopts the tool, so only new ones fail.

``perfgoals lint --write-baseline`` records every current finding; later runs hide the
findings the baseline lists (by file, rule, place in the form and message — not by line, so
editing other parts of a file does not bring old findings back).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..problems import InputError, Problem

BASELINE_NAME = ".perfgoals-baseline.json"


def _key(p: Problem, root: Path) -> str:
    try:
        path = Path(p.path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        path = Path(p.path).as_posix()
    return f"{path}|{p.rule}|{p.data_path}|{p.message}"


def dump(problems: Iterable[Problem], root: Path, keep: Counter[str] | None = None) -> str:
    """The baseline file's text: these problems, plus the ``keep`` entries of an earlier
    baseline (those the run did not cover: other files, rules not run)."""
    # union, not sum: a finding comparing projects kept from the earlier baseline and found again
    # by this run is one finding (nothing else can be in both)
    counts = Counter(_key(p, root) for p in problems) | (keep or Counter())
    body = {"说明": "perfgoals 基线：这些已知问题暂不报错；修复后请重新生成（perfgoals lint --write-baseline）",
            "findings": dict(sorted(counts.items()))}
    return json.dumps(body, ensure_ascii=False, indent=1) + "\n"


def load(path: Path) -> Counter[str]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        counts = Counter({str(k): int(v) for k, v in raw["findings"].items()})
    except RecursionError:  # [[[[…]]]] thousands deep: not a baseline
        raise InputError(f"基线文件 {path} 嵌套过深，不是 perfgoals 的基线（可删除后用 --write-baseline 重新生成）") from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError, OverflowError) as e:
        raise InputError(f"基线文件 {path} 无法读取：{e}（可删除后用 --write-baseline 重新生成）") from None
    bad = [k for k, v in counts.items() if not 0 < v <= 100_000]
    if bad:
        raise InputError(f"基线文件 {path} 中“{bad[0]}”的次数无效（应为 1 至 100000）；可删除后用 --write-baseline 重新生成")
    return counts


def outside(baseline: Counter[str], files: Iterable[str], rules: Iterable[str], root: Path,
            comparing: Iterable[str] = ()) -> Counter[str]:
    """The baseline entries a run did not cover: those of other files, or of rules it did not run.
    ``--write-baseline`` on a subset keeps them, so accepted findings elsewhere stay accepted.
    ``comparing``: rules that compare a project with others (same-indicator-set …), which a
    subset cannot judge — their entries are kept for every file (pass none for a whole run)."""
    covered_files = {_key(Problem(f, 0, 0, ""), root).split("|", 1)[0] for f in files}
    covered_rules = set(rules) - set(comparing)
    return Counter({k: v for k, v in baseline.items()
                    if k.split("|", 1)[0] not in covered_files or k.split("|")[1] not in covered_rules})


def subtract(problems: Iterable[Problem], baseline: Counter[str], root: Path) -> tuple[list[Problem], int]:
    """The problems the baseline does not cover, and how many it hid."""
    left = Counter(baseline)
    out: list[Problem] = []
    hidden = 0
    for p in problems:
        key = _key(p, root)
        if left[key] > 0:
            left[key] -= 1
            hidden += 1
        else:
            out.append(p)
    return out, hidden


def write(path: Path, result: Any, rules: Iterable[str], root: Path, subset: bool) -> tuple[int, int]:
    """``lint --write-baseline``: every finding of ``result`` into ``path``, keeping the entries
    of the earlier baseline that this run did not cover (other files, rules not run, and on a
    ``subset`` the findings that compare projects). Returns (written, kept)."""
    from ..atomic import write_atomic
    from .registry import RULES
    earlier = load(path) if path.is_file() else Counter()
    comparing = [rid for rid, r in RULES.items() if r.check_all is not None] if subset else []
    kept = outside(earlier, result.checked, rules, root, comparing)
    write_atomic(path, dump(result.problems, root, kept))
    return len(result.problems), sum(kept.values())


def applied(result: Any, path: Path, root: Path) -> Any:
    """``result`` without the findings the baseline at ``path`` accepts (as it is when there is none)."""
    import dataclasses
    if not path.is_file():
        return result
    left, hidden = subtract(result.problems, load(path), root)
    return dataclasses.replace(result, problems=left, hidden_by_baseline=hidden)


def home(paths: Sequence[Path], data_dir: Path | None) -> Path:
    """Where the baseline (and the cache) belong: beside data/ (the current folder for files
    named on the command line outside any data/)."""
    from ..workspace import find_data
    if data_dir is not None:
        return data_dir.parent
    try:
        return find_data().parent
    except InputError:
        if paths:
            return Path.cwd()
        raise
