"""Tables for people: the terminal, Markdown, CSV and JSON views of a `Table`.

Only this module imports tabulate. Chinese characters are two columns wide on a terminal;
tabulate lines them up only when wcwidth is installed (``tabulate[widechars]``), which is why
setup.cfg asks for it and ``WIDE_CHARS_MODE`` is switched on here explicitly.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Iterable, Iterator, Mapping

import tabulate as _tabulate
from wcwidth import wcswidth as _width

from . import money
from .textsafe import md_text

_tabulate.WIDE_CHARS_MODE = True  # measure 汉字 as two columns so the columns line up
_tabulate.PRESERVE_WHITESPACE = False

Cell = Any  # str | int | Decimal | None


@dataclass(frozen=True)
class Column:
    """A column: its title and kind ("text", "int", "money", "percent")."""

    title: str
    kind: str = "text"


@dataclass(frozen=True)
class Table:
    title: str
    columns: list[Column]
    rows: list[list[Cell]]
    footer: list[Cell] | None = None
    notes: list[str] = field(default_factory=list)
    #: Index of the money column whose shares an Excel chart shows (None: no chart).
    chart_column: int | None = None
    #: cell text → background colour in a workbook (the 预警 lights 红/黄/绿)
    fills: Mapping[str, str] = field(default_factory=dict)


def shown(value: Cell, kind: str, grouping: bool = True) -> str:
    """A cell as people read it: money to the fen (2 decimals), percentages to 0.01."""
    if value is None or value == "":
        return "" if value == "" else "—"
    if kind in ("money", "percent") and isinstance(value, Decimal):
        return money.display(value, grouping and kind == "money")
    return str(value)


def _grid(table: Table, grouping: bool) -> list[list[str]]:
    rows = [[shown(v, c.kind, grouping) for v, c in zip(row, table.columns)] for row in table.rows]
    if table.footer is not None:
        rows.append([shown(v, c.kind, grouping) for v, c in zip(table.footer, table.columns)])
    return rows


def _align(table: Table) -> list[str]:
    return ["right" if c.kind != "text" else "left" for c in table.columns]


def as_text(table: Table) -> str:
    return "\n".join(text_lines(table)) + "\n"


def text_lines(table: Table) -> Iterator[str]:
    """The terminal view, a line at a time (without newlines): a table of 12,500 units never
    exists as one string. Laid out as tabulate's "simple" format would lay it out; a table with
    a cell tabulate treats specially (several lines, control characters) goes through tabulate."""
    yield table.title
    yield ""
    widths = _plain_widths(table)
    if widths is None:
        yield from _tabulated_lines(table)
    else:
        # tabulate aligns the headers of a table without rows all to the left
        aligns = _align(table) if table.rows or table.footer is not None else ["left"] * len(widths)

        def line(cells: Iterable[str]) -> str:
            return "  ".join(_pad(cell, w, a) for cell, w, a in zip(cells, widths, aligns)).rstrip()

        yield line(c.title for c in table.columns)
        rule = "  ".join("-" * w for w in widths)
        yield rule
        for row in table.rows:
            yield line(_cells(row, table.columns))
        if table.footer is not None:  # a rule above the total row, like a paper ledger
            yield rule
            yield line(_cells(table.footer, table.columns))
    if table.notes:
        yield ""
        yield from table.notes


def _cells(row: list[Cell], columns: list[Column]) -> Iterator[str]:
    return (shown(v, c.kind).strip() for v, c in zip(row, columns))


def _raw_cells(row: list[Cell], columns: list[Column]) -> Iterator[str]:
    return (shown(v, c.kind) for v, c in zip(row, columns))


def _plain_widths(table: Table) -> list[int] | None:
    """Column widths (汉字 two columns) when every cell is one line of printable text, else None."""
    widths = []
    for c in table.columns:
        if not c.title.isprintable():
            return None
        widths.append(_width(c.title) + 2)  # tabulate's minimum padding beside a header
    for row in (*table.rows, *([table.footer] if table.footer is not None else [])):
        for j, raw in enumerate(_raw_cells(row, table.columns)):
            if not raw.isprintable():
                return None
            cell = raw.strip()
            w = _width(cell)
            if w < 0:
                return None
            if w > widths[j]:
                widths[j] = w
    return widths


def _pad(cell: str, width: int, align: str) -> str:
    fill = " " * (width - _width(cell))
    return cell + fill if align == "left" else fill + cell


def _tabulated_lines(table: Table) -> Iterator[str]:
    body = _tabulate.tabulate(_grid(table, True), headers=[c.title for c in table.columns],
                              tablefmt="simple", colalign=_align(table), disable_numparse=True)
    parts = body.split("\n")
    if table.footer is not None:  # a rule above the total row, like a paper ledger
        parts.insert(len(parts) - 1, parts[1])
    yield from parts


def as_markdown(table: Table) -> str:
    grid = [[md_text(cell) if cell else cell for cell in row] for row in _grid(table, True)]
    if table.footer is not None:
        grid[-1] = [f"**{v}**" if v else v for v in grid[-1]]
    body = _tabulate.tabulate(grid, headers=[md_text(c.title) for c in table.columns], tablefmt="pipe",
                              colalign=_align(table), disable_numparse=True)
    notes = "".join(f"\n> {md_text(n)}\n" for n in table.notes)
    return f"### {md_text(table.title)}\n\n{body}\n{notes}"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """A text cell that Excel will not run as a formula (``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def as_csv(table: Table) -> str:
    """CSV with a UTF-8 BOM, so Excel on Chinese Windows opens it without mojibake.

    Numbers are written exactly (no rounding, no thousands separators); text cells that would
    start a formula are neutralised with a leading apostrophe.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([c.title for c in table.columns])
    for row in table.rows + ([table.footer] if table.footer is not None else []):
        writer.writerow(["" if v is None else csv_safe(v) if isinstance(v, str) else format(v, "f")
                         if isinstance(v, Decimal) else v for v in row])
    return "\ufeff" + buf.getvalue()


def _json_cell(value: Cell) -> Any:
    return format(value, "f") if isinstance(value, Decimal) else value


def as_json(table: Table) -> str:
    """Rows as objects keyed by column title; amounts as exact decimal strings."""
    titles = [c.title for c in table.columns]
    body = {
        "title": table.title,
        "rows": [dict(zip(titles, map(_json_cell, row))) for row in table.rows],
        "total": dict(zip(titles, map(_json_cell, table.footer))) if table.footer is not None else None,
        "notes": table.notes,
    }
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


FORMATS: Mapping[str, Callable[[Table], str]] = {
    "text": as_text,
    "markdown": as_markdown,
    "csv": as_csv,
    "json": as_json,
}
