"""Import the text a PDF table extractor makes of published 绩效目标表 (tab-separated cells).

Faithful to the form: what the people who filled it wrote stays, mistakes included (lint finds
them). Repaired: what extraction broke — cells shifted into other columns or rows, labels and
words split by spaces, spaces inside numbers and dates, the pre-printed "指标1：" prefixes and
empty slots, three check-box notations. Where the text is genuinely ambiguous the importer
chooses and leaves a note (a YAML comment) saying what it chose and why.

Both layouts are read: the 2024 town form (财政项目支出绩效目标表, 成本指标 under 产出指标) and
the newer Shanghai 申报表 (财政项目支出绩效目标申报表: amounts in 元, 项目性质, 成本指标 as 一级).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .. import forms, framework
from .. import model as m
from ..textnorm import (clean_value, join_cjk, parse_amount, parse_date, slot_segments, split_slot,
                        squash, strip_html)
from . import Imported, ImportFailure

TITLES = forms.TARGET_TITLES  # the town's table first, then the 申报表
_YEAR = re.compile(r"[(（]\s*(\d{4})\s*年度\s*[)）]")
_BOX = re.compile(r"<input[^>]*>|[☑☐□√■✓✔✅]")
_CHECKED_MARKS = "☑√■✓✔✅"
_VALUE_START = re.compile(r"^[0-9≥≤≦≧＞＜><=＝+\-]|^(大于|小于|不低于|不少于|不高于|不超过|不多于|高于|低于|每|至少|约)")
#: Short graded words that are clearly a target value, not an indicator name.
_QUALITATIVE = {
    "提升", "提高", "保障", "健全", "建立健全", "建立完善", "完善", "及时", "合理", "稳定", "巩固", "营造",
    "促进", "增强", "强化", "改善", "消除", "丰富", "加强", "持续", "杜绝", "满意", "优", "良", "合格",
    "友好", "弘扬", "缓解", "推进", "规范", "显著改善", "长期有效", "达标", "完成", "有效",
}

_FUNDS_LABELS = {
    "项目资金总额": "funds.total", "其中：财政资金": "funds.fiscal", "财政资金": "funds.fiscal",
    "年度资金申请总额": "annual.total", "其中：当年财政拨款": "annual.appropriation",
    "当年财政拨款": "annual.appropriation", "上年结转资金": "annual.carryover",
}
_OTHER = {"其他资金", "其他资", "金"}
_GOAL_LABELS = {"项目绩效目标", "项目", "绩效", "目标", "项目绩效", "绩效目标"}
_HEADER_LABELS = {"项目名称", "项目类别", "项目性质", "主管部门", "实施单位", "计划开始日期", "计划完成日期"}


@dataclass
class _Item:
    slot: int | None
    name: str
    value: str
    line: int

    @property
    def placeholder(self) -> bool:
        return not self.name and not self.value


@dataclass
class _Group:
    label: str | None
    level1: str | None = None
    rows: list[_Item] = field(default_factory=list)
    slots: list[int] = field(default_factory=list)
    after_label: int = 0  # rows appended from rows that did not carry the label
    note: str = ""


def split_tables(text: str) -> list[tuple[int, list[str]]]:
    """The source text → (first line number, lines) of each table, by its title line."""
    tables: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if squash(line) in TITLES:
            current = [line]
            tables.append((number, current))
        elif current is not None:
            current.append(line)
    return tables


def read_source(data: bytes, source: str, year: int | None) -> tuple[list[Imported], list[ImportFailure]]:
    """Bytes of an extracted-text file (UTF-8, with or without BOM) → imported projects."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        return [], [ImportFailure(0, line, "源文件不是 UTF-8 编码（如为 GBK，请先另存为 UTF-8）")]
    return read(text, source, year)


