"""Lint configuration: the built-in preset and a user's ``.perfgoals.yaml``, read by one code path.

Format (both files)::

    rules:                 # rule id → error | warning | info | off
      goal-vague: off
      amount-precision: error
    ignore:                # files not checked (glob, relative to the config file)
      - data/2019/**
    per-path:              # overrides for some files
      - paths: [data/2024/党政办/*]
        rules:
          placeholder-row: off
"""

from __future__ import annotations

import fnmatch
import functools
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping

from .. import loader
from ..problems import InputError, LEVELS
from .registry import RULES

CONFIG_NAME = ".perfgoals.yaml"
_OFF = ("off", "disable", "false", False, None)


@dataclass(frozen=True)
class PathRule:
    patterns: tuple[str, ...]
    levels: Mapping[str, str | None]


@dataclass(frozen=True)
class Config:
    """Levels in force: rule id → level (None = off), with per-path overrides and ignores."""

    levels: Mapping[str, str | None]
    ignore: tuple[str, ...] = ()
    per_path: tuple[PathRule, ...] = ()
    root: Path = field(default_factory=Path.cwd)
    source: str = "内置默认配置"

    def _rel(self, path: str) -> str:
        return _relative(path, str(self.root))

    def ignored(self, path: str) -> bool:
        if not self.ignore:
            return False
        rel = self._rel(path)
        return any(fnmatch.fnmatch(rel, pat) for pat in self.ignore)

    def level(self, rule_id: str, path: str) -> str | None:
        level = self.levels.get(rule_id)
        if self.per_path:
            rel = self._rel(path)
            for pr in self.per_path:
                if rule_id in pr.levels and any(fnmatch.fnmatch(rel, pat) for pat in pr.patterns):
                    level = pr.levels[rule_id]
        return level

    def levels_for(self, path: str) -> str:
        """The levels in force for one file, as a stable text (only where per-path settings apply)."""
        if not self.per_path:
            return ""
        rel = self._rel(path)
        hits = [i for i, pr in enumerate(self.per_path) if any(fnmatch.fnmatch(rel, pat) for pat in pr.patterns)]
        return repr(hits)

    def enabled(self, rule_id: str) -> bool:
        """Whether the rule is on anywhere (globally, or for some paths)."""
        return self.levels.get(rule_id) is not None or any(
            pr.levels.get(rule_id) is not None for pr in self.per_path)

    def fingerprint(self) -> str:
        """A stable text of everything that changes what lint reports (for the cache key)."""
        return repr((sorted(self.levels.items()), self.ignore,
                     [(pr.patterns, sorted(pr.levels.items())) for pr in self.per_path]))

    def only(self, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> "Config":
        """The config narrowed by the CLI's --select / --ignore."""
        select, ignore = tuple(select), tuple(ignore)

        def keep(rid: str) -> bool:
            return not ((select and rid not in select) or rid in ignore)

        levels = {rid: (lv if keep(rid) else None) for rid, lv in self.levels.items()}
        per_path = tuple(PathRule(pr.patterns, {rid: lv for rid, lv in pr.levels.items() if keep(rid)})
                         for pr in self.per_path)
        return Config(levels, self.ignore, per_path, self.root, self.source)


@functools.lru_cache(maxsize=1 << 16)
def _relative(path: str, root: str) -> str:
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def _levels(raw: Any, where: str) -> dict[str, str | None]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InputError(f"{where}：“rules”应为“规则: 级别”的映射")
    out: dict[str, str | None] = {}
    for rid, value in raw.items():
        if rid not in RULES:
            raise InputError(f"{where}：未知的规则“{rid}”（用 perfgoals rules 查看全部规则）")
        if isinstance(value, dict):  # yamllint style: {level: warning} or {enable: false}
            value = "off" if value.get("enable") is False else value.get("level", "error")
        if value in _OFF or (isinstance(value, str) and value.lower() in _OFF):
            out[rid] = None
        elif isinstance(value, str) and value in LEVELS:
            out[rid] = value
        else:
            raise InputError(f"{where}：规则“{rid}”的级别“{value}”无效，应为 error / warning / info / off")
    return out


def parse(text: str, where: str, base: Config | None, root: Path) -> Config:
    """Read a config text on top of ``base`` (the preset when reading a user's file)."""
    try:
        raw = loader.plain(text) or {}
    except loader.BadInput as e:
        raise InputError(f"{where}:{e.line}: 配置文件无法解析：{e.message}") from None
    if not isinstance(raw, dict):
        raise InputError(f"{where}：配置文件应为映射（rules / ignore / per-path）")
    unknown = set(raw) - {"rules", "ignore", "per-path", "extends"}
    if unknown:
        raise InputError(f"{where}：未知的配置项 {'、'.join(sorted(unknown))}（可用：rules、ignore、per-path）")
    levels = dict(base.levels) if base else {}
    levels.update(_levels(raw.get("rules"), where))
    ignore = tuple(str(p) for p in (raw.get("ignore") or ()))
    per_path = []
    for item in raw.get("per-path") or ():
        if not isinstance(item, dict) or "paths" not in item:
            raise InputError(f"{where}：per-path 的每一项应含 paths 与 rules")
        pats = item["paths"]
        per_path.append(PathRule(tuple([pats] if isinstance(pats, str) else pats),
                                 _levels(item.get("rules"), where)))
    return Config(levels, (base.ignore if base else ()) + ignore,
                  (base.per_path if base else ()) + tuple(per_path), root, where)


def default() -> Config:
    """The built-in preset."""
    text = resources.files("perfgoals").joinpath("conf/default.yaml").read_text(encoding="utf-8")
    return parse(text, "内置默认配置", None, Path.cwd())


def find(start: Path) -> Path | None:
    """The nearest ``.perfgoals.yaml`` in ``start`` or its parents."""
    here = start.resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load(explicit: Path | None, start: Path) -> Config:
    """The preset, overridden by ``explicit`` or by the nearest ``.perfgoals.yaml``."""
    base = default()
    path = explicit or find(start)
    if path is None:
        return base
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"无法读取配置文件 {path}：{e}") from None
    return parse(text, str(path), base, path.parent)
