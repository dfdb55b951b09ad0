"""Rules across projects: indicators copied from another project, duplicate names."""

from __future__ import annotations

import functools
import hashlib
import operator
import re
from collections import Counter, defaultdict
from itertools import chain
from typing import Any, Iterator, Sequence

from .. import model as m
from ..textnorm import squash
from .engine import Entry, Finding, Source, corpus_rule, pack_rows, unpack_rows

#: Two-character words of project names that say nothing about whom or what a project serves.
_GENERIC = frozenset("经费 补贴 补助 工作 项目 建设 活动 管理 服务 保障 发放 专项 运作 运行 运营 费用 浦江 政府 资金 "
                     "维修 日常 相关 开展 经常 考核 中心 全年 年度".split())
#: Words that stand for the same people or matter: a project about 智障人士 is about 残疾人 too.
#: Only used to see that a project does concern a word; the words to check come from its siblings.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "残疾": ("残联", "助残", "智障", "精神", "阳光", "无障碍", "残车", "轮椅"),
    "职工": ("员工", "干部", "机关", "工作人员", "公务员", "借调", "食堂", "办公", "大楼", "用餐"),
    "民兵": ("国防", "武装", "后备"),
    "教育": ("培训", "学习"),
    "劳模": ("劳动模范",),
    "孤儿": ("散居儿童",),
}
_CJK = re.compile(r"[\u4e00-\u9fff]+")


def _bigrams(text: str | None) -> frozenset[str]:
    """The two-character words of a text; those of short texts (row names, which repeat across a
    corpus) are remembered, long goal texts are not."""
    text = text or ""
    return _short_bigrams(text) if len(text) <= 40 else _words_of(text)


def _words_of(text: str) -> frozenset[str]:
    return frozenset(pair for run in _CJK.findall(text) for pair in map(operator.add, run, run[1:]))


_short_bigrams = functools.lru_cache(maxsize=4096)(_words_of)


@functools.lru_cache(maxsize=4096)
def _telling(name: str) -> frozenset[str]:
    """The two-character words of a row name that could name a subject (`_GENERIC` taken out);
    row names repeat across a corpus: remembered."""
    return _words_of(name) - _GENERIC


def _subject_digest(src: Source) -> tuple[Any, ...]:
    """What copied-subject needs of a project: its unit, the words of its name, and for each row the
    words that the project's own name, unit, goals and other rows never use."""
    p = src.project
    rows = [(path, row.name or "", key) for (path, _g, _i, row), key in zip(p.rows(), p.row_keys()) if key]
    # a two-character word of a row is the project's own when its name, unit or goals hold it
    # (row words are Chinese characters only, so a substring test is the same as a word-set one)
    own = "".join(t or "" for t in (p.name, p.unit, p.goal_total, p.goal_annual))
    about = "".join(t or "" for t in (p.name, p.goal_total, p.goal_annual))  # not the unit's remit
    words = [_telling(name) for _path, name, _key_ in rows]
    seen = Counter(chain.from_iterable(words))
    marked = []
    for (path, name, key), ws in zip(rows, words):
        # a word another row of this project uses is the project's own
        foreign = {w for w in ws if seen[w] == 1 and w not in own}
        if not foreign:
            continue
        for word, alike in _synonyms_in(name):
            at = name.find(word)
            if any(a in about or any(a in n for q, n, _k in rows if q != path) for a in alike):
                foreign -= {name[i:i + 2] for i in range(max(at - 1, 0), at + len(word))}  # it does concern the word
        if foreign:  # only rows that could be copied travel as rows; the rest only as keys
            line, col = p.position(path)
            marked.append((name, path, line, col, "".join(sorted(foreign)), key))
    # compact: a corpus of 50,000 projects keeps one of these per project
    keys = "\n".join(sorted({key for _path, _name, key in rows}))
    return (src.folder_unit or p.unit, p.name, "".join(sorted(_bigrams(p.name) - _GENERIC)), keys, pack_rows(marked))


