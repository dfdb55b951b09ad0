"""Import workbooks in the official form layout (ours, or the same form filled by hand in Excel).

Each sheet that carries the form's title is one project. The sheet becomes rows of cell texts
(a merged range's text sits in its top-left cell, the rest are empty — the same shape as the
grid `formgrid` lays out), and the rows go through the same table reader as the PDF text, in
its exact-column mode. Hand-filled quirks are accepted: blank rows, ticks written ☑ √ ■,
numbers typed as text, real Excel dates. Only this module imports openpyxl.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from typing import Any

from ..formgrid import TITLE, TITLE_NEW
from ..textnorm import squash
from . import Imported, ImportFailure
from .text import Table, Unreadable

_DECIMALS = re.compile(r"\.(0+)")
MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024
MAX_ROWS, MAX_COLUMNS = 2000, 30
"""A town's workbook of 104 forms is about 200 KB; a form sheet has some 60 rows and 5 columns.
Anything far beyond is not a workbook of forms, and reading it would only cost minutes and GBs."""


def _too_big(data: bytes) -> str | None:
    if len(data) > MAX_BYTES:
        return f"工作簿过大（{len(data) // 1024 // 1024} MB），超过 {MAX_BYTES // 1024 // 1024} MB 的上限"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except zipfile.BadZipFile:
        return None  # openpyxl says what it is
    if unpacked > MAX_UNPACKED:
        return f"工作簿解压后过大（{unpacked // 1024 // 1024} MB），超过 {MAX_UNPACKED // 1024 // 1024} MB 的上限"
    return None


def _text(cell: Any) -> str:
    """A cell's value as the text the form shows: numbers with the decimals their format shows."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (dt.datetime, dt.date)):
        fmt = (cell.number_format or "").lower()
        if "y" in fmt and "m" in fmt and "d" not in fmt:
            return value.strftime("%Y-%m")  # a month: the form wrote 2024-01 (or 2024.01)
        if isinstance(value, dt.datetime) and value.time() != dt.time():
            return value.isoformat(sep=" ")
        return value.strftime("%Y-%m-%d")
    if isinstance(value, (int, float)):
        hit = _DECIMALS.search(cell.number_format or "")
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if hit:
            return format(exact.quantize(Decimal(1).scaleb(-len(hit.group(1)))), "f")
        return format(exact.normalize(), "f") if exact == exact.to_integral() else format(exact, "f")
    # spaces go, line breaks stay: a goal text spread over rows may break between its pieces
    return str(value).replace("\r\n", "\n").strip(" \t")


def read_source(data: bytes, source: str, year: int | None) -> tuple[list[Imported], list[ImportFailure]]:
    """Every form sheet of a workbook → imported projects; sheets that fail name the cell."""
    try:
        import openpyxl
    except ImportError:
        return [], [ImportFailure(0, 0, "读取 Excel 需要 openpyxl：请运行 pip install openpyxl")]
    too_big = _too_big(data)
    if too_big:
        return [], [ImportFailure(0, 0, too_big)]
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=True)
    except Exception as e:  # a zip that is not a workbook, a password-protected file, …
        return [], [ImportFailure(0, 0, f"不是有效的 Excel 工作簿（.xlsx）：{type(e).__name__}")]
    done: list[Imported] = []
    failed: list[ImportFailure] = []
    index = 0
    for ws, ws_formulas in zip(wb.worksheets, formulas.worksheets):
        rows: list[tuple[int, list[str]]] = []
        uncached: list[str] = []
        for r, (row, frow) in enumerate(zip(ws.iter_rows(max_row=MAX_ROWS), ws_formulas.iter_rows(max_row=MAX_ROWS)),
                                        start=1):
            cells = [_text(c) for c in row[:MAX_COLUMNS]]
            uncached += [f.coordinate for c, f in zip(row, frow) if f.data_type == "f" and c.value is None]
            if any(cells):  # hand-filled sheets often carry blank spacer rows
                rows.append((r, cells))
        titled = any(TITLE in squash(c) or TITLE_NEW in squash(c) for _r, cells in rows[:3] for c in cells)
        has_head = any(squash(c) == "一级指标" for _r, cells in rows for c in cells)
        if not titled or not has_head:
            form_like = has_head or any(squash(c) in ("项目绩效目标", "绩效指标") for _r, cells in rows for c in cells)
            if form_like:
                index += 1  # looks like a form, but is not one as written: say so rather than skip it
                failed.append(ImportFailure(index, 0, f"工作表“{ws.title}”像是绩效目标表，但前三行没有标题“{TITLE}”"
                                                      f"{'' if has_head else '，也没有“一级指标”表头'}，未导入"))
            continue  # a summary or notes sheet, not a form
        if uncached:
            index += 1
            shown = "、".join(f"{ws.title}!{c}" for c in uncached[:10]) + ("……" if len(uncached) > 10 else "")
            failed.append(ImportFailure(index, 0, f"工作表“{ws.title}”有公式没有保存计算结果：{shown}。"
                                                  "请在 Excel/WPS 中打开、重新计算并保存后再导入"))
            continue
        index += 1
        table = Table(join_goal_pieces(rows), source, index, year, exact=True, origin=f"{source} 工作表“{ws.title}”")
        try:
            done.append(table.parse())
        except Unreadable as e:
            failed.append(ImportFailure(index, e.line, f"{ws.title}!A{e.line}：{e}"))
        except (StopIteration, ValueError, IndexError) as e:
            failed.append(ImportFailure(index, 0, f"工作表“{ws.title}”不是官方表式：{type(e).__name__}"))
    if not done and not failed:
        failed.append(ImportFailure(0, 0, f"工作簿中没有绩效目标表（没有标题为“{TITLE}”的工作表）"))
    return done, failed


def join_goal_pieces(rows: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """A goal text spread over several rows (too long for one Excel row) as one row again: the
    rows between the goal text and the indicator header continue the goal text, column by column."""
    labels = next((i for i, (_r, cells) in enumerate(rows) if any(squash(c) == "项目绩效目标" for c in cells)), None)
    head = next((i for i, (_r, cells) in enumerate(rows) if any(squash(c) == "一级指标" for c in cells)), None)
    if labels is None or head is None or head <= labels + 2:
        return rows
    number, first = rows[labels + 1]
    joined = list(first)
    for _r, cells in rows[labels + 2:head]:
        for col, text in enumerate(cells):
            if text and col > 0:
                joined[col] = joined[col] + text if col < len(joined) else text
    return [*rows[:labels + 1], (number, joined), *rows[head:]]
