"""What every format of the form shares: the money policy, the lists of units and projects, and
where files may be written.

Money: every total is in 万元. A project kept in 元 is converted exactly (Decimal ÷ 10000), so
HTML, Excel and PDF show the same totals; a blank amount is not a zero and adds nothing.
"""

from __future__ import annotations

import functools
import itertools
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..model import Item
from ..problems import InputError
from ..money import convert, display
from ..units import of as units_of

ZERO = Decimal(0)
TOTALS_UNIT = "万元"


def in_wan(item: Item, value: Decimal | None) -> Decimal | None:
    """An amount of a project in 万元, exactly."""
    return convert(value, item.project.money_unit, TOTALS_UNIT)


def money(value: Decimal | None) -> str:
    """An amount as people read it in a list: 1,234.56 (to the fen); "—" when blank (`money.display`)."""
    return display(value)


@dataclass(frozen=True)
class ProjectLine:
    """A project in a list: its name and its two totals in 万元."""

    item: Item
    total: Decimal | None
    annual: Decimal | None

    @property
    def name(self) -> str:
        return self.item.project.name or "（未命名项目）"


@dataclass(frozen=True)
class UnitLine:
    """A unit in a list: its folder, the full name shown to people, its projects and totals."""

    folder: str
    name: str
    projects: list[ProjectLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((p.total for p in self.projects if p.total is not None), ZERO)

    @property
    def annual(self) -> Decimal:
        return sum((p.annual for p in self.projects if p.annual is not None), ZERO)


def project_line(item: Item) -> ProjectLine:
    return ProjectLine(item, in_wan(item, item.project.funds.total), in_wan(item, item.project.annual.total))


def unit_name(folder: str, members: Iterable[Item], names: Mapping[str, str]) -> str:
    """The name a unit is shown by: its full name in data/units.yaml (``names``, `units.names`);
    for a folder units.yaml does not list, the 实施单位 its projects give (the most common), else
    the folder."""
    return names.get(folder) or commonest([i.project.unit for i in members if i.project.unit]) or folder


def commonest(names: list[str]) -> str | None:
    """The name given most often; among names given as often, the last in code-point order
    (never the order of a set, which changes from run to run). None for no names."""
    return max(set(names), key=lambda n: (names.count(n), n)) if names else None


def units(items: Iterable[Item], names: Mapping[str, str]) -> list[UnitLine]:
    """Items grouped by unit folder, in the order they come (files are sorted by path), each
    unit with the name it is shown by (``names``: `units.names`)."""
    out = []
    for folder, members in itertools.groupby(items, key=units_of):
        group = list(members)
        out.append(UnitLine(folder, unit_name(folder, group, names), [project_line(i) for i in group]))
    return out


def inside(out: Path, rel: str) -> Path:
    """``out/rel``, or InputError when ``rel`` would lead outside ``out`` (".." or an absolute path).
    Worked out on the names alone: a render of 10,000 pages asks it 10,000 times."""
    root = _resolved(out if out.is_absolute() else Path.cwd() / out)  # cached by where it is, not by its words
    target = Path(os.path.normpath(os.path.join(root, rel)))
    if target != root and not str(target).startswith(str(root).rstrip(os.sep) + os.sep):
        raise InputError(f"拒绝写入输出目录以外的路径：{rel}")
    return target


@functools.lru_cache(maxsize=64)
def _resolved(out: Path) -> Path:
    return out.resolve()


def write_inside(out: Path, rel: str, data: str | bytes | Iterable[str], writer: Any = None) -> Path:
    """Write ``out/rel`` atomically (through ``writer``, an `atomic.Writer`, when given); refuse
    any path that would land outside ``out``."""
    from ..atomic import write_atomic
    target = inside(out, rel)
    if writer is not None:
        writer.write(target, data)
        return target
    try:
        write_atomic(target, data)
    except PermissionError:
        raise InputError(f"无法写入输出目录 {out}：没有写权限") from None
    except OSError as e:
        raise InputError(f"无法写入 {target}：{e.strerror or e}") from None
    return target


#: where a label or an organisation's name may break on a printed form: after these
_WORD_ENDS = ("：", ":", "省", "市", "区", "县", "镇", "乡", "街道", "政府")
#: and before these (the last word of a label)
_LAST_WORDS = ("满意度指标", "申请总额", "财政拨款", "结转资金", "办公室", "委员会", "总额", "日期", "资金", "目标", "指标")


def word_chunks(text: str) -> list[str]:
    """A form's short text cut into the words a printed line may break between, so that a
    narrow cell breaks "项目资金 / 总额", never "项目资金总 / 额".

    >>> word_chunks("项目资金总额"), word_chunks("其中：财政资金"), word_chunks("计划开始日期")
    (['项目资金', '总额'], ['其中：', '财政资金'], ['计划开始', '日期'])
    >>> word_chunks("上海市闵行区浦江镇人大办公室")
    ['上海市', '闵行区', '浦江镇', '人大办公室']
    >>> word_chunks("服务对象满意度指标"), word_chunks("项目名称")
    (['服务对象', '满意度指标'], ['项目名称'])
    """
    chunks: list[str] = []
    rest = text
    while rest:
        cut = min((rest.index(end) + len(end) for end in _WORD_ENDS if end in rest[:-1]), default=0)
        if 0 < cut < len(rest) and cut >= 2:
            chunks.append(rest[:cut])
            rest = rest[cut:]
            continue
        break
    if rest:
        last = next((w for w in _LAST_WORDS if rest.endswith(w) and len(rest) - len(w) >= 3), None)
        chunks += [rest[:-len(last)], last] if last else [rest]
    return chunks
