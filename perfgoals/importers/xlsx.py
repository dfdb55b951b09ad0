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
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .. import model as m
from .. import selfeval as se
from ..forms import SELFEVAL_2020, TARGET_TITLES, TOWN_2024, by_title, sheet
from ..formgrid import SELFEVAL_HEAD, SELFEVAL_MONEY_ROWS
from ..textnorm import squash
from . import Imported, ImportFailure
from .text import Table, Unreadable

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
        return shown_date(value, cell.number_format or "")
    if isinstance(value, (int, float)):
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        return shown_number(exact, cell.number_format or "General")
    # spaces go, line breaks stay: a goal text spread over rows may break between its pieces
    return str(value).replace("\r\n", "\n").strip(" \t")


_TOKEN = re.compile(r'"(?P<quoted>[^"]*)"|\\(?P<escaped>.)|(?P<skip>\[[^\]]*\]|_.|\*.)|(?P<digit>[0#?.,])|(?P<other>.)',
                    re.DOTALL)


def shown_number(value: Decimal, number_format: str) -> str:
    """A number as Excel/WPS shows it under its number format: ``0%`` → 95%, ``0.0%`` → 95.0%,
    ``0.00`` → 2.70, ``#,##0`` → 1,500, ``0"人次"`` → 1500人次. Only the first section of a format
    (the one for positive numbers) and the parts people use on forms are applied; ``General``,
    text (``@``), scientific and fraction formats show the number as it is stored."""
    section = _first_section(number_format)
    tokens = [(hit.lastgroup or "", hit.group(hit.lastgroup or 0)) for hit in _TOKEN.finditer(section)]
    digits = [i for i, (kind, text) in enumerate(tokens) if kind == "digit" and text in "0#?"]
    literal = "".join(text for kind, text in tokens if kind in ("quoted", "escaped", "other"))
    if section.strip().lower() in ("general", "@", "") or not digits or re.search(r"[eE][+-]|/|@", literal):
        return _plain(value)
    numeric = "".join(text for kind, text in tokens[digits[0]:digits[-1] + 1] if kind == "digit")
    percent = any(kind == "other" and text == "%" for kind, text in tokens)
    decimals = len(re.sub(r"[^0#?]", "", numeric.split(".", 1)[1])) if "." in numeric else 0
    shown = value * 100 if percent else value
    text = format(shown.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP), ",f" if "," in numeric else "f")

    def words(part: list[tuple[str, str]]) -> str:
        return "".join(t for kind, t in part if kind in ("quoted", "escaped") or kind == "other" and t != "%")
    return f"{words(tokens[:digits[0]])}{text}{words(tokens[digits[-1] + 1:])}{'%' if percent else ''}"


_DATE_TOKEN = re.compile(r'"(?P<quoted>[^"]*)"|\\(?P<escaped>.)|(?P<skip>\[[^\]]*\]|_.|\*.)|(?P<year>y+)|'
                         r'(?P<month>m+)|(?P<day>d+)|(?P<other>.)', re.DOTALL | re.IGNORECASE)


def shown_date(value: dt.date, number_format: str) -> str:
    """A date as the form shows it: a format written in words (``yyyy"年"m"月"d"日"`` →
    2024年6月30日, ``m"月"d"日"`` → 6月30日) as it reads; the ISO forms (2024-06-30, or 2024-06 for
    a month) for the usual numeric formats and any with a time of day."""
    section = _first_section(number_format)
    lowered = section.lower()
    if isinstance(value, dt.datetime) and value.time() != dt.time():
        return value.isoformat(sep=" ")
    if "h" in lowered or "ss" in lowered:
        return value.strftime("%Y-%m-%d")
    tokens = [(hit.lastgroup or "", hit.group(hit.lastgroup or 0)) for hit in _DATE_TOKEN.finditer(section)]
    kinds = {kind for kind, _t in tokens}
    if not any(kind in ("quoted", "escaped") or kind == "other" and not t.isascii() for kind, t in tokens):
        if "year" in kinds and "month" in kinds and "day" not in kinds:
            return value.strftime("%Y-%m")  # a month: the form wrote 2024-01 (or 2024.01)
        return value.strftime("%Y-%m-%d")
    out: list[str] = []
    for kind, text in tokens:
        if kind == "year":
            out.append(f"{value.year:04d}" if len(text) != 2 else f"{value.year % 100:02d}")
        elif kind == "month":
            out.append(f"{value.month:02d}" if len(text) == 2 else str(value.month))
        elif kind == "day":
            out.append(f"{value.day:02d}" if len(text) == 2 else str(value.day))
        elif kind in ("quoted", "escaped", "other"):
            out.append(text)
    return "".join(out)


