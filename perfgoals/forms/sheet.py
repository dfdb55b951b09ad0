"""The form as a grid of cells with spans (`Cell`, `Grid`: the one picture HTML, Excel and PDF
draw), and what forms with their own layout share to draw themselves and read themselves back
from rows of cells (an Excel sheet in that layout): the indicator block with one or two column
groups (the national table's 长期 | 年度), and finding a label's row.

A form module lays its header out cell by cell and calls `indicators` for the rest; its reader
finds each label with `row_of` and reads the value at the column it put it in. The grid is the
one picture HTML, Excel and PDF draw (`perfgoals.formgrid`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from dataclasses import dataclass
from typing import Callable, NamedTuple, Sequence

from .. import model as m
from ..textnorm import squash
from .base import Form, term_dates, term_text

#: Relative widths of the Shanghai forms' five columns (HTML percentages, Excel character widths derive from them).
WIDTHS = (10, 13, 17, 34, 26)


class Cell(NamedTuple):
    """A cell of the form. ``role`` tells renderers how to style it (title, label, value, money…).
    (A named tuple: a year's render makes some 75 of these a page, and a frozen dataclass costs
    three times as much to make.)"""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    role: str = "value"
    #: Exact amount for money cells (renderers write numbers, not text).
    amount: Decimal | None = None


@dataclass(frozen=True)
class Grid:
    cells: tuple[Cell, ...]
    rows: int
    title: str
    #: relative column widths (the target form's five, or the 自评表's nine)
    widths: tuple[float, ...] = WIDTHS
    #: the form's class on a page ("selfeval", "monitor": their own print rules); "" for target forms
    css: str = ""

    def by_row(self) -> list[list[Cell]]:
        out: list[list[Cell]] = [[] for _ in range(self.rows)]
        for c in self.cells:
            out[c.row].append(c)
        for row in out:
            row.sort(key=lambda c: c.col)
        return out

    def covered(self) -> set[tuple[int, int]]:
        """Every (row, col) a cell's span covers; used to check that spans never overlap."""
        seen: set[tuple[int, int]] = set()
        for c in self.cells:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    if (r, k) in seen:
                        raise ValueError(f"overlapping cells at {(r, k)}")
                    seen.add((r, k))
        return seen


