"""Rules across years: a project's targets and 自评 outcomes against its table of the year before.

They see what one lint run holds: lint ``data/`` (every year) and a 2025 table is compared with
its 2024 table and 2024 自评表. A project is the same project in two years when it sits in the
same unit folder under the same 项目名称; an indicator is the same when its 三级指标 name is.
Digests carry only what the comparisons need (row names, target texts, a few numbers).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any, Iterator, Sequence

from .. import scoring
from ..target import parse, weakened
from ..textnorm import squash
from .engine import EvalSource, Entry, Finding, Source, corpus_rule, pack_rows, unpack_rows
from .rules_corpus import _hash

#: 资金 changed by more than this share while every indicator stayed the same: copied forward.
COPIED_CHANGE = Decimal("0.2")
#: actual ≥ this × target in two 自评 running: the target never binds.
NEVER_BINDING = Decimal("1.2")


def _key(text: str | None) -> str:
    return squash(text or "")




def _project_of(digest: tuple[Any, ...]) -> tuple[Any, Any]:
    """The group of the year rules: one project (unit folder, name) over the years."""
    return digest[1], digest[2]


def _by_project(entries: Sequence[Entry], rid: str) -> dict[tuple[Any, Any], dict[tuple[str, int], tuple[Entry, Any]]]:
    """(unit, project name) → (kind, year) → (entry, digest) for one rule's digests."""
    out: dict[tuple[Any, Any], dict[tuple[str, int], tuple[Entry, Any]]] = defaultdict(dict)
    for entry in entries:
        digest = entry.digests.get(rid)
        if digest:
            kind, unit, name, year, *_rest = digest
            out[(unit, name)][(kind, year)] = (entry, digest)
    return out


def _outcomes(src: EvalSource) -> tuple[Any, ...]:
    """Per 自评 row: name key, name, path, position, target and actual text, short of target, and
    actual ÷ target for a "higher is better" number (None otherwise)."""
    ev = src.evaluation
    rows = []
    for i in scoring.score(ev).indicators:
        row = next(r for p, _g, _k, r in ev.rows() if p == i.path)
        goal, got = parse(row.target), parse(row.actual)
        ratio = None
        if goal.kind in ("number", "percent") and goal.op not in ("≤", "<") and goal.number and got.number is not None:
            ratio = str(got.number / goal.number)
        line, col = ev.position(i.path)
        rows.append((row.name, i.path, line, col, row.target, row.actual, "1" if i.short else "", ratio))
    return ("selfeval", src.folder_unit or ev.unit, _key(ev.name), ev.year, pack_rows(rows))


def _targets(src: Source) -> tuple[Any, ...]:
    p = src.project
    rows = [(r.name, path, *p.position(path), r.value) for (path, _g, _i, r), key in zip(p.rows(), p.row_keys())
            if key and r.value]
    return ("target", src.folder_unit or p.unit, _key(p.name), p.year, pack_rows(rows))


def _digest(src: Source | EvalSource) -> tuple[Any, ...] | None:
    doc = src.doc
    if src.kind == "monitor" or doc.year is None or not doc.name:  # the years compare targets and results
        return None
    return _outcomes(src) if isinstance(src, EvalSource) else _targets(src)  # tuples of plain values already


@corpus_rule("lowered-after-miss", "warning", digest=_digest, group=_project_of, kind="any")
def lowered_after_miss(entries: Sequence[Entry]) -> Iterator[tuple[Entry, Finding]]:
    """上一年度自评没有达到的指标，本年度目标反而降低了：未完成就降目标。

    需要上一年度的目标表与自评表、本年度的目标表一起检查（perfgoals lint 检查整个 data/）。
    依据：财预〔2020〕10号——自评结果应用于改进管理和下年预算；未完成目标应分析原因、改进，而不是降低目标。
    通过：2023 年目标 ≥200人、自评实际 186人；2024 年目标 ≥200人
    不通过：2023 年目标 ≥200人、自评实际 186人；2024 年目标 ≥180人
    """
    for years in _by_project(entries, "lowered-after-miss").values():
        for (kind, year), (entry, digest) in years.items():
            last_target, last_eval = years.get(("target", year - 1)), years.get(("selfeval", year - 1))
            if kind != "target" or last_target is None or last_eval is None:
                continue
            before = {_key(row[0]): row[4] for row in unpack_rows(last_target[1][4])}
            missed = {_key(row[0]): row for row in unpack_rows(last_eval[1][4]) if row[6]}
            for name, path, line, col, value in unpack_rows(digest[4]):
                key = _key(name)
                if key in missed and key in before:
                    why = weakened(parse(before[key]), parse(value))
                    if why:
                        actual = missed[key][5] or "空白"
                        yield entry, Finding(path, f"“{name}”{why}：{year - 1} 年度目标“{before[key]}”自评实际只完成“{actual}”，"
                                                   f"本年度改为“{value}”；未完成目标应分析原因、改进，而不是降低目标"
                                                   "（10号·结果应用）", at=(int(line), int(col)))


