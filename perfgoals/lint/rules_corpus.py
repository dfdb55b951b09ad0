"""Rules across projects: indicators copied from another project, duplicate names."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Iterator, Sequence

from .. import model as m
from ..textnorm import squash
from .engine import Entry, Finding, Source, corpus_rule, rule

#: Beneficiary groups and subjects that belong to particular projects, each with the words
#: that show a project is about it. A row naming a subject that the project's own name, unit
#: and goals never touch was most likely copied from another table.
SUBJECTS: dict[str, tuple[str, ...]] = {
    "残疾人": ("残疾", "残联", "助残", "无障碍", "残车", "轮椅", "阳光"),
    "孤儿": ("孤儿",),
    "殡葬": ("殡葬", "墓", "祭扫", "丧"),
    "免费筛查": ("筛查",),
    "特困": ("特困",),
    "劳模": ("劳模", "劳动模范"),
    "老干部": ("老干部", "离退休干部"),
    "民兵": ("民兵", "国防", "武装"),
    "选调生": ("选调生",),
    "乡村医生": ("乡村医生", "村医"),
    "独生子女": ("独生子女", "计划生育"),
    "协管员": ("协管员",),
    "妇女": ("妇女", "女性", "妇联", "妇科"),
    "青少年": ("青少年", "青年", "学生", "团"),
}


def _own_text(p: m.Project) -> str:
    return "".join(t or "" for t in (p.name, p.goal_total, p.goal_annual))


@rule("copied-subject", "warning")
def copied_subject(src: Source) -> Iterator[Finding]:
    """指标提到的服务对象或事项（如“残疾人”“孤儿”“殡葬”“免费筛查”）在本项目名称和目标中从未出现，多半是从别的表抄来的。

    依据：财预〔2015〕88号“相关性”——绩效指标应与本项目的绩效目标直接相关。
    通过：项目名称: 残疾人交通补贴 / 服务对象满意度指标: 残疾人满意度 ≥90%
    不通过：项目名称: 界桩界线管理费 / 服务对象满意度指标: 残疾人满意度 ≥90%
    """
    p = src.project
    own = _own_text(p)
    for path, _g, _i, row in p.rows():
        text = f"{row.name or ''}{row.value or ''}"
        for word, evidence in SUBJECTS.items():
            if word in text and not any(e in own for e in evidence):
                yield Finding(path, f"“{row.name}”涉及“{word}”，但本项目名称和绩效目标中没有“{word}”：是否从其他项目复制而来？")
                break


def _key(name: str | None) -> str:
    return squash(name or "")


def _hash(*parts: object) -> str:
    """A short fingerprint: corpus digests stay 32 characters however large a project is."""
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=16).hexdigest()


def _indicator_set(src: Source) -> str | None:
    rows = sorted({(g.level2, _key(r.name)) for _p, g, _i, r in src.project.rows() if r.name and _key(r.name)})
    return _hash(src.project.year, rows) if len(rows) >= 3 else None


def same_digest(entries: Sequence[Entry], rule_id: str) -> Iterator[list[Entry]]:
    """Groups of two or more projects whose digest for ``rule_id`` is the same."""
    groups: dict[object, list[Entry]] = defaultdict(list)
    for entry in entries:
        digest = entry.digests.get(rule_id)
        if digest is not None:
            groups[digest].append(entry)
    return (g for g in groups.values() if len(g) > 1)


@corpus_rule("same-indicator-set", "warning", digest=_indicator_set)
def same_indicator_set(entries: Sequence[Entry]) -> Iterator[tuple[Entry, Finding]]:
    """两个项目的三级指标完全相同（至少 3 个），说明指标没有针对本项目设置。

    依据：财预〔2015〕88号“相关性”“相应匹配”——不同项目的产出和效益不同，指标也应不同。
    通过：两个项目各自设置与本项目相关的指标
    不通过：“主题教育保障经费”与“党建引领基层治理保障经费”的指标名称一一相同
    """
    for group in same_digest(entries, "same-indicator-set"):
        for entry in group:
            others = "、".join(f"“{o.name}”" for o in group[:6] if o is not entry)
            more = f"等 {len(group) - 1} 个项目" if len(group) > 6 else ""
            yield entry, Finding(m.K_INDICATORS, f"本项目的三级指标与{others}{more}完全相同：指标应针对本项目设置")


def _name_key(src: Source) -> str | None:
    return _hash(src.project.year, _key(src.project.name)) if src.project.name else None


@corpus_rule("duplicate-project-name", "error", digest=_name_key)
def duplicate_project_name(entries: Sequence[Entry]) -> Iterator[tuple[Entry, Finding]]:
    """同一年度内项目名称不能重复。

    依据：常识——同名项目在汇总、对比和预算批复中无法区分。
    通过：每个项目名称唯一
    不通过：两个 2024 年项目都叫“日常运作”
    """
    for group in same_digest(entries, "duplicate-project-name"):
        for entry in group:
            others = "、".join(o.path for o in group[:6] if o is not entry)
            yield entry, Finding(m.K_NAME, f"项目名称“{entry.name}”在同一年度重复（另见 {others}）")
