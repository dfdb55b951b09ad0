"""Lint configuration: the built-in preset and a user's ``.perfgoals.yaml``, read by one code path.

Format (both files)::

    rules:                 # rule id → error | warning | info | off
      goal-vague: off
      amount-precision: error
    ignore:                # files not checked (glob, relative to the config file): a list
      - data/2019/**
    per-path:              # overrides for some files
      - paths: [data/2024/党政办/*]
        rules:
          placeholder-row: off
    extends: default       # optional: the preset's name, or another config file to build on
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Mapping, NoReturn

from .. import loader, money
from ..problems import InputError, LEVELS
from .registry import RULES

CONFIG_NAME = ".perfgoals.yaml"


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
    #: Rule id → options set in configuration files (over the rule's own defaults).
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    #: The ``score:`` section: how a 自评表 is scored (`scoring.Policy.from_options`).
    score: Mapping[str, Any] = field(default_factory=dict)
    #: The ``monitor:`` section: the 预警 bounds and the month (`monitor.Thresholds.from_options`).
    monitor: Mapping[str, Any] = field(default_factory=dict)
    #: whether inline ``# perfgoals: disable=…`` comments hide findings (a review's strict pass: not)
    inline: bool = True

    def policy(self) -> Any:
        from ..scoring import Policy
        return Policy.from_options(self.score)

    def thresholds(self) -> Any:
        from ..monitor import Thresholds
        return Thresholds.from_options(self.monitor)

    def options_for(self, rule_id: str) -> Mapping[str, Any]:
        """A rule's options: its defaults, then what the configuration sets."""
        return self._options[rule_id]

    @functools.cached_property
    def _options(self) -> dict[str, Mapping[str, Any]]:
        """Every rule's options, worked out once: lint asks for them per rule and per file."""
        policy = self.policy() if any(r.kind == "selfeval" for r in RULES.values()) else None
        table: dict[str, Mapping[str, Any]] = {}
        for rule_id, rule in RULES.items():
            found = {**rule.options, **self.options.get(rule_id, {})}
            if rule.kind == "selfeval":  # 自评 rules score as `perfgoals score` does
                found["policy"] = policy
            if rule.kind == "monitor":  # 监控 rules light as `perfgoals monitor` does
                found["thresholds"] = self.thresholds()
            table[rule_id] = found
        return table

    def _rel(self, path: str) -> str:
        return _relative(path, str(self.root))

    def ignored(self, path: str) -> bool:
        if not self.ignore:
            return False
        rel = self._rel(path)
        return any(glob_match(rel, pat) for pat in self.ignore)

    def level(self, rule_id: str, path: str) -> str | None:
        level = self.levels.get(rule_id)
        if self.per_path:
            rel = self._rel(path)
            for pr in self.per_path:
                if rule_id in pr.levels and any(glob_match(rel, pat) for pat in pr.patterns):
                    level = pr.levels[rule_id]
        return level

    def levels_for(self, path: str) -> str:
        """The levels in force for one file, as a stable text (only where per-path settings apply)."""
        if not self.per_path:
            return ""
        rel = self._rel(path)
        hits = [i for i, pr in enumerate(self.per_path) if any(glob_match(rel, pat) for pat in pr.patterns)]
        return repr(hits)

    def enabled(self, rule_id: str) -> bool:
        """Whether the rule is on anywhere (globally, or for some paths)."""
        return self.levels.get(rule_id) is not None or any(
            pr.levels.get(rule_id) is not None for pr in self.per_path)

    def fingerprint(self) -> str:
        """A stable text of everything that changes what lint reports (for the cache key)."""
        return repr((sorted(self.levels.items()), self.ignore,
                     [(pr.patterns, sorted(pr.levels.items())) for pr in self.per_path],
                     sorted((k, sorted(v.items())) for k, v in self.options.items()),
                     sorted((k, repr(v)) for k, v in self.score.items()),  # 自评 rules score by it
                     sorted((k, repr(v)) for k, v in self.monitor.items()),  # 监控 rules light by it
                     self.inline))

    def only(self, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> "Config":
        """The config narrowed by the CLI's --select / --ignore."""
        select, ignore = tuple(select), tuple(ignore)

        def keep(rid: str) -> bool:
            return not ((select and rid not in select) or rid in ignore)

        levels = {rid: (lv if keep(rid) else None) for rid, lv in self.levels.items()}
        per_path = tuple(PathRule(pr.patterns, {rid: lv for rid, lv in pr.levels.items() if keep(rid)})
                         for pr in self.per_path)
        return Config(levels, self.ignore, per_path, self.root, self.source, self.options, self.score, self.monitor,
                      self.inline)


@functools.lru_cache(maxsize=1 << 16)
def glob_match(path: str, pattern: str) -> bool:
    """Whether a path (relative, with "/") matches a pattern the way .gitignore patterns do:
    ``*`` and ``?`` stay within one folder, ``**/`` is zero or more folders (so
    ``data/2024/妇联/**/*.yaml`` takes the files directly in 妇联 too), a trailing ``/**``
    everything inside."""
    return _glob(pattern).fullmatch(path) is not None


@functools.lru_cache(maxsize=256)
def _glob(pattern: str) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("(?:/.*)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2:]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1:end]
            out.append("[" + ("^" + re.escape(body[1:]) if body.startswith("!") else re.escape(body)) + "]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


def _relative(path: str, root: str) -> str:
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


_KEYS = ("rules", "ignore", "per-path", "extends", "score", "monitor")
_SCORE_KEYS = ("档次", "部分达成用词", "未达成用词", "等级", "反向指标归零倍数")
_PRESET = ("default", "perfgoals:default")


class _Reader:
    """A configuration file checked against its schema, every error naming the key's line."""

    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, node: Any, message: str) -> NoReturn:
        raise InputError(f"{self.where}:{getattr(node, 'line', 1)}: {message}")

    def mapping(self, node: Any, what: str) -> list[tuple[Any, Any]]:
        if node is None or (isinstance(node, loader.Scalar) and node.kind == "null"):
            return []
        if not isinstance(node, loader.Mapping):
            self.fail(node, f"{what}应为“键: 值”的映射")
        return list(node.items)

    def strings(self, node: Any, what: str, example: str, item_name: str = "路径模式") -> tuple[str, ...]:
        """A list of texts (a lone text is refused: its characters are not patterns); ``item_name``
        says what each text is (路径模式, 用词…)."""
        if node is None or (isinstance(node, loader.Scalar) and node.kind == "null"):
            return ()
        if not isinstance(node, loader.Sequence):
            self.fail(node, f"{what}应为列表（每项一个{item_name}），如 {example}")
        out = []
        for item in node.items:
            if not isinstance(item, loader.Scalar) or item.kind != "str" or not item.text.strip():
                self.fail(item, f"{what}的每一项应为{item_name}文字，实为“{_shown(item)}”")
            out.append(item.text)
        return tuple(out)

    def levels(self, node: Any, what: str, options: dict[str, dict[str, Any]] | None = None) -> dict[str, str | None]:
        """Rule id → level; a rule's other keys (its options) go into ``options`` when given."""
        out: dict[str, str | None] = {}
        for key, value in self.mapping(node, what):
            rid = key.text
            if rid not in RULES:
                from difflib import get_close_matches
                close = get_close_matches(rid, list(RULES), n=1)
                hint = f"，是否应为“{close[0]}”？" if close else "（用 perfgoals rules 查看全部规则）"
                self.fail(key, f"未知的规则“{rid}”{hint}")
            level: Any = value.text if isinstance(value, loader.Scalar) else None
            if isinstance(value, loader.Mapping):  # yamllint style: {level: warning} or {enable: false}
                fields = {k.text: v for k, v in value.items}
                self.rule_options(rid, value, options)
                enable = fields.get("enable")
                level = ("off" if isinstance(enable, loader.Scalar) and enable.text.lower() == "false"
                         else fields["level"].text if isinstance(fields.get("level"), loader.Scalar) else "error")
            if isinstance(value, loader.Scalar) and value.kind == "null":
                level = "off"
            if isinstance(level, str) and level.lower() in ("off", "disable", "false"):
                out[rid] = None
            elif level in LEVELS:
                out[rid] = level
            else:
                self.fail(value, f"规则“{rid}”的级别“{_shown(value)}”无效，应为 error / warning / info / off")
        return out


    def rule_options(self, rid: str, node: Any, into: dict[str, dict[str, Any]] | None) -> None:
        """A rule's options from its mapping (other than level/enable), checked against its defaults."""
        known = RULES[rid].options
        for key, value in node.items:
            if key.text in ("level", "enable"):
                continue
            if key.text not in known:
                can = "、".join(known) or "无"
                self.fail(key, f"规则“{rid}”没有选项“{key.text}”（可用的选项：{can}）")
            if into is None:
                self.fail(key, "规则选项只能在顶层 rules 中设置，不能用于 per-path")
            default = known[key.text]
            if isinstance(default, (int, float, Decimal)) and not isinstance(default, bool):
                if not isinstance(value, loader.Scalar) or value.kind not in ("int", "float"):
                    self.fail(value, f"规则“{rid}”的选项“{key.text}”应为数字，实为“{_shown(value)}”")
                number = money.parse(value.text)  # .nan, .inf, 0x10, 1e999999999: not a number here
                if number is None or abs(number) > Decimal(10) ** 12:
                    self.fail(value, f"规则“{rid}”的选项“{key.text}”应为绝对值不超过 10¹² 的普通数字（如 50），"
                                     f"实为“{loader._short(value.text)}”")
                into.setdefault(rid, {})[key.text] = number
            else:
                if not isinstance(value, loader.Scalar) or value.kind != "str":
                    self.fail(value, f"规则“{rid}”的选项“{key.text}”应为文字，实为“{_shown(value)}”")
                into.setdefault(rid, {})[key.text] = value.text


def _shown(node: Any) -> str:
    return node.text if isinstance(node, loader.Scalar) else "（列表或映射）"


def parse(text: str, where: str, base: Config | None, root: Path, seen: tuple[str, ...] = ()) -> Config:
    """Read a config text on top of ``base`` (the preset when reading a user's file), checked
    against the schema: wrong types, unknown keys and rule ids are errors with the key's line.
    ``extends:`` names the preset (``default``) or another file (relative to this one)."""
    reader = _Reader(where)
    try:
        tree = loader.compose(text) if text.strip() else None
    except loader.BadInput as e:
        raise InputError(f"{where}:{e.line}: 配置文件无法解析：{e.message}") from None
    items = dict((k.text, (k, v)) for k, v in reader.mapping(tree, "配置文件"))
    for name, (key, _value) in items.items():
        if name not in _KEYS:
            reader.fail(key, f"未知的配置项“{name}”（可用：{'、'.join(_KEYS)}）")
    if "extends" in items:
        key, value = items["extends"]
        if not isinstance(value, loader.Scalar) or value.kind != "str":
            reader.fail(value, "extends 应为内置配置名 default 或另一个配置文件的路径")
        if value.text not in _PRESET:
            target = (root / value.text).resolve()
            if str(target) in seen:
                reader.fail(value, f"extends 形成循环：{value.text}")
            try:
                parent_text = target.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as e:
                reader.fail(value, f"extends 指向的配置文件无法读取：{target}（{getattr(e, 'strerror', None) or e}）")
            base = parse(parent_text, str(target), base, target.parent, (*seen, str(target)))
    levels = dict(base.levels) if base else {}
    options: dict[str, dict[str, Any]] = {k: dict(v) for k, v in (base.options if base else {}).items()}
    levels.update(reader.levels(items.get("rules", (None, None))[1], "rules ", options))
    ignore = reader.strings(items.get("ignore", (None, None))[1], "ignore ", "ignore: [data/2019/**]")
    per_path = []
    node = items.get("per-path", (None, None))[1]
    if node is not None and not isinstance(node, loader.Sequence):
        reader.fail(node, "per-path 应为列表，每项含 paths 与 rules")
    for item in node.items if isinstance(node, loader.Sequence) else ():
        fields = dict((k.text, (k, v)) for k, v in reader.mapping(item, "per-path 的每一项"))
        for name, (key, _v) in fields.items():
            if name not in ("paths", "rules"):
                reader.fail(key, f"per-path 中未知的项“{name}”（可用：paths、rules）")
        if "paths" not in fields:
            reader.fail(item, "per-path 的每一项应含 paths 与 rules")
        pats = fields["paths"][1]
        if isinstance(pats, loader.Scalar) and pats.kind == "str":
            patterns: tuple[str, ...] = (pats.text,)
        else:
            patterns = reader.strings(pats, "paths ", "paths: [data/2024/党政办/*]")
        per_path.append(PathRule(patterns, reader.levels(fields.get("rules", (None, None))[1], "rules ")))
    score = dict(base.score) if base else {}
    score.update(_score(reader, items.get("score", (None, None))[1]))
    monitor = dict(base.monitor) if base else {}
    monitor.update(_monitor(reader, items.get("monitor", (None, None))[1]))
    return Config(levels, (base.ignore if base else ()) + ignore,
                  (base.per_path if base else ()) + tuple(per_path), root, where, options, score, monitor)


def _number(reader: _Reader, node: Any, what: str) -> Decimal:
    if not isinstance(node, loader.Scalar) or node.kind not in ("int", "float"):
        reader.fail(node, f"{what}应为数字")
    number = money.parse(node.text)
    if number is None or abs(number) > Decimal(10) ** 12:
        reader.fail(node, f"{what}应为普通数字（如 80），实为“{loader._short(node.text)}”")
    return number


def _score(reader: _Reader, node: Any) -> dict[str, Any]:
    """The ``score:`` section, checked: tier bands in percent, tier words, grade limits."""
    out: dict[str, Any] = {}
    for key, value in reader.mapping(node, "score "):
        name = key.text
        if name not in _SCORE_KEYS:
            reader.fail(key, f"score 中未知的项“{name}”（可用：{'、'.join(_SCORE_KEYS)}）")
        if name in ("部分达成用词", "未达成用词"):
            out[name] = reader.strings(value, f"score.{name} ", f"{name}: [基本, 部分]", "用词")
        elif name == "反向指标归零倍数":
            out[name] = _number(reader, value, "score.反向指标归零倍数")
        elif name == "等级":
            out[name] = {k.text: _number(reader, v, f"score.等级.{k.text}") for k, v in reader.mapping(value, "score.等级 ")}
        else:
            bands = {}
            for k, v in reader.mapping(value, "score.档次 "):
                if k.text not in ("达成", "部分达成", "未达成"):
                    reader.fail(k, f"score.档次 只能设 达成、部分达成、未达成，实为“{k.text}”")
                if not isinstance(v, loader.Sequence) or len(v.items) != 2:
                    reader.fail(v, f"score.档次.{k.text} 应为 [最低百分比, 最高百分比]，如 [80, 100]")
                lo, hi = (_number(reader, n, f"score.档次.{k.text}") for n in v.items)
                if not 0 <= lo <= hi <= 100:
                    reader.fail(v, f"score.档次.{k.text} 应满足 0 ≤ 最低 ≤ 最高 ≤ 100")
                bands[k.text] = (lo, hi)
            out[name] = bands
    return out


def _monitor(reader: _Reader, node: Any) -> dict[str, Any]:
    """The ``monitor:`` section, checked: 红 and 黄 (进度比 bounds in percent, 红 < 黄) and 月份 (1–12)."""
    out: dict[str, Any] = {}
    for key, value in reader.mapping(node, "monitor "):
        if key.text not in ("红", "黄", "月份"):
            reader.fail(key, f"monitor 中未知的项“{key.text}”（可用：红、黄、月份）")
        number = _number(reader, value, f"monitor.{key.text}")
        if key.text == "月份" and (number != int(number) or not 1 <= number <= 12):
            reader.fail(value, "monitor.月份 应为 1 到 12 的整数（1-N月的 N）")
        if key.text in ("红", "黄") and not 0 <= number <= 1000:
            reader.fail(value, f"monitor.{key.text} 应为 0 到 1000 之间的百分数（如 60）")
        out[key.text] = number
    if "红" in out and "黄" in out and out["红"] > out["黄"]:
        reader.fail(node, "monitor.红 应不大于 monitor.黄（红：进度比低于它；黄：低于黄、不低于红）")
    return out


def default() -> Config:
    """The built-in preset: every rule at the level it declares beside its code."""
    return Config({rid: (None if r.level == "off" else r.level) for rid, r in RULES.items()}, root=Path.cwd())


def find(start: Path) -> Path | None:
    """The nearest ``.perfgoals.yaml`` in ``start`` or its parents."""
    from ..workspace import nearest
    folder = nearest(start, lambda f: (f / CONFIG_NAME).is_file())
    return None if folder is None else folder / CONFIG_NAME


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