@corpus_rule("target-never-binding", "warning", digest=_digest, group=_project_of, kind="any")
def target_never_binding(entries: Sequence[Entry]) -> Iterator[tuple[Entry, Finding]]:
    """连续两个年度的自评中，实际完成值都达到目标的 1.2 倍以上：目标定得过低，起不到约束作用。

    只看“越多越好”的数量、比率指标（≥、以上或不写比较符）。需要两个年度的自评表一起检查。
    依据：财预〔2015〕88号“合理可行”——目标应经过努力才能实现；财预〔2020〕10号——自评结果用于调整下年目标。
    通过：2023 年目标 ≥200人、实际 210人；2024 年目标 ≥200人、实际 230人
    不通过：2023 年目标 ≥200人、实际 260人；2024 年目标 ≥200人、实际 250人
    """
    for years in _by_project(entries, "target-never-binding").values():
        for (kind, year), (entry, digest) in years.items():
            last = years.get(("selfeval", year - 1))
            if kind != "selfeval" or last is None:
                continue
            before = {_key(row[0]): row for row in unpack_rows(last[1][4]) if row[7]}
            for name, path, line, col, target, actual, _short, ratio in unpack_rows(digest[4]):
                old = before.get(_key(name))
                if ratio and old is not None and Decimal(ratio) >= NEVER_BINDING and Decimal(old[7]) >= NEVER_BINDING:
                    yield entry, Finding(path, f"“{name}”连续两年实际完成远超目标（{year - 1} 年度目标“{old[4]}”实际“{old[5]}”，"
                                               f"本年度目标“{target}”实际“{actual}”）：目标定得过低，应按实际水平提高"
                                               "（88号·合理可行）", at=(int(line), int(col)))


def _copied_digest(src: Source) -> tuple[Any, ...] | None:
    p = src.project
    if p.year is None or not p.name:
        return None
    rows = sorted((g.level2, key, _key(r.value)) for (_path, g, _i, r), key in zip(p.rows(), p.row_keys()) if key)
    annual = p.amount_in_wan(p.annual.total)
    return ("target", src.folder_unit or p.unit, _key(p.name), p.year, _hash(rows),
            None if annual is None else str(annual), len(rows))


@corpus_rule("indicators-copied", "warning", digest=_copied_digest, group=_project_of)
def indicators_copied(entries: Sequence[Entry]) -> Iterator[tuple[Entry, Finding]]:
    """与上一年度的表相比，全部指标及指标值一字不差，而年度资金申请总额变化超过 20%：指标是照抄的。

    需要两个年度的目标表一起检查。
    依据：财预〔2015〕88号“相应匹配”——绩效目标应与预算资金相匹配；资金大增大减而目标不变，说明目标没有重新测算。
    通过：资金由 30 万元增至 40 万元，服务人数目标由 ≥200人 提高到 ≥260人
    不通过：资金由 30 万元增至 40 万元，全部指标与上年相同
    """
    for years in _by_project(entries, "indicators-copied").values():
        for (_kind, year), (entry, digest) in years.items():
            last = years.get(("target", year - 1))
            if last is None:
                continue
            _k, _u, _n, _y, rows, annual, count = digest
            _k, _u, _n, _y, old_rows, old_annual, _c = last[1]
            if rows != old_rows or count < 3 or annual is None or old_annual is None or Decimal(old_annual) == 0:
                continue
            change = (Decimal(annual) - Decimal(old_annual)) / Decimal(old_annual)
            if abs(change) > COPIED_CHANGE:
                yield entry, Finding("绩效指标", f"全部 {count} 个指标及指标值与 {year - 1} 年度相同，而年度资金申请总额由 "
                                             f"{Decimal(old_annual).normalize():f} 万元变为 {Decimal(annual).normalize():f} 万元"
                                             f"（{change * 100:+.0f}%）：目标应按资金重新测算（88号·相应匹配）")


@corpus_rule("target-lowered", "warning", digest=_digest, group=_project_of, kind="any")
def target_lowered(entries: Sequence[Entry]) -> Iterator[tuple[Entry, Finding]]:
    """同一项目同一指标的年度指标值比上一年度降低（数值降低、频次减少、期限推后）。

    两个年度的表一起检查时（如 perfgoals lint 检查整个 data/），按单位文件夹与项目名称、三级指标名称对应。
    依据：财预〔2020〕10号——绩效目标应逐年优化；资金不减而目标降低，审核时应说明理由。
    通过：2023 年“活动开展次数 ≥12次”，2024 年“≥12次”
    不通过：2023 年“活动开展次数 ≥12次”，2024 年“≥10次”
    """
    for years in _by_project(entries, "target-lowered").values():
        for (kind, year), (entry, digest) in years.items():
            last = years.get(("target", year - 1))
            if kind != "target" or last is None:
                continue
            before = {_key(row[0]): row[4] for row in unpack_rows(last[1][4])}
            for name, path, line, col, value in unpack_rows(digest[4]):
                old = before.get(_key(name))
                if old is not None:
                    why = weakened(parse(old), parse(value))
                    if why:
                        yield entry, Finding(path, f"“{name}”{why}：{year - 1} 年度为“{old}”，本年度为“{value}”，"
                                                   "请说明理由（10号·目标应逐年优化）", at=(int(line), int(col)))