def _first_section(number_format: str) -> str:
    """The part of a number format before its first unquoted ``;``."""
    quoted = False
    for i, ch in enumerate(number_format):
        if ch == '"':
            quoted = not quoted
        elif ch == ";" and not quoted:
            return number_format[:i]
    return number_format


def _plain(value: Decimal) -> str:
    """A number with no format: as stored, without a float's trailing noise."""
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


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
        if any(SELFEVAL_2020.title in squash(c) for _r, cells in rows[:3] for c in cells):
            index += 1
            try:
                done.append(read_selfeval(rows, source, index, year, ws.title))
            except Unreadable as e:
                failed.append(ImportFailure(index, e.line, f"{ws.title}!A{e.line}：{e}"))
            except (StopIteration, ValueError, IndexError):  # a part of the form missing or cut off
                failed.append(ImportFailure(index, 0, f"工作表“{ws.title}”不是完整的自评表表式（缺少指标表头或年度总体目标"
                                                      "下的内容），未导入"))
            continue
        own = next((f for _r, cells in rows[:3] for c in cells if (f := by_title(squash(c))) is not None), None)
        if own is not None and own.read is not None:  # a form that reads itself (its own layout)
            index += 1
            try:
                done.append(_own_form(own, rows, source, index, year, ws.title))
            except sheet.Unreadable as e:
                failed.append(ImportFailure(index, e.line, f"{ws.title}!A{e.line}：工作表不是完整的“{own.title}”：{e}"))
            except Unreadable as e:
                failed.append(ImportFailure(index, e.line, f"{ws.title}!A{e.line}：{e}"))
            continue
        titled = any(title in squash(c) for _r, cells in rows[:3] for c in cells for title in TARGET_TITLES)
        has_head = any(squash(c) == "一级指标" for _r, cells in rows for c in cells)
        if not titled or not has_head:
            form_like = has_head or any(squash(c) in ("项目绩效目标", "绩效指标") for _r, cells in rows for c in cells)
            if form_like:
                index += 1  # looks like a form, but is not one as written: say so rather than skip it
                failed.append(ImportFailure(index, 0, f"工作表“{ws.title}”像是绩效目标表，但前三行没有标题“{TOWN_2024.title}”"
                                                      f"{'' if has_head else '，也没有“一级指标”表头'}，未导入"))
            continue  # a summary or notes sheet, not a form
        if uncached:
            index += 1
            shown = "、".join(f"{ws.title}!{c}" for c in uncached[:10]) + ("……" if len(uncached) > 10 else "")
            failed.append(ImportFailure(index, 0, f"工作表“{ws.title}”有公式没有保存计算结果：{shown}。"
                                                  "请在 Excel/WPS 中打开、重新计算并保存后再导入"))
            continue
        index += 1
        table = Table(join_goal_pieces(rows), source, index, year, exact=True, origin=f"{source} 工作表“{ws.title}”",
                      sheet=ws.title)
        try:
            done.append(table.parse())
        except Unreadable as e:
            failed.append(ImportFailure(index, e.line, f"{ws.title}!A{e.line}：{e}"))
        except (StopIteration, ValueError, IndexError) as e:
            failed.append(ImportFailure(index, 0, f"工作表“{ws.title}”不是官方表式：{type(e).__name__}"))
    if not done and not failed:
        failed.append(ImportFailure(0, 0, f"工作簿中没有绩效目标表（没有标题为“{TOWN_2024.title}”的工作表）"))
    return done, failed


def _own_form(form: Any, rows: list[tuple[int, list[str]]], source: str, index: int, year: int | None,
              sheet_name: str) -> Imported:
    document = form.hook("read")(rows, year)
    header = f"由 perfgoals import 自 {source} 工作表“{sheet_name}”导入（{form.title}）"
    if form.kind == "target":
        return Imported(document, {}, header, index, rows[0][0] if rows else 1)
    # a form kept beside a target table: the project holds only its header (where the file goes)
    header_only = m.Project(document.name, document.year, None, document.department, document.unit, None, None,
                            m.Funds(), m.AnnualFunds(), None, None, None, ())
    return Imported(header_only, {}, header, index, rows[0][0] if rows else 1, beside=document)


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


def _cell(cells: list[str], col: int) -> str:
    return cells[col].strip() if col < len(cells) else ""


def _amount(text: str, line: int, what: str) -> Decimal | None:
    from ..loader import _short
    from ..money import RANGE, parse
    text = text.strip()
    if text in ("", "—", "-", "/"):
        return None
    value = parse(text)  # commas of thousands allowed
    if value is None:
        raise Unreadable(line, f"{what}应为数字（{RANGE}），实为“{_short(text)}”")
    return value


