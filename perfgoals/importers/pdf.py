"""Import text PDFs laid out like the official form (the PDFs `perfgoals render --format pdf`
writes, and others printed from the same form). Only this module imports pdfplumber.

Each page's ruled table is read cell by cell, with each cell's position: a cell belongs to the
column of the form whose left edge it starts at, so the page becomes rows of the form's five
columns — the shape the Excel importer makes of a sheet — and goes through the same table
reader in exact-column mode. What printing adds is taken back out: the running header and
footer (outside the table), the indicator header repeated on each page, the 一级/二级 labels a
page repeats when it starts inside a group, and a goal text that continues on the next page.

Line breaks: a cell's text wraps at the cell edge; a line that ends well before the edge ended
with a real line break (a numbered goal list), so only those become "\\n".
"""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass, field
from typing import Any

from ..forms import TARGET_TITLES, TOWN_2024
from ..formgrid import WIDTHS
from ..textnorm import squash
from . import Imported, ImportFailure
from .text import Table, Unreadable

#: The left edges of the form's five columns, as fractions of the table width.
_EDGES = tuple(sum(WIDTHS[:i]) / 100 for i in range(len(WIDTHS)))
_HEAD = ("绩效指标", "一级指标", "二级指标", "三级指标")
_GOAL_SIDE, _GOAL_LABEL = "项目绩效目标", "项目总目标"
MAX_BYTES = 50 * 1024 * 1024
_CLOSING = "，。、；：！？）》」』】〕)]}%"
_OPENING = "（《「『【〔([{"
_QUOTES = "“”‘’\"'"
"""Punctuation that may not start (closing) or end (opening) a line, and quotation marks, which
line breaking keeps with the characters on both sides."""
PADDING = 4.0
"""A cell's inner padding and border in points (the print CSS pads cells by 4px = 3pt)."""
MAX_PAGES = 2000
#: What the compressed streams of a PDF of forms may unpack to, one and all together: a form's
#: page is text and lines (kilobytes); a scanned page is a few megabytes. A decompression bomb
#: (1.3 MB unpacking to gigabytes) is refused before pdfplumber decodes anything.
MAX_STREAM = 64 * 1024 * 1024
MAX_UNPACKED = 512 * 1024 * 1024
_STREAM = re.compile(rb"stream\r?\n")


def _unpacked_too_big(data: bytes) -> str | None:
    """Decompress each Flate stream of the raw file with a cap (never more than the cap in
    memory): a message when one stream or all together unpack beyond the limits."""
    total = 0
    for hit in _STREAM.finditer(data):
        end = data.find(b"endstream", hit.end())
        if end < 0:
            break
        inflater = zlib.decompressobj()
        size = 0
        try:
            chunk = inflater.decompress(data[hit.end():end], MAX_STREAM + 1)
            size = len(chunk)
            while inflater.unconsumed_tail and size <= MAX_STREAM:
                size += len(inflater.decompress(inflater.unconsumed_tail, MAX_STREAM + 1 - size))
        except zlib.error:
            continue  # not Flate (an image's DCT, an unpacked stream): pdfplumber reads it as it is
        if size > MAX_STREAM:
            return f"PDF 中有一段压缩数据解压后超过 {MAX_STREAM // 1024 // 1024} MB，不是绩效目标表（可能是“压缩炸弹”）"
        total += size
        if total > MAX_UNPACKED:
            return f"PDF 的压缩数据解压后合计超过 {MAX_UNPACKED // 1024 // 1024} MB，不是绩效目标表"
    return None


@dataclass
class _Form:
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    first_page: int = 0
    seen_head: bool = False
    level1: str = ""
    level2: str = ""
    #: the goal labels (项目总目标 | 年度总体目标) were read: a page that continues a goal repeats them
    goal_labels: bool = False


def _column(x0: float, left: float, width: float) -> int:
    """The form column (0–4) whose left edge a cell starts at."""
    rel = (x0 - left) / width
    return min(range(len(_EDGES)), key=lambda i: abs(_EDGES[i] - rel))


def _cell_text(page: Any, bbox: tuple[float, float, float, float]) -> str:
    """A cell's text with wraps undone: a line ran on when the start of the next line would not
    have fitted after it; otherwise it ended with a real line break (a numbered goal list).

    Lines are made of the PDF's own characters, spaces included (the renderer writes a space
    that ends a wrapped line too), never of spaces guessed from gaps."""
    x0, top, x1, bottom = bbox
    crop = page.within_bbox((x0 + 0.5, top + 0.5, x1 - 0.5, bottom - 0.5))
    lines: list[list[dict[str, Any]]] = []
    middle = None  # vertical centre of the current line (glyphs of other fonts sit a little off it)
    for char in sorted(crop.chars, key=lambda c: c["top"] + c["bottom"]):
        centre = (char["top"] + char["bottom"]) / 2
        if middle is not None and abs(centre - middle) < 0.6 * char.get("size", 10):
            lines[-1].append(char)
        else:
            lines.append([char])
            middle = centre
    lines = [sorted(line, key=lambda c: c["x0"]) for line in lines]
    out = ""
    for i, line in enumerate(lines):
        if i:
            room = (x1 - PADDING) - max(c["x1"] for c in lines[i - 1])
            if room > _lead_width(line) + 1:
                out = out.rstrip(" ") + "\n"
        out += "".join(c["text"] for c in line)
    return out.strip().replace("\u00a0", " ")