def money_text(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")

Rows = list[tuple[int, list[str]]]
"""Rows of cell texts with their sheet row numbers, a merged range's text in its first cell."""

_NUMBERED = re.compile(r"^指标\s*\d+\s*[：:]\s*")


class Unreadable(Exception):
    """A sheet that is not the form as laid out; ``line`` is the sheet row."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


class Cells:
    """Collects a grid's cells."""

    def __init__(self) -> None:
        self.cells: list[Cell] = []

    def add(self, row: int, col: int, text: str, role: str = "value", rowspan: int = 1, colspan: int = 1,
            amount: Decimal | None = None) -> None:
        self.cells.append(Cell(row, col, text, rowspan, colspan, role, amount))

    def money(self, row: int, col: int, value: Decimal | None, colspan: int = 1) -> None:
        self.add(row, col, "" if value is None else format(value, "f"), "money", colspan=colspan, amount=value)


def _ordered(form: Form, sides: Sequence[tuple[m.Group, ...]], blank_slots: bool) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    for groups in sides:
        for g in groups:
            if (g.level1, g.level2) not in seen:
                seen.append((g.level1, g.level2))
    if blank_slots:
        seen += [(l1, l2) for l1, names in (form.blank or form.levels).items() for l2 in names if (l1, l2) not in seen]
    order = {key: i for i, key in enumerate(seen)}
    return sorted(seen, key=lambda k: (form.order(k[0], k[1]), order[k]))


def indicators(out: Cells, row: int, form: Form, sides: Sequence[tuple[m.Group, ...]], blank_slots: bool,
               official: bool, side_cols: Sequence[int]) -> int:
    """The indicator rows from ``row`` on: 一级 in column 1; for each side (its groups, its first
    column) the 二级 name, then 三级 name, value (and 绩效标准 where the form has it). Groups of all
    sides line up by (一级, 二级); a group takes as many rows as its longest side. Returns the
    row after the last."""
    keys = _ordered(form, sides, blank_slots)
    found = [{(g.level1, g.level2): g.filled or g.rows for g in groups} for groups in sides]
    extra = len(form.row_keys) - 2
    i = 0
    while i < len(keys):
        level1 = keys[i][0]
        j = i
        while j < len(keys) and keys[j][0] == level1:
            j += 1
        span = sum(max(1, *(len(f.get(k, ())) for f in found)) for k in keys[i:j])
        out.add(row, 1, level1, "level1", rowspan=span)
        for key in keys[i:j]:
            n = max(1, *(len(f.get(key, ())) for f in found))
            for side, col in enumerate(side_cols):
                rows = found[side].get(key, ())
                out.add(row, col, key[1], "level2", rowspan=n)
                for k in range(n):
                    one = rows[k] if k < len(rows) else None
                    name = (one.name if one else None) or ""
                    numbered = official and (one is not None or k == 0)
                    out.add(row + k, col + 1, f"指标{k + 1}：{name}" if numbered else name, "name")
                    out.add(row + k, col + 2, (one.value if one else None) or "", "target")
                    if extra:
                        out.add(row + k, col + 3, (one.standard if one else None) or "", "value")
            row += n
        i = j
    return row


# -- reading -------------------------------------------------------------------------------------

def cell(cells: list[str], col: int) -> str:
    return cells[col].strip() if col < len(cells) else ""


def row_of(rows: Rows, col: int, label: str, start: int = 0) -> int:
    """The index of the first row from ``start`` whose cell ``col`` says ``label``."""
    want = squash(label)
    for i in range(start, len(rows)):
        if squash(cell(rows[i][1], col)) == want:
            return i
    raise Unreadable(rows[start][0] if start < len(rows) else 1, f"找不到“{label}”")


def text_or_none(text: str) -> str | None:
    return text or None


def amount(rows: Rows, i: int, col: int, what: str) -> Decimal | None:
    from ..money import RANGE, parse
    text = cell(rows[i][1], col)
    if text in ("", "—", "-", "/"):
        return None
    value = parse(text)
    if value is None:
        raise Unreadable(rows[i][0], f"{what}应为数字（{RANGE}），实为“{text[:40]}”")
    return value


def joined(rows: Rows, first: int, end: int, col: int) -> str | None:
    """A text spread over rows ``first`` up to ``end`` (a long goal Excel cut into pieces)."""
    return text_or_none("".join(cell(cells, col) for _r, cells in rows[first:end]))


def read_indicators(rows: Rows, first: int, form: Form, side_cols: Sequence[int]) -> list[tuple[m.Group, ...]]:
    """The groups of each side, read from the indicator rows from ``first`` on (the blank
    slots of an empty 二级 row are not rows; "指标1：" numbering is the form's, not the name's)."""
    extra = len(form.row_keys) - 2
    level1 = ""
    level2 = [""] * len(side_cols)
    found: list[dict[tuple[str, str], list[m.Indicator]]] = [{} for _ in side_cols]
    for _r, cells in rows[first:]:
        level1 = cell(cells, 1) or level1
        for side, col in enumerate(side_cols):
            level2[side] = cell(cells, col) or level2[side]
            name = _NUMBERED.sub("", cell(cells, col + 1))
            value = cell(cells, col + 2)
            standard = cell(cells, col + 3) if extra else ""
            if not (name or value or standard):
                continue
            row = m.Indicator(text_or_none(name), text_or_none(value),
                              text_or_none(standard) if extra else None)
            found[side].setdefault((level1, level2[side]), []).append(row)
    return [tuple(m.Group(l1, l2, tuple(rows)) for (l1, l2), rows in side.items()) for side in found]


def year_in(rows: Rows) -> int | None:
    hit = re.search(r"(\d{4})\s*年度", "".join(c for _r, cells in rows[:3] for c in cells))
    return int(hit.group(1)) if hit else None


Reader = Callable[[Rows, "int | None"], m.Project]

__all__ = ["Cell", "Grid", "Cells", "WIDTHS", "Rows", "Unreadable", "term_dates", "term_text", "indicators",
           "read_indicators", "row_of", "cell", "amount", "joined", "text_or_none", "year_in", "money_text"]
