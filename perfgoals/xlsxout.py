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
from decimal import Decimal
from typing import Any, Sequence

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from .report import Table

FIXED_DATE = dt.datetime(2024, 1, 1)
FONT = "宋体"


def _workbook(buf: io.BytesIO) -> Any:
    wb = xlsxwriter.Workbook(buf, {
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
        "in_memory": True,
    })
    wb.set_properties({"title": "财政项目支出绩效目标表", "author": "perfgoals", "created": FIXED_DATE,
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
    for r, row in enumerate(table.rows, start=first + 1):
        for c, (value, column) in enumerate(zip(row, table.columns)):
            _cell(ws, r, c, value, column.kind, text, money, integer)
            widths[c] = max(widths[c], _width(_display(value)))
    last = first + len(table.rows)
    if table.footer is not None:
        r = last + 1
        for c, (value, column) in enumerate(zip(table.footer, table.columns)):
            if column.kind in ("money", "int") and table.rows:
                rng = f"{xl_rowcol_to_cell(first + 1, c)}:{xl_rowcol_to_cell(last, c)}"
                ws.write_formula(r, c, f"=SUM({rng})", bold_money if column.kind == "money" else bold_text,
                                 float(value) if isinstance(value, (Decimal, int)) else 0)
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


def _display(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return "" if value is None else str(value)


def _cell(ws: Any, r: int, c: int, value: Any, kind: str, text: Any, money: Any, integer: Any) -> None:
    if value is None or value == "":
        ws.write_blank(r, c, None, text)
    elif isinstance(value, Decimal):
        ws.write_number(r, c, float(value), money)
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
FORM_WIDTHS = tuple(round(w * 0.92, 1) for w in (10, 13, 17, 34, 26))
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
            "value": wb.add_format({**base, "align": "left"}),
            "name": wb.add_format({**base, "align": "left"}),
            "target": wb.add_format({**base, "align": "left"}),
            "goal": wb.add_format({**base, "align": "left", "valign": "top"}),
            "blank": wb.add_format(base),
            "money": wb.add_format({**base, "align": "right", "num_format": "#,##0.00"}),
        }
        self._money: dict[str, Any] = {}

    def money(self, value: Decimal) -> Any:
        fmt = _money_format(value)
        if fmt not in self._money:
            self._money[fmt] = self.wb.add_format({"font_name": FONT, "font_size": 11, "border": 1, "align": "right",
                                                   "valign": "vcenter", "num_format": fmt})
        return self._money[fmt]


def _form_sheet(wb: Any, formats: _Formats, name: str, grid: Any, project_name: str) -> None:
    ws = wb.add_worksheet(name)
    for col, width in enumerate(FORM_WIDTHS):
        ws.set_column(col, col, width)
    need = [1] * grid.rows
    for cell in grid.cells:
        fmt = formats.money(cell.amount) if cell.amount is not None else formats.by_role[cell.role]
        last_row, last_col = cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1
        if cell.amount is not None:
            ws.write_number(cell.row, cell.col, float(cell.amount), fmt)
        elif cell.rowspan > 1 or cell.colspan > 1:
            ws.merge_range(cell.row, cell.col, last_row, last_col, cell.text, fmt)
        else:
            ws.write_string(cell.row, cell.col, cell.text, fmt)
        width = sum(FORM_WIDTHS[cell.col:last_col + 1])
        lines = _lines(cell.text, width)
        per_row = -(-lines // cell.rowspan)
        for r in range(cell.row, last_row + 1):
            need[r] = max(need[r], per_row)
    for r, lines in enumerate(need):
        height = 30 if r == 0 else max(20, lines * _LINE_PT + 4)
        ws.set_row(r, height)
    ws.set_paper(9)  # A4
    ws.set_portrait()
    ws.fit_to_pages(1, 0)  # one page wide; as many pages tall as a long form needs
    ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    ws.center_horizontally()
    ws.set_header(f'&C&"{FONT},常规"&9{_header_text(project_name)}')
    ws.set_footer(f'&C&"{FONT},常规"&9第 &P 页，共 &N 页')
    ws.hide_gridlines(2)


def form_workbook(items: Sequence[Any], title: str, blank_slots: bool = True, forms: bool = True) -> bytes:
    """A workbook: sheet 汇总 listing the projects and their amounts, then one sheet per project
    (``forms=False``: the list only — the year's workbook, whose forms are in the unit workbooks)."""
    from . import formgrid

    buf = io.BytesIO()
    wb = _workbook(buf)
    formats = _Formats(wb)
    ws = wb.add_worksheet("汇总")
    head = wb.add_format({"bold": True, "border": 1, "bg_color": "#EEEEEE", "align": "center", "font_name": FONT,
                          "text_wrap": True, "valign": "vcenter"})
    text = wb.add_format({"border": 1, "font_name": FONT, "text_wrap": True, "valign": "vcenter"})
    link = wb.add_format({"border": 1, "font_name": FONT, "font_color": "blue", "underline": 1})
    money = wb.add_format({"border": 1, "num_format": "#,##0.00", "font_name": FONT})
    bold = wb.add_format({"border": 1, "num_format": "#,##0.00", "bold": True, "font_name": FONT})
    ws.merge_range(0, 0, 0, 6, title, wb.add_format({"bold": True, "font_size": 14, "font_name": FONT,
                                                     "align": "center"}))
    headers = ("序号", "实施单位", "项目名称", "项目类别", "金额单位", "项目资金总额", "年度资金申请总额")
    for c, h in enumerate(headers):
        ws.write_string(2, c, h, head)
    names: list[str] = ["汇总"]
    for i, item in enumerate(items):
        p = item.project
        sheet = sheet_name(p.name or f"项目{i + 1}", names)
        names.append(sheet)
        r = 3 + i
        ws.write_number(r, 0, i + 1, text)
        ws.write_string(r, 1, item.unit_folder or p.unit or "", text)
        if forms:
            ws.write_url(r, 2, f"internal:'{sheet.replace(chr(39), chr(39) * 2)}'!A1", link, string=p.name or sheet)
        else:
            ws.write_string(r, 2, p.name or "", text)
        ws.write_string(r, 3, p.category or p.nature or "", text)
        ws.write_string(r, 4, p.money_unit, text)
        for c, value in ((5, p.funds.total), (6, p.annual.total)):
            if value is None:
                ws.write_blank(r, c, None, money)
            else:
                ws.write_number(r, c, float(value), money)
    last = 3 + len(items) - 1
    total_row = last + 1
    ws.write_string(total_row, 2, "合计（仅万元填报的项目）" if any(i.project.money_unit == "元" for i in items)
                    else "合计", text)
    for c in (5, 6):
        col = chr(ord("A") + c)
        if any(i.project.money_unit == "元" for i in items):
            formula = f'=SUMIF(E4:E{last + 1},"万元",{col}4:{col}{last + 1})'
        else:
            formula = f"=SUM({col}4:{col}{last + 1})"
        values = [i.project.funds.total if c == 5 else i.project.annual.total for i in items
                  if i.project.money_unit == "万元"]
        cached = sum((v for v in values if v is not None), Decimal(0))
        ws.write_formula(total_row, c, formula, bold, float(cached))
    for c, w in enumerate((6, 16, 36, 12, 8, 14, 16)):
        ws.set_column(c, c, w)
    ws.freeze_panes(3, 0)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    for item, sheet in zip(items if forms else (), names[1:]):
        _form_sheet(wb, formats, sheet, formgrid.build(item.project, blank_slots), item.project.name or sheet)
    wb.close()
    return buf.getvalue()