def _lead_width(chars: list[dict[str, Any]]) -> float:
    """The width of what cannot be parted from a line's start (up to its first break
    opportunity): a Latin word or number, a character with the punctuation that may not start
    or end a line, text glued by quotation marks (which line breaking keeps with both sides)."""
    lead = chars[:1]
    for prev, c in zip(chars, chars[1:]):
        a, b = prev["text"], c["text"]
        glued = (a in _QUOTES or b in _QUOTES or a in _OPENING or b in _CLOSING
                 or (a.isascii() and not a.isspace() and b.isascii() and not b.isspace()))
        if not glued:
            break
        lead.append(c)
    return float(sum(c["x1"] - c["x0"] for c in lead))


def _rows(page: Any) -> list[list[tuple[int, str]]]:
    """The page's table rows, each as (form column, text) of the cells that start in it."""
    out: list[list[tuple[int, str]]] = []
    for table in page.find_tables():
        left, _top, right, _bottom = table.bbox
        for row in table.rows:
            cells = []
            for bbox in row.cells:
                if bbox is None:
                    continue
                cells.append((_column(bbox[0], left, right - left), _cell_text(page, bbox)))
            if cells:
                out.append(cells)
    return out


def read_source(data: bytes, source: str, year: int | None) -> tuple[list[Imported], list[ImportFailure]]:
    """Every form in a PDF → imported projects (a form may run over several pages)."""
    try:
        import pdfplumber
    except ImportError:
        return [], [ImportFailure(0, 0, "读取 PDF 需要 pdfplumber：在 perfgoals 仓库的根目录运行 pip install -e '.[pdf]'")]
    if len(data) > MAX_BYTES:
        return [], [ImportFailure(0, 0, f"PDF 过大（{len(data) // 1024 // 1024} MB），超过 {MAX_BYTES // 1024 // 1024} MB")]
    bomb = _unpacked_too_big(data)
    if bomb is not None:
        return [], [ImportFailure(0, 0, bomb)]
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except Exception as e:  # pdfminer raises many kinds of errors for a damaged or encrypted file
        return [], [ImportFailure(0, 0, f"不是可读取的 PDF：{type(e).__name__}")]
    if len(pages) > MAX_PAGES:
        return [], [ImportFailure(0, 0, f"PDF 有 {len(pages)} 页，超过 {MAX_PAGES} 页的上限")]
    forms: list[_Form] = []
    with pdf:
        for number, page in enumerate(pages, start=1):
            _read_page(page, number, forms)
    done: list[Imported] = []
    failed: list[ImportFailure] = []
    for index, form in enumerate(forms, start=1):
        origin = f"{source} 第 {form.first_page} 页（第 {index} 张表）"
        table = Table(form.rows, source, index, year, exact=True, origin=origin)
        try:
            done.append(table.parse())
        except Unreadable as e:
            failed.append(ImportFailure(index, e.line, f"第 {e.line} 页：{e}"))
        except (StopIteration, ValueError, IndexError) as e:
            failed.append(ImportFailure(index, form.first_page, f"第 {form.first_page} 页的表格不是官方表式：{type(e).__name__}"))
    if not done and not failed:
        failed.append(ImportFailure(0, 0, f"PDF 中没有绩效目标表（没有标题为“{TOWN_2024.title}”的表格，或是扫描件而没有文字层）"))
    return done, failed


def _read_page(page: Any, number: int, forms: list[_Form]) -> None:
    top = True  # the first row of the page: where a continued goal or a repeated label appears
    for cells in _rows(page):
        joined = squash("".join(t for _c, t in cells))
        if any(title in joined for title in TARGET_TITLES):
            forms.append(_Form(first_page=number))
            top = False
        if not forms:
            continue
        form = forms[-1]
        row = [""] * len(WIDTHS)
        for col, text in cells:
            row[col] = f"{row[col]}{text}" if row[col] else text
        if [squash(c) for c in row[:4]] == list(_HEAD):
            if not form.seen_head:
                form.seen_head = True
                form.rows.append((number, row))
            continue  # later: the indicator header a continued page repeats
        if not form.seen_head and squash(row[0]) in ("", _GOAL_SIDE) and squash(row[1]).startswith(_GOAL_LABEL):
            # the goals' header: printed again on a page a long goal runs onto. Its side label
            # stands beside the text (the row below), as the form's rows have it read back here
            if form.goal_labels:
                continue
            form.goal_labels = True
            row[0] = _GOAL_SIDE
        elif not form.seen_head and squash(row[0]) == _GOAL_SIDE and form.rows and form.rows[-1][1][0] == _GOAL_SIDE:
            row[0] = ""
        if top and not form.seen_head and form.rows and _continues_goal(form, row, number):
            top = False
            continue
        if form.seen_head:
            row = _indicator_row(form, row, top and number != form.first_page)
        form.rows.append((number, row))
        top = False


def _continues_goal(form: _Form, row: list[str], number: int) -> bool:
    """A goal text that ran on from the previous page: its text joins the previous row's."""
    last_number, last = form.rows[-1]
    if last_number == number or row[0]:
        return False
    goal_row = not last[0] and any(last[1:])
    if not goal_row:
        return False
    for col, text in enumerate(row):
        if text:
            last[col] = f"{last[col]}{text}" if last[col] else text
    return True


def _indicator_row(form: _Form, row: list[str], page_top: bool) -> list[str]:
    """An indicator row, with the labels a new page repeats taken back out."""
    level1, level2 = squash(row[1]), squash(row[2])
    if page_top and level1 and level1 == form.level1:
        row[1] = ""
        if level2 == form.level2:
            row[2] = ""
    if squash(row[1]):
        form.level1, form.level2 = squash(row[1]), ""
    if squash(row[2]):
        form.level2 = squash(row[2])
    return row