def read_selfeval(rows: list[tuple[int, list[str]]], source: str, index: int, year: int | None,
                  sheet: str) -> Imported:
    """A 自评 sheet laid out by `formgrid.build_selfeval` (or filled in by hand in that layout) →
    the 自评表, found by its labels: 项目名称, 主管部门/实施单位, 项目资金（…）, 年度总体目标, the
    indicator header, 总分. A merged label stands in its first row; the rows below carry it on."""
    def find(label: str) -> int:
        for i, (_r, cells) in enumerate(rows):
            if squash(_cell(cells, 0)).startswith(label):
                return i
        raise Unreadable(rows[-1][0] if rows else 1, f"没有找到“{label}”一栏，不是自评表的表式")

    year_found = year
    for _r, cells in rows[:3]:
        hit = re.search(r"(\d{4})\s*年度", "".join(cells))
        if hit:
            year_found = int(hit.group(1))
    name_row = rows[find("项目名称")][1]
    dept_row = rows[find("主管部门")][1]
    unit_col = next((k for k, c in enumerate(dept_row) if squash(c) == "实施单位"), 4)
    money_at = find("项目资金")
    money_line, money_cells = rows[money_at]
    unit_match = re.search(r"（\s*(万元|元)\s*）|\(\s*(万元|元)\s*\)", _cell(money_cells, 0))
    money_unit = (unit_match.group(1) or unit_match.group(2)) if unit_match else "万元"
    money: dict[str, se.MoneyRow] = {}
    weight = rate = score = None
    rate_text = score_text = None
    for line, cells in rows[money_at + 1:money_at + 1 + len(SELFEVAL_MONEY_ROWS)]:
        label = squash(_cell(cells, 1)).replace("其中：", "").replace("其中:", "")
        key = next((k for shown, k in SELFEVAL_MONEY_ROWS if squash(k) == label), None)
        if key is None:
            raise Unreadable(line, f"项目资金下的“{_cell(cells, 1)}”不是自评表的资金行")
        values = [_amount(_cell(cells, c), line, f"{key}的{head}") for c, head in zip((3, 4, 5), se.MONEY_COLUMNS)]
        money[key] = se.MoneyRow(*values)
        if key == se.R_TOTAL:
            weight = _amount(_cell(cells, 6), line, "预算执行率的分值")
            shown = _cell(cells, 7).rstrip("%％").strip()
            rate, rate_text = (_amount(shown, line, "执行率"), shown) if shown else (None, None)
            score_text = _cell(cells, 8) or None
            score = _amount(score_text or "", line, "预算执行得分")
    goal_at = find("年度总体目标")
    goal_cells = rows[goal_at + 1][1]
    expected = _cell(goal_cells, 1) or None
    achieved = _cell(goal_cells, 5) or None
    head_at = next(i for i, (_r, cells) in enumerate(rows) if squash(_cell(cells, 1)) == SELFEVAL_HEAD[0])
    groups: list[tuple[str, str, list[se.Row]]] = []
    level1 = level2 = ""
    total = total_text = None
    for line, cells in rows[head_at + 1:]:
        if squash(_cell(cells, 0)) == "总分":
            total_text = _cell(cells, 7) or None
            total = _amount(total_text or "", line, "总分")
            break
        level1 = _cell(cells, 1) or level1
        if _cell(cells, 2) and _cell(cells, 2) != level2 or not groups or groups[-1][0] != level1:
            level2 = _cell(cells, 2) or level2
            groups.append((level1, level2, []))
        name, target, actual = _cell(cells, 3) or None, _cell(cells, 4) or None, _cell(cells, 5) or None
        weight_row = _amount(_cell(cells, 6), line, f"“{name}”的分值")
        score_row_text = _cell(cells, 7) or None
        score_row = _amount(score_row_text or "", line, f"“{name}”的得分")
        reason = _cell(cells, 8) or None
        if any((name, target, actual, weight_row, score_row, reason)):
            groups[-1][2].append(se.Row(name, target, actual, weight_row, score_row, reason, score_row_text))
    evaluation = se.SelfEval(
        name=_cell(name_row, 1) or None, year=year_found, department=_cell(dept_row, 1) or None,
        unit=next((c for c in dept_row[unit_col + 1:] if c.strip()), "").strip() or None, money_unit=money_unit,
        money=money, budget_weight=weight, stated_rate=rate, budget_score=score, expected=expected,
        achieved=achieved, groups=tuple(se.Group(a, b, tuple(rs)) for a, b, rs in groups), total=total,
        budget_score_text=score_text, total_text=total_text, rate_text=rate_text)
    header_only = m.Project(evaluation.name, evaluation.year, None, evaluation.department, evaluation.unit, None,
                            None, m.Funds(), m.AnnualFunds(), None, None, None, ())
    note = f"由 perfgoals import 自 {source} 工作表“{sheet}”导入（第 {index} 张自评表）"
    return Imported(header_only, {}, note, index, rows[0][0] if rows else 1, beside=evaluation)