@functools.lru_cache(maxsize=4096)
def _synonyms_in(name: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The `SYNONYMS` words a row name holds, with their near words (row names repeat: remembered)."""
    return tuple((word, alike) for word, alike in SYNONYMS.items() if word in name)


def _pairs(joined: str) -> set[str]:
    """Two-character words stored one after another ("残疾疾人" → {残疾, 疾人})."""
    return {joined[i:i + 2] for i in range(0, len(joined), 2)}


def _words(name: str, bigrams: set[str]) -> list[str]:
    """The runs of ``name`` made of the given two-character words (残疾 + 疾人 → 残疾人)."""
    words: list[str] = []
    i = 0
    while i < len(name) - 1:
        j = i
        while j < len(name) - 1 and name[j:j + 2] in bigrams:
            j += 1
        if j > i:
            words.append(name[i:j + 1])
            i = j
        i += 1
    return words


def _unit_of(digest: tuple[Any, ...]) -> Any:
    return digest[0]


@corpus_rule("copied-subject", "warning", digest=_subject_digest, group=_unit_of)
def copied_subject(entries: Sequence[Entry]) -> Iterator[tuple[Entry, Finding]]:
    """指标与同单位另一项目的相同，其中的服务对象（如“残疾人”“殡葬”）只见于那个项目：多半是抄来的。

    比较的是同一单位的各张表：一行指标在另一张表里也有，其中的服务对象或事项只出现在那张表的项目名称里，
    本项目的名称、目标和其他指标从未提到（近义词也算提到，如“智障人士”之于“残疾人”），就报告这一行。

    依据：财预〔2015〕88号“相关性”——绩效指标应与本项目的绩效目标直接相关。
    通过：“残疾人交通补贴”与“残疾人补贴”都有“残疾人满意度”
    不通过：“界桩界线管理费”与同单位的“残疾人补贴”都有“残疾人满意度”，而界桩界线管理费与残疾人无关
    """
    units: dict[Any, list[tuple[Entry, Any]]] = defaultdict(list)
    for entry in entries:
        digest = entry.digests.get("copied-subject")
        if digest:
            units[digest[0]].append((entry, digest))
    for siblings in units.values():
        holders: dict[str, list[tuple[Entry, Any, set[str]]]] = defaultdict(list)
        for entry, digest in siblings:
            name_words = _pairs(digest[2])  # once per project, not once per comparison
            for key in digest[3].split("\n"):
                holders[key].append((entry, digest, name_words))
        for entry, digest in siblings:
            for name, path, line, col, foreign, key in unpack_rows(digest[4]):
                others = holders.get(key, ())
                if len(others) < 2:
                    continue  # no other project of the unit has this row
                mine = _pairs(foreign)
                for other, odigest, name_words in others:
                    common = mine & name_words if other is not entry else None
                    words = _words(name, common) if common else []
                    if words:
                        yield entry, Finding(path, f"“{name}”与同单位“{odigest[1]}”的指标相同，其中的“{'、'.join(words)}”"
                                                   f"只见于那个项目的名称，本项目的名称和目标中没有：是否从那张表复制而来？"
                                                   "（88号·相关性）", at=(int(line), int(col)))
                        break


def _key(name: str | None) -> str:
    return squash(name or "")


def _hash(*parts: object) -> str:
    """A short fingerprint: corpus digests stay 32 characters however large a project is."""
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=16).hexdigest()


def _indicator_set(src: Source) -> str | None:
    p = src.project
    rows = sorted({(g.level2, key) for (_p, g, _i, _r), key in zip(p.rows(), p.row_keys()) if key})
    return _hash(p.year, rows) if len(rows) >= 3 else None


def same_digest(entries: Sequence[Entry], rule_id: str) -> Iterator[list[Entry]]:
    """Groups of two or more projects whose digest for ``rule_id`` is the same."""
    groups: dict[object, list[Entry]] = defaultdict(list)
    for entry in entries:
        digest = entry.digests.get(rule_id)
        if digest is not None:
            groups[digest].append(entry)
    return (g for g in groups.values() if len(g) > 1)


def _indicator_peers(p: m.Project) -> tuple[str, ...]:
    """A project with the same indicator set holds these row names (the three longest)."""
    rows = {(g.level2, key) for (_p, g, _i, _r), key in zip(p.rows(), p.row_keys()) if key}
    if len(rows) < 3:  # no digest (`_indicator_set`): no peers
        return ()
    return tuple(sorted({key for _l2, key in rows}, key=lambda k: (-len(k), k))[:3])


@corpus_rule("same-indicator-set", "warning", digest=_indicator_set, peers=_indicator_peers)
def same_indicator_set(entries: Sequence[Entry]) -> Iterator[tuple[Entry, Finding]]:
    """两个项目的三级指标完全相同（至少 3 个），说明指标没有针对本项目设置。

    能看出谁抄了谁时——一方的指标里写着只见于另一方项目名称的服务对象或事项（如“殡葬”），另一方没有
    这种情形——只报告抄的一方，原表不报告；看不出时两方都报告。

    依据：财预〔2015〕88号“相关性”“相应匹配”——不同项目的产出和效益不同，指标也应不同。
    通过：两个项目各自设置与本项目相关的指标
    不通过：“主题教育保障经费”与“党建引领基层治理保障经费”的指标名称一一相同
    不通过：“未成年人保护工作站”的指标与“困难对象殡葬补贴”的相同，其中写着“殡葬”：只报告前者
    """
    for group in same_digest(entries, "same-indicator-set"):
        sources = _copied_from(group)
        told = [e for e in group if id(e) in sources]
        if not told or len(told) == len(group):
            told = list(group)
        for entry in told:
            others = "、".join(f"“{o.name}”" for o in group[:6] if o is not entry)
            more = f"等 {len(group) - 1} 个项目" if len(group) > 6 else ""
            whose = sources.get(id(entry))
            why = f"，其中的“{whose[1]}”说的是“{whose[0]}”的事，多半是从那张表复制的" if whose else ""
            yield entry, Finding(m.K_INDICATORS, f"本项目的三级指标与{others}{more}完全相同{why}：指标应针对本项目设置")


def _copied_from(group: Sequence[Entry]) -> dict[int, tuple[str, str]]:
    """id of each member that shows it copied another's rows → (that member's name, the row that
    uses words of that name which its own name and goals never do), read from copied-subject's
    digest (nothing without it). Members are found by the words of their names, not compared
    pair by pair: a group of copies may be large."""
    digests = [e.digests.get("copied-subject") for e in group]
    names = [_pairs(d[2]) if d else set() for d in digests]
    holders: dict[str, list[int]] = defaultdict(list)  # a word of a name → the members whose name holds it
    for j, words in enumerate(names):
        for w in words:
            holders[w].append(j)
    out: dict[int, tuple[str, str]] = {}
    for i, d in enumerate(digests):
        if not d:
            continue
        for name, _path, _line, _col, foreign, _key in unpack_rows(d[4]):
            mine = _pairs(foreign)
            for j in sorted({j for w in mine for j in holders.get(w, ()) if j != i}):
                if _words(name, mine & names[j]):
                    out[id(group[i])] = (str(group[j].name or digests[j][1]), name)  # type: ignore[index]
                    break
            if id(group[i]) in out:
                break
    return out


def _name_key(src: Source) -> str | None:
    return _hash(src.project.year, _key(src.project.name)) if src.project.name else None


def _name_peers(p: m.Project) -> tuple[str, ...]:
    return (_key(p.name),) if p.name else ()


@corpus_rule("duplicate-project-name", "error", digest=_name_key, peers=_name_peers)
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

