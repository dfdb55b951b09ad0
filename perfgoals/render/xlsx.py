"""Excel output through xlsxwriter: the summary sheet with its chart, and the official form.

Only this module imports xlsxwriter. Settings that matter, and why:

* ``strings_to_formulas/strings_to_numbers/strings_to_urls`` off — user text is always text: a
  project named ``=HYPERLINK(…)`` stays a name, "0012" stays "0012", and no link is made.
* a fixed ``created`` date and no ``in_memory`` temp files — the same input gives byte-identical
  files, so a rendered workbook can be compared in a review.
* numbers are written as numbers (exact Decimal → float only at the cell, displayed with 2
  decimals); totals are formulas so a clerk who edits a cell sees the total follow.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from decimal import Decimal
from typing import Any, Sequence

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from .. import forms, units
from ..report import Table

FIXED_DATE = dt.datetime(2024, 1, 1)
FONT = "宋体"


def _workbook(buf: io.BytesIO) -> Any:
    wb = xlsxwriter.Workbook(buf, {
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
        "in_memory": True,
    })
    wb.set_properties({"title": forms.TOWN_2024.title, "author": "perfgoals", "created": FIXED_DATE,
                       "comments": "由 perfgoals 生成"})
    wb.set_calc_mode("auto")
    return wb


def _width(text: str) -> float:
    """Display width of a cell text in Excel character units (汉字 count double)."""
    return sum(2.1 if ord(ch) > 0x2E80 else 1.1 for ch in str(text))


def summary_workbook(table: Table) -> bytes:
    """One sheet 汇总 with the table (numbers as numbers, totals as formulas) and a pie chart."""
    buf = io.BytesIO()
    wb = _workbook(buf)
    ws = wb.add_worksheet("汇总")
    title = wb.add_format({"bold": True, "font_size": 14, "font_name": FONT})
    head = wb.add_format({"bold": True, "border": 1, "bg_color": "#EEEEEE", "text_wrap": True,
                          "align": "center", "valign": "vcenter", "font_name": FONT})
    text = wb.add_format({"border": 1, "font_name": FONT})
    money = wb.add_format({"border": 1, "num_format": "#,##0.00", "font_name": FONT})
    integer = wb.add_format({"border": 1, "num_format": "0", "font_name": FONT})
    bold_money = wb.add_format({"border": 1, "num_format": "#,##0.00", "bold": True, "font_name": FONT})
    bold_text = wb.add_format({"border": 1, "bold": True, "font_name": FONT})
    ws.write_string(0, 0, table.title, title)
    first = 2
    widths = [_width(c.title) for c in table.columns]
    for c, column in enumerate(table.columns):
        ws.write_string(first, c, column.title, head)
    fills = {word: wb.add_format({"border": 1, "font_name": FONT, "bg_color": colour, "align": "center"})
             for word, colour in table.fills.items()}
    for r, row in enumerate(table.rows, start=first + 1):
        for c, (value, column) in enumerate(zip(row, table.columns)):
            filled = fills.get(value) if isinstance(value, str) else None
            _cell(ws, r, c, value, column.kind, filled or text, money, integer)
            widths[c] = max(widths[c], _width(_display(value)))
    last = first + len(table.rows)
    if table.footer is not None:
        r = last + 1
        for c, (value, column) in enumerate(zip(table.footer, table.columns)):
            if column.kind in ("money", "int") and table.rows:
                rng = f"{xl_rowcol_to_cell(first + 1, c)}:{xl_rowcol_to_cell(last, c)}"
                cached = float(value) if isinstance(value, (Decimal, int)) else 0
                ws.write_formula(r, c, f"=SUM({rng})", bold_money if column.kind == "money" else bold_text,
                                 cached if math.isfinite(cached) else 0)
            else:
                _cell(ws, r, c, value, column.kind, bold_text, bold_money, bold_text)
    for c, w in enumerate(widths):
        ws.set_column(c, c, min(max(w + 2, 8), 40))
    ws.freeze_panes(first + 1, 1)
    for note_row, note in enumerate(table.notes, start=(last + 3)):
        ws.write_string(note_row, 0, note)
    if table.chart_column is not None and table.rows:
        chart = wb.add_chart({"type": "pie"})
        chart.add_series({
            "name": table.columns[table.chart_column].title,
            "categories": ["汇总", first + 1, 0, last, 0],
            "values": ["汇总", first + 1, table.chart_column, last, table.chart_column],
            "data_labels": {"percentage": True, "category": True, "leader_lines": True},
        })
        chart.set_title({"name": f"{table.columns[table.chart_column].title}占比"})
        chart.set_size({"width": 720, "height": 480})
        ws.insert_chart(last + 3 + len(table.notes), 0, chart)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    wb.close()
    return buf.getvalue()


EXCEL_MAX = 1e15
"""Beyond this Excel shows a number rounded (15 significant digits), and past 1e308 not at all:
such an amount (lint reports it) is written as its text instead."""


def write_amount(ws: Any, r: int, c: int, value: Decimal | int, fmt: Any) -> None:
    """An amount as an Excel number, or as its exact text when Excel cannot hold it."""
    number = float(value)
    if math.isfinite(number) and abs(number) < EXCEL_MAX:
        ws.write_number(r, c, number, fmt)
    else:
        ws.write_string(r, c, format(value, "f") if isinstance(value, Decimal) else str(value), fmt)


def _display(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return "" if value is None else str(value)


def _cell(ws: Any, r: int, c: int, value: Any, kind: str, text: Any, money: Any, integer: Any) -> None:
    if value is None or value == "":
        ws.write_blank(r, c, None, text)
    elif isinstance(value, Decimal):
        write_amount(ws, r, c, value, money)
    elif isinstance(value, int) and not isinstance(value, bool):
        ws.write_number(r, c, value, integer)
    else:
        ws.write_string(r, c, str(value), text)


def sheet_name(name: str, taken: Sequence[str]) -> str:
    """A valid, unique sheet name: ≤ 31 characters, none of []:*?/\\, not blank, no leading '."""
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip().strip("'") or "项目"
    clean = clean[:31]
    lowered = {t.lower() for t in taken}
    candidate = clean
    n = 2
    while candidate.lower() in lowered or candidate.lower() == "history":
        suffix = f"({n})"
        candidate = clean[: 31 - len(suffix)] + suffix
        n += 1
    return candidate


