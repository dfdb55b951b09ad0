"""What a pull request does to the checks themselves: its configuration against the base
revision's (rules turned off or lowered, wider ``ignore`` or ``per-path``), the inline
``# perfgoals: disable=…`` comments it adds, and an edited baseline.

A pull request could otherwise silence its own checks: add ``funds-total-sum: off`` and the
review says "错误 0". `review.build` reads this, and when anything changed it also lints both
revisions under the base's configuration with no inline suppressions: what that finds new and
the pull request's own settings do not show is "被本次配置隐藏的问题".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from . import gitsource
from .lint import config as lconf
from .lint.baseline import BASELINE_NAME
from .problems import LEVEL_NAMES, InputError
from .workspace import ProjectFile

_DISABLE = re.compile(r"#\s*perfgoals:\s*disable=[\w,\-]+")
_RANK = {"error": 0, "warning": 1, "info": 2, None: 3}


@dataclass(frozen=True)
class ConfigChange:
    """The pull request's changes to the checks, in words, and the base's configuration."""

    lines: list[str] = field(default_factory=list)
    #: (file, line, comment) of every inline suppression the pull request adds
    suppressions: list[tuple[str, int, str]] = field(default_factory=list)
    #: the base revision's configuration (the strict pass lints under it)
    base: lconf.Config | None = None

    @property
    def any(self) -> bool:
        return bool(self.lines or self.suppressions)


def _level(level: str | None) -> str:
    return "关闭" if level is None else LEVEL_NAMES.get(level, level)


def describe(base: lconf.Config, head: lconf.Config) -> list[str]:
    """The differences of two configurations that change what lint reports, in words."""
    out: list[str] = []
    for rid in sorted(set(base.levels) | set(head.levels)):
        before, after = base.levels.get(rid), head.levels.get(rid)
        if before != after:
            verb = "关闭" if after is None else "开启" if before is None else f"由{_level(before)}改为{_level(after)}"
            out.append(f"{verb} {rid}" if after is None or before is None else f"{rid} {verb}")
    out += [f"ignore 新增 {p}" for p in head.ignore if p not in base.ignore]
    out += [f"ignore 删去 {p}" for p in base.ignore if p not in head.ignore]
    for rule in head.per_path:
        if rule not in base.per_path:
            said = "，".join(f"{rid} {_level(lv)}" for rid, lv in sorted(rule.levels.items()))
            out.append(f"per-path 新增 {'、'.join(rule.patterns)}：{said}")
    out += [f"per-path 删去 {'、'.join(r.patterns)}" for r in base.per_path if r not in head.per_path]
    for rid in sorted(set(base.options) | set(head.options)):
        before_opts, after_opts = base.options.get(rid, {}), head.options.get(rid, {})
        for key in sorted(set(before_opts) | set(after_opts)):
            if before_opts.get(key) != after_opts.get(key):
                out.append(f"{rid} 的选项 {key}：{before_opts.get(key, '默认')} → {after_opts.get(key, '默认')}")
    for section, before_map, after_map in (("score", base.score, head.score), ("monitor", base.monitor, head.monitor)):
        if dict(before_map) != dict(after_map):
            out.append(f"{section} 一节改为 {dict(after_map) or '默认'}（原为 {dict(before_map) or '默认'}）")
    return out


def suppressions_added(base: Sequence[ProjectFile], head: Sequence[ProjectFile]) -> list[tuple[str, int, str]]:
    """Every ``# perfgoals: disable=…`` line of the head's files that the same file at the base
    does not have (a file new in the head: all of them)."""
    before: dict[str, set[str]] = {}
    for f in base:
        before[f.shown] = {m.group(0) for m in _DISABLE.finditer(_text(f.path))}
    out = []
    for f in head:
        text = _text(f.path)
        if "perfgoals:" not in text:
            continue
        known = before.get(f.shown, set())
        for number, line in enumerate(text.splitlines(), start=1):
            hit = _DISABLE.search(line)
            if hit and hit.group(0) not in known:
                out.append((f.shown, number, hit.group(0)))
    return out


def _text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return ""


def read(rng: gitsource.Range, repo: Path, data: Path, head: lconf.Config, base_files: Sequence[ProjectFile],
         head_files: Sequence[ProjectFile]) -> ConfigChange:
    """The pull request's changes to the checks: its configuration file (the one the head uses,
    or the base's at the same place), the baseline beside data/, and the suppressions it adds."""
    where = Path(head.source) if head.source != lconf.Config.source else _place(Path.cwd(), repo)
    base = default = lconf.default()
    text = gitsource.blob_at(rng.base, repo, where) if where is not None else None
    if text is not None and where is not None:
        try:
            base = lconf.parse(text.decode("utf-8-sig"), f"{rng.base_label}:{where.name}", default, where.parent)
        except (InputError, UnicodeDecodeError):
            base = default  # a base configuration that cannot be read: judge by the built-in one
    lines = describe(base, head)
    baseline = data.parent / BASELINE_NAME
    if gitsource.blob_at(rng.base, repo, baseline) != gitsource.blob_at(rng.head, repo, baseline):
        lines.append(f"修改了基线文件 {BASELINE_NAME}（其中列出的问题 lint 不再报告）")
    return ConfigChange(lines, suppressions_added(base_files, head_files), base)


def _place(start: Path, repo: Path) -> Path | None:
    """Where a configuration would be found from ``start`` (its nearest folder up to the repo)."""
    for folder in (start, *start.parents):
        if (folder / lconf.CONFIG_NAME).exists() or folder.resolve() == repo.resolve():
            return folder / lconf.CONFIG_NAME
    return None