def read(text: str, source: str, year: int | None) -> tuple[list[Imported], list[ImportFailure]]:
    """Every table of a source text → imported projects and the tables it could not read."""
    done: list[Imported] = []
    failed: list[ImportFailure] = []
    tables = split_tables(text)
    for index, (first_line, lines) in enumerate(tables, start=1):
        rows = [(first_line + i, [c.strip() for c in line.split("\t")]) for i, line in enumerate(lines)]
        if index == len(tables) and not _complete(lines):
            last = first_line + len(lines) - 1
            failed.append(ImportFailure(index, last, f"源文件在第 {index} 张表中间结束（第 {last} 行之后没有满意度指标），"
                                                     "该表不完整，未导入；请检查源文件是否被截断"))
            continue
        try:
            done.append(Table(rows, source, index, year).parse())
        except Unreadable as e:
            failed.append(ImportFailure(index, e.line, str(e)))
    if not done and not failed:
        failed.append(ImportFailure(0, 1, f"没有找到任何绩效目标表（标题“{TITLES[0]}”）"))
    return done, failed


def _complete(lines: list[str]) -> bool:
    """Whether a table reaches its last section (满意度指标): the last table of a source cut off
    in the middle does not, and importing it would lose rows without a word."""
    return any("满意度" in squash(line) for line in lines)