# -- the official form -------------------------------------------------------------------------

#: Excel column widths (characters) for the grid's five columns: the form fits A4 portrait width.
def _sheet_widths(grid: Any) -> tuple[float, ...]:
    """Excel character widths of a grid's columns (its relative widths, about 92 characters in all)."""
    return tuple(round(w * 0.92, 1) for w in grid.widths)
_LINE_PT = 15.5


def _money_format(value: Decimal) -> str:
    """A number format showing exactly the digits the form wrote (2.70 → 0.00, 40.605 → 0.000)."""
    exponent = value.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 2
    return "#,##0" + ("." + "0" * places if places else "")


def _lines(text: str, width: float) -> int:
    if not text:
        return 1
    total = 0
    for part in str(text).split("\n"):
        total += max(1, -(-int(_width(part)) // max(1, int(width - 1))))
    return total


def _header_text(text: str) -> str:
    return text.replace("&", "&&")[:80]


def _running(ws: Any, title: str) -> None:
    """A sheet's running header (its title) and footer (第 N 页，共 M 页) on every printed page."""
    ws.set_header(f'&C&"{FONT},常规"&9{_header_text(title)}')
    ws.set_footer(f'&C&"{FONT},常规"&9第 &P 页，共 &N 页')


class _Formats:
    """The cell formats of the form, made once per workbook."""

    def __init__(self, wb: Any) -> None:
        base = {"font_name": FONT, "font_size": 11, "border": 1, "text_wrap": True, "valign": "vcenter"}
        self.wb = wb
        self.by_role = {
            "title": wb.add_format({"font_name": FONT, "font_size": 18, "bold": True, "align": "center",
                                    "valign": "vcenter"}),
            "subtitle": wb.add_format({"font_name": FONT, "font_size": 11, "align": "center", "valign": "vcenter"}),
            "label": wb.add_format({**base, "align": "center"}),
            "head": wb.add_format({**base, "align": "center", "bold": True}),
            "level1": wb.add_format({**base, "align": "center"}),
            "level2": wb.add_format({**base, "align": "center"}),
            "value": wb.add_format({**base, "align": "left", "indent": 1}),
            "name": wb.add_format({**base, "align": "left"}),
            "target": wb.add_format({**base, "align": "left"}),
            "goal": wb.add_format({**base, "align": "left", "valign": "top"}),
            "blank": wb.add_format(base),
            "money": wb.add_format({**base, "align": "right", "num_format": "#,##0.00"}),
            "number": wb.add_format({**base, "align": "center"}),
        }
        self._money: dict[str, Any] = {}
        self._dates: dict[str, Any] = {}
        self.by_role["date"] = self.by_role["value"]
        # the pieces of a long goal text: one cell to the eye (no line between the pieces)
        self.by_role["goal"] = wb.add_format({**base, "align": "left", "valign": "top", "bottom": 0})
        self.by_role["goal-more"] = wb.add_format({**base, "align": "left", "valign": "top", "top": 0, "bottom": 0})

    def date(self, num_format: str) -> Any:
        if num_format not in self._dates:
            self._dates[num_format] = self.wb.add_format({"font_name": FONT, "font_size": 11, "border": 1,
                                                         "align": "left", "valign": "vcenter", "indent": 1,
                                                         "num_format": num_format})
        return self._dates[num_format]

    def money(self, value: Decimal) -> Any:
        fmt = _money_format(value)
        if fmt not in self._money:
            self._money[fmt] = self.wb.add_format({"font_name": FONT, "font_size": 11, "border": 1, "align": "right",
                                                   "valign": "vcenter", "num_format": fmt})
        return self._money[fmt]


MAX_ROW_PT = 400.0
"""Excel's tallest row is 409.5 pt; a cell needing more is spread over several merged rows."""
_DATE = re.compile(r"^(\d{4})[-.](\d{2})(?:[-.](\d{2}))?$")


def _date(text: str) -> tuple[dt.datetime, str] | None:
    """A form date as a real Excel date and the number format that shows it as the form does."""
    hit = _DATE.match(text)
    if not hit:
        return None
    year, month, day = int(hit.group(1)), int(hit.group(2)), int(hit.group(3) or 1)
    try:
        value = dt.datetime(year, month, day)
    except ValueError:
        return None  # an impossible date stays the text it is (lint reports it)
    sep = "." if "." in text else "-"
    return value, f"yyyy{sep}mm{sep}dd" if hit.group(3) else f"yyyy{sep}mm"


def _heights(grid: Any) -> list[float]:
    """The height each grid row needs (points) for its text to show in full."""
    need = [1] * grid.rows
    widths = _sheet_widths(grid)
    for cell in grid.cells:
        last_col = cell.col + cell.colspan - 1
        width = sum(widths[cell.col:last_col + 1])
        per_row = -(-_lines(cell.text, width) // cell.rowspan)
        for r in range(cell.row, cell.row + cell.rowspan):
            need[r] = max(need[r], per_row)
    return [_shown_height(30.0 if r == 0 else max(20.0, lines * _LINE_PT + 4)) for r, lines in enumerate(need)]


def _shown_height(points: float) -> float:
    """A row height as the sheet keeps it: in whole pixels (¾ pt each), rounded, so that pages
    are reckoned with the heights the programs will print."""
    return round(points * 4 / 3) * 0.75


def _chunks(text: str, width: float) -> list[str]:
    """A long text cut into pieces that each fit a row Excel can show (joined, they are the text)."""
    most = int((MAX_ROW_PT - 4) // _LINE_PT)
    pieces: list[str] = []
    current = ""
    for paragraph in text.split("\n"):
        candidate = f"{current}\n{paragraph}" if current else paragraph
        if _lines(candidate, width) <= most:
            current = candidate
            continue
        if current:
            pieces.append(current + "\n")
            current = ""
        while _lines(paragraph, width) > most:  # one paragraph longer than a row: cut inside it
            cut = max(1, max(n for n in range(1, len(paragraph) + 1) if _lines(paragraph[:n], width) <= most))
            pieces.append(paragraph[:cut])
            paragraph = paragraph[cut:]
        current = paragraph
    pieces.append(current)
    return pieces


def _spread_goals(grid: Any) -> Any:
    """The grid with a goal text too long for one Excel row spread over as many rows as it needs
    (the label cell beside it merged over them all; the importer joins the pieces again)."""
    from ..formgrid import Grid
    goals = [c for c in grid.cells if c.role == "goal"]
    if not goals:
        return grid
    row = goals[0].row
    widths = _sheet_widths(grid)
    pieces = {c.col: _chunks(c.text, sum(widths[c.col:c.col + c.colspan])) for c in goals}
    extra = max(len(p) for p in pieces.values()) - 1
    if extra == 0:
        return grid
    cells = []
    for c in grid.cells:
        if c.role == "goal":
            for i in range(extra + 1):
                text = pieces[c.col][i] if i < len(pieces[c.col]) else ""
                cells.append(c._replace(row=row + i, text=text, role="goal" if i == 0 else "goal-more"))
        elif c.row <= row < c.row + c.rowspan:  # the label beside the goals
            cells.append(c._replace(rowspan=c.rowspan + extra))
        elif c.row > row:
            cells.append(c._replace(row=c.row + extra))
        else:
            cells.append(c)
    return Grid(tuple(cells), grid.rows + extra, grid.title, grid.widths)


def _form_sheet(wb: Any, formats: _Formats, name: str, grid: Any, project_name: str, landscape: bool = False,
                continued: bool = False) -> None:
    """One form on a sheet. ``continued``: a page that goes on with the indicators repeats their
    header and names (`paginate`), for forms whose importer passes over those rows."""
    ws = wb.add_worksheet(name)
    for col, width in enumerate(_sheet_widths(grid)):
        ws.set_column(col, col, width)
    grid = _spread_goals(grid)
    heights = _heights(grid)
    breaks: list[int] = []
    if not landscape:  # reckoned for a portrait page; a landscape one breaks by itself
        grid, heights, breaks = paginate(grid, heights, continued)
    # a grid row taller than Excel allows becomes several sheet rows, its cells merged over them
    parts = [max(1, -(-int(h) // int(MAX_ROW_PT))) for h in heights]
    start = [0]
    for n in parts:
        start.append(start[-1] + n)
    for r, (h, n) in enumerate(zip(heights, parts)):
        for k in range(n):
            ws.set_row(start[r] + k, h / n)
    for cell in grid.cells:
        first, last = start[cell.row], start[cell.row + cell.rowspan] - 1
        last_col = cell.col + cell.colspan - 1
        fmt = formats.money(cell.amount) if cell.amount is not None else formats.by_role[cell.role]
        date = _date(cell.text) if cell.role == "date" else None
        if first != last or cell.col != last_col:
            ws.merge_range(first, cell.col, last, last_col, None, fmt)
        if cell.amount is not None:
            write_amount(ws, first, cell.col, cell.amount, fmt)
        elif date is not None:
            ws.write_datetime(first, cell.col, date[0], formats.date(date[1]))
        elif cell.text:
            ws.write_string(first, cell.col, cell.text, fmt)
        else:
            ws.write_blank(first, cell.col, None, fmt)  # truly empty: =C7+C9 adds it as 0
    ws.repeat_rows(0, start[2] - 1)  # every printed page shows the form's title and year
    if breaks:
        ws.set_h_pagebreaks([start[b] for b in breaks])
    ws.set_paper(9)  # A4
    if landscape:  # a form with many columns (the 监控表's twelve)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)  # one page wide; as many pages tall as a long form needs
    else:
        ws.set_portrait()
        ws.set_print_scale(PRINT_SCALE)  # one page wide in every program, pages breaking where reckoned
    ws.set_margins(*_MARGINS)
    ws.center_horizontally()
    _running(ws, project_name)
    ws.hide_gridlines(2)


#: A4 portrait in points, and the margins `_form_sheet` sets (inches)
_A4 = (8.27 * 72, 11.69 * 72)
_MARGINS = (0.5, 0.5, 0.75, 0.75)
#: of a page's height, what rows may fill: the rest is slack for rounding in Excel, WPS and LibreOffice
_FILL = 0.97
PRINT_SCALE = 76
"""A portrait form prints at this scale (per cent), not "fit to width": how wide a column of N
characters is differs between Excel (7 px a character of the default font), WPS and LibreOffice
(9.3 px), so a fitted sheet shrinks by a different amount in each and no page break could be
reckoned for all of them. At 76 % the form is one page wide in each of them (at most 674 pt of
columns on 523 pt of paper), and a page holds the same rows everywhere."""


def page_height() -> float:
    """How many points of rows (as set on the sheet) one printed page holds at `PRINT_SCALE`."""
    return (_A4[1] - (_MARGINS[2] + _MARGINS[3]) * 72) * _FILL * 100 / PRINT_SCALE


def paginate(grid: Any, heights: list[float], continued: bool = True) -> tuple[Any, list[float], list[int]]:
    """Where printed pages break, from the rows' heights at `PRINT_SCALE`: before the
    row that no longer fits a page (never inside a row, never between the indicator header and
    the first indicator). Each page repeats the title rows; with ``continued``, a page that goes
    on with the indicators starts with their header again and its first row carries the names of
    its 一级/二级 (and of the side label) — rows inserted into the grid, which the importer passes
    over. Returns the grid, its rows' heights and the rows to break before."""
    from ..formgrid import Grid
    heads = sorted({c.row for c in grid.cells if c.role == "head"})
    first = heads[-1] + 1 if heads else grid.rows
    page = page_height()
    title = heights[0] + heights[1]
    head_h = sum(heights[r] for r in heads)
    used = 0.0
    breaks: list[int] = []
    groups = sorted({c.row for c in grid.cells if c.role == "level2"})
    for r in range(grid.rows):
        h = heights[r]
        if used + h > page and used > title:
            at = r
            if heads and r == first:
                at = heads[0]  # the header goes with its first row
            elif not continued and r > first:  # no header again: a whole 二级 group goes on
                at = max((g for g in groups if g <= r and g > max(breaks, default=0)), default=r)
            if at not in breaks and at > 1:
                breaks.append(at)
            used = title + (head_h if continued and at >= first else 0.0)
            if at != r:
                used += sum(heights[at:r])
        used += h
    inside = [b for b in breaks if continued and b >= first]
    if not inside:
        return grid, heights, breaks
    n = len(heads)

    def moved(row: int, later: bool) -> int:
        """A row's place once the header copies are in; ``later``: after the copy at its own row."""
        return row + n * sum(1 for b in inside if b < row or (later and b == row))

    cells = list(grid.cells)
    parts: set[int] = set()  # ids of the continued parts that start above the header copy
    head_col = min(h.col for h in grid.cells if h.role == "head")
    for b in inside:  # a merged cell across the break: one part on each page, the second named again
        split = []
        for c in cells:
            if c.row < b < c.row + c.rowspan:
                keep = c.role in ("level1", "level2", "label")
                rest = c._replace(row=b, rowspan=c.row + c.rowspan - b, text=c.text if keep else "")
                split += [c._replace(rowspan=b - c.row), rest]
                if c.col < head_col:
                    parts.add(id(rest))  # left of the header (the side label): it covers the header copy too
            else:
                split.append(c)
        cells = split
    out = []
    for c in cells:
        top = moved(c.row, id(c) not in parts)
        end = moved(c.row + c.rowspan - 1, True)  # its last row, where the copies put it
        out.append(c._replace(row=top, rowspan=end - top + 1))
    for b in inside:  # the header again, above the rows it heads
        top = moved(b, False)
        out += [c._replace(row=top + heads.index(c.row)) for c in grid.cells if c.role == "head"]
    new_heights: list[float] = []
    for r in range(grid.rows):
        if r in inside:
            new_heights += [heights[h] for h in heads]
        new_heights.append(heights[r])
    return (Grid(tuple(out), grid.rows + n * len(inside), grid.title, grid.widths, grid.css), new_heights,
            [moved(b, False) for b in breaks])


def form_workbook(items: Sequence[Any], title: str, blank_slots: bool = True, forms: bool = True,
                  official: bool = False) -> bytes:
    """A workbook: sheet 汇总 listing the projects and their amounts, then one sheet per project
    (``forms=False``: the list only — the year's workbook, whose forms are in the unit workbooks)."""
    from .. import formgrid
    from . import common

    buf = io.BytesIO()
    wb = _workbook(buf)
    formats = _Formats(wb)
    ws = wb.add_worksheet("汇总")
    head = wb.add_format({"bold": True, "border": 1, "bg_color": "#EEEEEE", "align": "center", "font_name": FONT,
                          "text_wrap": True, "valign": "vcenter"})
    text = wb.add_format({"border": 1, "font_name": FONT, "text_wrap": True, "valign": "vcenter", "indent": 1})
    link = wb.add_format({"border": 1, "font_name": FONT, "font_color": "blue", "underline": 1})
    money = wb.add_format({"border": 1, "num_format": "#,##0.00", "font_name": FONT})
    bold = wb.add_format({"border": 1, "num_format": "#,##0.00", "bold": True, "font_name": FONT})
    ws.merge_range(0, 0, 0, 5, title, wb.add_format({"bold": True, "font_size": 14, "font_name": FONT,
                                                     "align": "center"}))
    headers = ("序号", "实施单位", "项目名称", "项目类别", "项目资金总额（万元）", "年度资金申请总额（万元）")
    for c, h in enumerate(headers):
        ws.write_string(2, c, h, head)
    names: list[str] = ["汇总"]
    totals = [Decimal(0), Decimal(0)]
    for i, item in enumerate(items):
        p = item.project
        sheet = sheet_name(p.name or f"项目{i + 1}", names)
        names.append(sheet)
        r = 3 + i
        ws.write_number(r, 0, i + 1, text)
        ws.write_string(r, 1, units.of(item), text)
        if forms:
            ws.write_url(r, 2, f"internal:'{sheet.replace(chr(39), chr(39) * 2)}'!A1", link, string=p.name or sheet)
        else:
            ws.write_string(r, 2, p.name or "", text)
        category = p.category or p.nature or ""
        if category:
            ws.write_string(r, 3, category, text)
        else:
            ws.write_blank(r, 3, None, text)
        line = common.project_line(item)  # one money policy: 万元, a project in 元 converted exactly
        for k, (c, value) in enumerate(((4, line.total), (5, line.annual))):
            if value is None:
                ws.write_blank(r, c, None, money)
            else:
                write_amount(ws, r, c, value, money)
                totals[k] += value
    last = 3 + len(items) - 1
    total_row = last + 1
    for c in (0, 1, 3):  # the 合计 row ruled across, like the rows above it
        ws.write_blank(total_row, c, None, text)
    ws.write_string(total_row, 2, "合计", text)
    for k, c in enumerate((4, 5)):
        col = chr(ord("A") + c)
        cached = float(totals[k]) if math.isfinite(float(totals[k])) else 0
        ws.write_formula(total_row, c, f"=SUM({col}4:{col}{last + 1})", bold, cached)
    if any(i.project.money_unit == "元" for i in items):
        ws.write_string(total_row + 1, 2, "以元填报的项目已换算为万元", text)
    for c, w in enumerate((6, 16, 34, 12, 18, 22)):
        ws.set_column(c, c, w)
    ws.set_row(2, 36)  # the column heads on two lines ("年度资金申请总额" / "（万元）")
    ws.freeze_panes(3, 0)
    ws.repeat_rows(0, 2)  # every printed page of the list shows its title and column heads
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    _running(ws, title)
    from ..forms import of
    for item, sheet in zip(items if forms else (), names[1:]):
        _form_sheet(wb, formats, sheet, formgrid.build(item.project, blank_slots, official), item.project.name or sheet,
                    continued=of(item.project).read is None)
    wb.close()
    return buf.getvalue()


def beside_workbook(documents: Sequence[Any]) -> bytes:
    """A workbook of the forms kept beside target tables (自评表, 监控表), one sheet each, laid
    out by their grid (`formgrid.build`; the Excel importer reads it back)."""
    from .. import formgrid, forms

    buf = io.BytesIO()
    wb = _workbook(buf)
    formats = _Formats(wb)
    names: list[str] = []
    for i, document in enumerate(documents):
        form = forms.of(document)
        sheet = sheet_name(document.name or f"{form.title}{i + 1}", names)
        names.append(sheet)
        grid = formgrid.build(document)
        _form_sheet(wb, formats, sheet, grid, f"{document.name or sheet} {form.title}", landscape=len(grid.widths) > 9)
    wb.close()
    return buf.getvalue()


def render(req: Any) -> Any:
    """``render --format xlsx``: a workbook per unit (汇总 sheet + one sheet per form); for the
    whole year also the year's workbook listing every project."""
    from ..corpus import load
    from ..naming import safe_name
    from ..forms.base import KIND_WORDS
    from . import Written, beside, common, file_word, pick
    if req.beside:
        out = req.out / str(req.year)
        written = [common.write_inside(out, f"{safe_name(unit)}-{file_word(req.kind)}.xlsx", beside_workbook(group))
                   for unit, group in beside(req)]
        return Written(written, f"已生成 {len(written)} 个{KIND_WORDS[req.kind]}工作簿到 {out}")
    items = pick(load(req.files), req.project, req.elsewhere)
    out = req.out / str(req.year)
    written = []
    for unit in common.units(items, req.unit_names):
        name = safe_name(req.project) if req.project else safe_name(unit.folder)
        title = f"{req.year} 年度 {unit.name} 财政项目支出绩效目标表"
        members = [p.item for p in unit.projects]
        written.append(common.write_inside(out, f"{name}.xlsx", form_workbook(members, title, req.blank_slots,
                                                                               official=req.official)))
    if req.whole:
        title = f"{req.year} 年度财政项目支出绩效目标表（全部单位）"
        written.append(common.write_inside(out, f"{req.year}年度绩效目标表.xlsx",
                                           form_workbook(items, title, req.blank_slots, forms=False)))
    shown = "、".join(p.name for p in written[:5]) + ("……" if len(written) > 5 else "")
    return Written(written, f"已生成 {len(written)} 个工作簿到 {out}：{shown}")
