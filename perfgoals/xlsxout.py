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