class Unreadable(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


class Table:
    """One table as rows of cells, each row with its line number in the source.

    ``exact`` is for sources whose columns can be trusted (an Excel sheet in the official
    layout): cells are read by column instead of by the repairs PDF extraction needs, and text
    is kept exactly as written. ``origin`` describes where the table came from, for the
    comment at the top of the YAML file.
    """

    def __init__(self, rows: list[tuple[int, list[str]]], source: str, index: int, year: int | None,
                 exact: bool = False, origin: str | None = None, sheet: str | None = None) -> None:
        self.first_line = rows[0][0] if rows else 1
        self.rows = rows
        self.source = source
        self.index = index
        self.year = year
        self.exact = exact
        self.origin = origin or f"{source} 第 {self.first_line} 行（第 {index} 张表）"
        self.notes: dict[str, str] = {}
        self.sheet = sheet
        #: what was read differently from the source, said on screen by `perfgoals import`
        self.warnings: list[str] = []
        self.new_form = any(forms.by_title(squash(c)) is forms.SHENBAO_101 for _n, cells in rows[:3] for c in cells)

    def where(self, line: int, column: int) -> str:
        """A cell as a person finds it: 工作表!C7 in a workbook, 第 N 行 in a text."""
        if self.sheet is not None:
            from openpyxl.utils import get_column_letter  # only a workbook's tables have a sheet
            return f"{self.source} 工作表“{self.sheet}”!{get_column_letter(column + 1)}{line}"
        return f"{self.source}:{line}"

    def clean(self, text: str) -> str:
        """Repair extraction damage in a short text (not in exact mode: there the text is as typed)."""
        return text.strip() if self.exact else join_cjk(text)

    # -- helpers -------------------------------------------------------------------------
    def find(self, label: str) -> tuple[int, int, int] | None:
        """(row index, line number, cell index) of the first cell whose squashed text is ``label``."""
        for r, (number, cells) in enumerate(self.rows):
            for c, cell in enumerate(cells):
                if squash(cell) == label:
                    return r, number, c
        return None

    def after(self, label: str) -> str | None:
        """The text right of a header label, up to the next header label."""
        hit = self.find(label)
        if hit is None:
            return None
        r, _, c = hit
        parts: list[str] = []
        for cell in self.rows[r][1][c + 1:]:
            if squash(cell) in _HEADER_LABELS:
                break
            if cell:
                parts.append(cell)
        return self.clean(" ".join(parts)) if parts else None

    # -- the whole table -----------------------------------------------------------------
    def parse(self) -> Imported:
        title_year = None
        for _, cells in self.rows[:6]:
            hit = _YEAR.search("".join(cells).replace(" ", ""))
            if hit:
                title_year = int(hit.group(1))
                break
        name = self.after("项目名称")
        if not name:
            raise Unreadable(self.first_line, f"第 {self.index} 张表找不到“项目名称”")
        category, nature = self.categories()
        funds, annual, money_unit = self.money()
        period, goal_total, goal_annual = self.goals()
        if not self.exact:
            goal_total, goal_annual = _goal_text(goal_total), _goal_text(goal_annual)
        groups = self.indicators()
        start, end = self.after("计划开始日期"), self.after("计划完成日期")
        project = m.Project(
            name=name,
            year=title_year or self.year,
            category=category,
            nature=nature,
            department=self.after("主管部门"),
            unit=self.after("实施单位"),
            start=parse_date(start) if start else None,
            end=parse_date(end) if end else None,
            money_unit=money_unit,
            funds=funds,
            annual=annual,
            period=period,
            goal_total=goal_total,
            goal_annual=goal_annual,
            groups=groups,
        )
        header = f"由 perfgoals import 自 {self.origin}导入"
        return Imported(project, dict(self.notes), header, self.index, self.first_line,
                        warnings=tuple(self.warnings))

    # -- 项目类别 / 项目性质 -------------------------------------------------------------------
    def categories(self) -> tuple[str | None, str | None]:
        if self.new_form:
            nature = self.ticked("项目性质", m.NATURES, m.K_NATURE)
            text = self.after("项目类别")
            category = None
            if text:
                named = [c for c in m.NEW_CATEGORIES if c in text]
                category = self.ticked("项目类别", m.NEW_CATEGORIES, m.K_CATEGORY) if _BOX.search(text) else \
                    (named[0] if named else text)
            return category, nature
        return self.ticked("项目类别", m.CATEGORIES, m.K_CATEGORY), None

    def ticked(self, label: str, choices: tuple[str, ...], key: str) -> str | None:
        text = self.after(label) or ""
        tokens = re.findall("|".join([_BOX.pattern] + [re.escape(c) for c in choices]), text)
        current: str | None = None
        boxes: dict[str, list[bool]] = {c: [] for c in choices}
        for token in tokens:
            if token in choices:
                current = token
            elif current is not None:
                boxes[current].append("checked" in token or token in _CHECKED_MARKS)
        picked = [c for c in choices if any(boxes[c])]
        if not picked:
            return None
        choice = picked[0]
        if len(picked) > 1:
            self.notes[key] = f"原表勾选了 {'、'.join(picked)}，取第一个“{choice}”"
        elif len(boxes[choice]) > 1:
            self.notes[key] = (f"原表“{choice}”后有 {len(boxes[choice])} 个方框，勾选的一个位于“{choice}”"
                               f"与下一选项之间，按紧随“{choice}”取“{choice}”")
        return choice

    # -- 项目资金 ---------------------------------------------------------------------------
    def money(self) -> tuple[m.Funds, m.AnnualFunds, str]:
        start = next((r for r, (_, cells) in enumerate(self.rows)
                      if any(squash(c).startswith("项目资金") and "元" in c for c in cells)), None)
        if start is None:
            raise Unreadable(self.first_line, f"第 {self.index} 张表找不到“项目资金”部分")
        label_cell = next(c for c in self.rows[start][1] if squash(c).startswith("项目资金") and "元" in c)
        money_unit = "万元" if "万元" in label_cell else "元"
        end = next((r for r in range(start, len(self.rows))
                    if any("项目总目标" in squash(c) or squash(c) in ("项目绩效目标",) for c in self.rows[r][1])),
                   len(self.rows))
        found: dict[str, Decimal | None] = {}
        for number, cells in self.rows[start:end]:
            labels = [(c, self._money_label(cell)) for c, cell in enumerate(cells) if self._money_label(cell)]
            others = [c for c, what in labels if what == "other"]
            for c, label in labels:
                what = str(label)
                if what == "other":
                    stray = squash(cells[c]) in ("金", "其他资")
                    left = stray or (len(others) > 1 and c == others[0]) or (len(others) == 1 and c <= 1)
                    what = "funds.other" if left else "annual.other"
                value_text, value_column = "", c + 1
                for k, cell in enumerate(cells[c + 1:], start=c + 1):
                    if self._money_label(cell):
                        break
                    if cell:
                        value_text, value_column = cell, k
                        break
                try:
                    value = parse_amount(value_text)
                except ValueError:
                    self.notes[_money_path(what)] = f"原表此格为“{value_text}”，不是金额，记为空"
                    self.warnings.append(f"{self.where(number, value_column)}：“{squash(cells[c])}”一格为"
                                         f"“{value_text}”，不是金额，写入为空（{_money_path(what)}: null）；"
                                         f"请在 YAML 中填上数字（金额单位见“{money_unit}”）")
                    value = None
                if what in found and found[what] is not None:
                    if value is not None and value != found[what]:
                        self.notes[_money_path(what)] = f"原表此项出现两次（{found[what]} 与 {value}），取第一个"
                    continue
                found[what] = value
        funds = m.Funds(found.get("funds.total"), found.get("funds.fiscal"), found.get("funds.other"))
        annual = m.AnnualFunds(found.get("annual.total"), found.get("annual.appropriation"),
                               found.get("annual.carryover"), found.get("annual.other"))
        return funds, annual, money_unit

    @staticmethod
    def _money_label(cell: str) -> str | None:
        sq = squash(cell)
        if sq in _FUNDS_LABELS:
            return _FUNDS_LABELS[sq]
        if sq in _OTHER:
            return "other"
        return None

    # -- 项目绩效目标 -------------------------------------------------------------------------
    def goals(self) -> tuple[str | None, str | None, str | None]:
        start = next((r for r, (_, cells) in enumerate(self.rows) if any("项目总目标" in c for c in cells)), None)
        header = self._indicator_header()
        if start is None:
            return None, None, None
        if self.exact:
            return self._goals_by_column(start, header)
        start = min(start, next((r for r in range(start - 1, start + 1)
                                 if any(squash(c) in ("项目绩效目标", "项目") for c in self.rows[r][1])), start))
        period = None
        total: str | None = None
        annual: str | None = None
        plain: list[str] = []
        for _, cells in self.rows[start:header]:
            for cell in cells:
                sq = squash(cell)
                if not sq or sq in _GOAL_LABELS:
                    continue
                if "项目总目标" in cell:
                    hit = re.search(r"项目总目标\s*[(（]([^)）]*)[)）]", cell)
                    if hit:
                        period = squash(hit.group(1))
                    rest = cell[hit.end():] if hit else cell.split("项目总目标", 1)[1]
                    rest, _, annual_inline = rest.partition("年度总体目标")
                    if rest.strip():
                        total = rest.strip()
                    if annual_inline.strip():
                        annual = annual_inline.strip()
                    continue
                if sq.startswith("年度总体目标"):
                    rest = cell.split("目标", 1)[1].strip() if "目标" in cell else ""
                    if rest:
                        annual = rest
                    continue
                plain.append(cell)
        for text in plain:
            if total is None:
                total = text
            elif annual is None:
                annual = text
            else:
                annual = f"{annual}\n{text}"
        return period, total, annual

    def _goals_by_column(self, start: int, header: int) -> tuple[str | None, str | None, str | None]:
        cells = self.rows[start][1]
        total_col = next(c for c, cell in enumerate(cells) if "项目总目标" in cell)
        annual_col = next((c for c, cell in enumerate(cells) if squash(cell).startswith("年度总体目标")), None)
        hit = re.search(r"项目总目标\s*[(（]([^)）]*)[)）]", cells[total_col])
        period = squash(hit.group(1)) if hit else None
        total = annual = None
        for _n, row in self.rows[start + 1:header]:
            if total is None and total_col < len(row) and row[total_col]:
                total = row[total_col]
            if annual is None and annual_col is not None and annual_col < len(row) and row[annual_col]:
                annual = row[annual_col]
        return period, total, annual

    # -- 绩效指标 ---------------------------------------------------------------------------
    def _indicator_header(self) -> int:
        for r, (_, cells) in enumerate(self.rows):
            if any(squash(c) == "一级指标" for c in cells):
                return r
        raise Unreadable(self.first_line, f"第 {self.index} 张表找不到“绩效指标”表头（一级指标/二级指标…）")

    def _label(self, cell: str) -> tuple[str, str] | None:
        """("1", name) for a 一级 label, ("2", name) for a 二级 label, else None."""
        sq = squash(cell)
        if sq in (framework.OUTPUT, framework.BENEFIT, framework.SATISFACTION):
            return "1", sq
        if sq == framework.COST:
            return ("1", sq) if self.new_form else ("2", sq)
        if sq in framework.LEVEL2_PARENT or sq in framework.LEVEL2_VARIANTS:
            return "2", sq
        if sq in framework.LEVEL2_SHORT:
            return "2", framework.LEVEL2_SHORT[sq]
        return None

    def indicators(self) -> tuple[m.Group, ...]:
        header = self._indicator_header()
        if self.exact:
            return self._finish(self._groups_by_column(header))
        groups: list[_Group] = []
        for number, cells in self.rows[header + 1:]:
            label2: str | None = None
            level1: str | None = None
            content: list[str] = []
            for cell in cells:
                sq = squash(cell)
                if not sq or sq == "绩效指标" or set(sq) <= set(".…。"):
                    continue
                # labels stand left of the row's content; right of it, "社会效益" is a value
                label = None if content else self._label(cell)
                if label and label[0] == "2":
                    label2 = label2 or label[1]
                elif label:
                    level1 = label[1]
                else:
                    content.append(cell)
            if label2 is None and level1 == framework.SATISFACTION:
                label2 = framework.SERVED_SATISFACTION
            items = self._items(content, number)
            if not items and label2 is None:
                continue
            self._place(groups, label2, items)
        return self._finish(groups)

    def _groups_by_column(self, header: int) -> list[_Group]:
        heads = [squash(c) for c in self.rows[header][1]]
        col1, col2, col3 = (heads.index(h) for h in ("一级指标", "二级指标", "三级指标"))
        col4 = next(i for i, h in enumerate(heads) if "指标值" in h)
        groups: list[_Group] = []
        level1: str | None = None

        def at(cells: list[str], col: int) -> str:
            return cells[col].strip() if col < len(cells) else ""

        for number, cells in self.rows[header + 1:]:
            l1, l2 = squash(at(cells, col1)), squash(at(cells, col2))
            if (l1, l2) == ("一级指标", "二级指标"):
                continue  # the header again, atop a printed page that goes on with the indicators
            if l1:
                level1 = l1 if l1 in framework.LEVEL1_ORDER else level1
            if l2:
                label = framework.LEVEL2_SHORT.get(l2, l2)
                if not groups or groups[-1].label != label or groups[-1].level1 != level1:
                    groups.append(_Group(label, level1))
            slot, name = split_slot(at(cells, col3))
            value = at(cells, col4)
            if (name or value) and groups:
                groups[-1].rows.append(_Item(slot, name, value, number))
        return groups

    def _items(self, content: list[str], number: int) -> list[_Item]:
        if not content:
            return []
        if len(content) == 1 and not slot_segments(content[0])[0].startswith("指标"):
            text = content[0]
            if _looks_like_value(text):
                return [_Item(None, "", clean_value(text), number)]
            return [_Item(None, _name(text), "", number)]
        names, value = content[0], clean_value(" ".join(content[1:]))
        # two indicators written into one row: "营造良好…氛围 提高…能力" / "营造 提高"
        name_parts, value_parts = names.split(), value.split()
        if (len(name_parts) > 1 and len(name_parts) == len(value_parts)
                and not re.search(r"指标\s*\d", names)
                and all(len(p) > 2 * len(v) for p, v in zip(name_parts, value_parts))):
            return [_Item(None, _name(p), v, number) for p, v in zip(name_parts, value_parts)]
        items = []
        for segment in slot_segments(names):
            slot, text = split_slot(segment)
            items.append(_Item(slot, _name(text), "", number))
        real = [i for i in items if i.name] or items
        real[-1].value = value
        return items

    def _place(self, groups: list[_Group], label: str | None, items: list[_Item]) -> None:
        first_slot = items[0].slot if items else None
        real = [i for i in items if not i.placeholder]
        current = groups[-1] if groups else None

        def add(group: _Group, carried_label: bool) -> None:
            group.rows.extend(real)
            group.slots.extend(i.slot for i in items if i.slot is not None)
            if not carried_label:
                group.after_label += len(real)

        if label is not None:
            if current is not None and current.label == label:
                add(current, False)
                return
            if first_slot and first_slot >= 2 and current is not None and current.label is None:
                current.label = label
                add(current, True)
                return
            need = (first_slot or 0) - 1
            if need >= 1 and current is not None and current.label is not None and current.after_label >= need:
                moved = current.rows[-need:]
                if [i.slot for i in moved] in ([None] * need, list(range(1, need + 1))):
                    del current.rows[-need:]
                    current.after_label -= need
                    group = _Group(label, rows=moved, note=(
                        f"原表“{label}”标签写在本组第 {need + 1} 行（指标{first_slot}），"
                        f"其上 {need} 行按编号归入本组"))
                    add(group, True)
                    groups.append(group)
                    return
            group = _Group(label)
            add(group, True)
            groups.append(group)
            return
        if current is None or (first_slot == 1 and 1 in current.slots):
            current = _Group(None)
            groups.append(current)
        add(current, False)

    def _finish(self, groups: list[_Group]) -> tuple[m.Group, ...]:
        form = framework.FORM_101 if self.new_form else framework.FORM_2024
        sequence = [name for names in form.values() for name in names]
        for i, group in enumerate(groups):
            if group.label is not None or not group.rows:
                continue
            before = max((sequence.index(g.label) for g in groups[:i] if g.label in sequence), default=-1)
            after = min((sequence.index(g.label) for g in groups[i + 1:] if g.label in sequence),
                        default=len(sequence))
            used = {g.label for g in groups}
            free = [name for name in sequence[before + 1:after] if name not in used]
            if free:
                group.label = free[0]
                group.note = f"原表此组未写二级指标名称，按表格顺序推定为“{free[0]}”"
            elif before >= 0:
                group.label = sequence[before]
                group.note = "原表此组未写二级指标名称，并入上一组"
            else:
                group.label = sequence[0]
                group.note = f"原表此组未写二级指标名称，推定为“{sequence[0]}”"
        merged: dict[tuple[str, str], list[_Item]] = {}
        notes: dict[str, list[str]] = {}
        for group in groups:
            assert group.label is not None
            level1 = group.level1 or framework.parent_of(group.label) or framework.BENEFIT
            rows = merged.setdefault((level1, group.label), [])
            rows.extend(group.rows)
            if group.note and group.rows:
                notes.setdefault(group.label, []).append(group.note)
        out: list[m.Group] = []
        for (level1, label), rows in merged.items():
            if not self.exact:
                rows, merge_notes = _merge_split_rows(rows)
            else:
                merge_notes = {}
            if not rows:
                continue
            path = f"{m.K_INDICATORS}.{level1}.{label}"
            if label in notes:
                self.notes[path] = "；".join(dict.fromkeys(notes[label]))
            for index, note in merge_notes.items():
                self.notes[f"{path}[{index}]"] = note
            out.append(m.Group(level1, label, tuple(m.Indicator(r.name or None, r.value or None) for r in rows)))
        out.sort(key=lambda g: framework.level2_order(g.level1, g.level2))
        return tuple(out)


def _merge_split_rows(rows: list[_Item]) -> tuple[list[_Item], dict[int, str]]:
    """Join a value-only row and a name-only row next to each other (extraction split one row)."""
    out: list[_Item] = []
    notes: dict[int, str] = {}
    for row in rows:
        prev = out[-1] if out else None
        if prev is not None and row.line - prev.line == 1 and (
                (not prev.name and prev.value and row.name and not row.value)
                or (prev.name and not prev.value and not row.name and row.value)):
            out[-1] = _Item(prev.slot or row.slot, prev.name or row.name, prev.value or row.value, prev.line)
            notes[len(out) - 1] = "原表指标名称与指标值错行，已合并为一行"
            continue
        out.append(row)
    return out, notes


def _looks_like_value(text: str) -> bool:
    sq = squash(text)
    return bool(_VALUE_START.search(sq)) or "%" in sq or sq in _QUALITATIVE


def _name(text: str) -> str:
    return join_cjk(text)


def _goal_text(text: str | None) -> str | None:
    if text is None:
        return None
    return strip_html(text).strip() or None


def _money_path(what: str) -> str:
    part, key = what.split(".")
    keys = {"total": m.K_TOTAL, "fiscal": m.K_FISCAL, "other": m.K_OTHER} if part == "funds" else \
        {"total": m.K_ANNUAL_TOTAL, "appropriation": m.K_APPROPRIATION, "carryover": m.K_CARRYOVER,
         "other": m.K_OTHER}
    return f"{m.K_FUNDS if part == 'funds' else m.K_ANNUAL}.{keys[key]}"
