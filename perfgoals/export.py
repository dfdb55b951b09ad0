"""`perfgoals export`: every project and every indicator as rows for analysts (DuckDB, pandas, BI).

Two tables, streamed (one project in memory at a time, rows written as they come):

- ``项目``: one row per project — header, the money of both blocks, the goals, the count of rows;
- ``指标``: one row per 三级指标 — its project, 一级/二级, position, name, target text, and the
  target read as comparison, number and unit (`target.parse`).

Money is exact: each amount as written (text) and in 分 as an integer (converted from 万元 where
the form is in 万元), so sums in any tool are exact. Formats: CSV (a folder with 项目.csv and
指标.csv, UTF-8 with BOM for Excel), SQLite (one file, tables 项目 and 指标), Parquet (a folder,
needs pyarrow: ``pip install -e '.[export]'`` from the repository). Files appear only when complete.
"""

from __future__ import annotations

import csv
import os
import sqlite3
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from . import model as m
from .model import Item
from .problems import InputError
from .target import parse

#: (column, type) of the 项目 table; type is "text" or "int".
PROJECT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("文件", "text"), ("年度", "int"), ("单位文件夹", "text"), ("项目名称", "text"), ("项目类别", "text"),
    ("项目性质", "text"), ("主管部门", "text"), ("实施单位", "text"), ("计划开始日期", "text"), ("计划完成日期", "text"),
    ("金额单位", "text"),
    ("项目资金总额", "text"), ("财政资金", "text"), ("项目其他资金", "text"),
    ("年度资金申请总额", "text"), ("当年财政拨款", "text"), ("上年结转资金", "text"), ("年度其他资金", "text"),
    ("项目资金总额_分", "int"), ("财政资金_分", "int"), ("项目其他资金_分", "int"),
    ("年度资金申请总额_分", "int"), ("当年财政拨款_分", "int"), ("上年结转资金_分", "int"), ("年度其他资金_分", "int"),
    ("总目标期间", "text"), ("项目总目标", "text"), ("年度总体目标", "text"), ("指标数", "int"),
)
INDICATOR_COLUMNS: tuple[tuple[str, str], ...] = (
    ("文件", "text"), ("年度", "int"), ("单位文件夹", "text"), ("项目名称", "text"), ("一级指标", "text"),
    ("二级指标", "text"), ("序号", "int"), ("三级指标", "text"), ("年度指标值", "text"), ("指标值类型", "text"),
    ("比较", "text"), ("数值", "text"), ("计量单位", "text"),
)
TABLES = {"项目": PROJECT_COLUMNS, "指标": INDICATOR_COLUMNS}
#: 指标值类型 as people read it
KINDS = {"empty": "空", "percent": "百分比", "number": "数量", "deadline": "期限", "frequency": "频次", "text": "文字"}

_FEN_PER_WAN = Decimal(1000000)
_FEN_PER_YUAN = Decimal(100)


_INT64 = 2 ** 63


def fen(p: m.Project, value: Decimal | None) -> int | None:
    """An amount in 分 (exact; an amount with more than two decimals of 元 is rounded half up).
    None beyond a 64-bit integer (SQLite's and Parquet's): the amount's text column still has it
    exactly, and lint says such an amount is implausible."""
    if value is None:
        return None
    with localcontext(prec=max(28, value.adjusted() + 12)):  # exact for every amount the loader lets in
        scaled = value * (_FEN_PER_WAN if p.money_unit == "万元" else _FEN_PER_YUAN)
        whole = int(scaled.quantize(Decimal(1), rounding="ROUND_HALF_UP"))
    return whole if -_INT64 <= whole < _INT64 else None


def _money(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def project_row(item: Item) -> tuple[Any, ...]:
    p = item.project
    amounts = (p.funds.total, p.funds.fiscal, p.funds.other,
               p.annual.total, p.annual.appropriation, p.annual.carryover, p.annual.other)
    rows = sum(len(g.filled) for g in p.groups)  # blank slots of a new table are not indicators
    return (p.path, p.year, item.unit_folder, p.name, p.category, p.nature, p.department, p.unit, p.start, p.end,
            p.money_unit, *(_money(a) for a in amounts), *(fen(p, a) for a in amounts),
            p.period, p.goal_total, p.goal_annual, rows)


def indicator_rows(item: Item) -> Iterator[tuple[Any, ...]]:
    p = item.project
    for g in p.groups:
        for i, row in enumerate(g.filled, start=1):
            t = parse(row.value)
            yield (p.path, p.year, item.unit_folder, p.name, g.level1, g.level2, i, row.name, row.value,
                   KINDS.get(t.kind, t.kind), t.op, None if t.number is None else format(t.number, "f"), t.unit)


class _Sink:
    """Rows of both tables going to one format; ``close`` makes the files appear, ``abort`` removes them.
    Rows wait in batches of ``BATCH`` and are written by ``_flush`` (formats that write row by row
    override ``add``)."""

    BATCH = 5000

    def __init__(self) -> None:
        self.pending: dict[str, list[tuple[Any, ...]]] = {t: [] for t in TABLES}

    def add(self, table: str, rows: Iterable[tuple[Any, ...]]) -> None:
        pending = self.pending[table]
        pending.extend(rows)
        if len(pending) >= self.BATCH:
            self._flush(table)

    def _flush(self, table: str) -> None:
        raise NotImplementedError

    def close(self) -> list[Path]:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError


def _staged(target: Path) -> Path:
    from .atomic import staged
    fd, tmp = staged(target)
    os.close(fd)
    return tmp


class _Files(_Sink):
    """One file per table in a folder, each staged beside its final name."""

    suffix = ""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        folder.mkdir(parents=True, exist_ok=True)
        self.final = {t: folder / f"{t}{self.suffix}" for t in TABLES}
        self.tmp = {t: _staged(path) for t, path in self.final.items()}

    def close(self) -> list[Path]:
        self.finish()
        for table, tmp in self.tmp.items():
            os.chmod(tmp, 0o644)
            os.replace(tmp, self.final[table])
        return list(self.final.values())

    def finish(self) -> None:
        pass

    def abort(self) -> None:
        for tmp in self.tmp.values():
            try:
                tmp.unlink()
            except OSError:
                pass


class _Csv(_Files):
    suffix = ".csv"

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.handles = {t: open(tmp, "w", encoding="utf-8-sig", newline="") for t, tmp in self.tmp.items()}
        self.writers = {t: csv.writer(fh) for t, fh in self.handles.items()}
        for table, columns in TABLES.items():
            self.writers[table].writerow([c for c, _k in columns])

    def add(self, table: str, rows: Iterable[tuple[Any, ...]]) -> None:
        from .report import csv_safe
        self.writers[table].writerows([csv_safe(v) if isinstance(v, str) else v for v in row] for row in rows)

    def finish(self) -> None:
        for fh in self.handles.values():
            fh.close()

    def abort(self) -> None:
        for fh in self.handles.values():
            fh.close()
        super().abort()


class _Parquet(_Files):
    suffix = ".parquet"
    BATCH = 20000

    def __init__(self, folder: Path) -> None:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise InputError("导出 Parquet 需要 pyarrow：在 perfgoals 仓库的根目录运行 pip install -e '.[export]'（或 pip install pyarrow）；"
                             "CSV 与 SQLite 不需要") from None
        super().__init__(folder)
        self.pa = pa
        self.schemas = {t: pa.schema([(c, pa.int64() if k == "int" else pa.string()) for c, k in cols])
                        for t, cols in TABLES.items()}
        self.writers = {t: pq.ParquetWriter(str(self.tmp[t]), self.schemas[t]) for t in TABLES}

    def _flush(self, table: str) -> None:
        rows = self.pending[table]
        if rows:
            columns = list(zip(*rows))
            self.writers[table].write_table(self.pa.Table.from_arrays(
                [self.pa.array(list(col), type=field.type) for col, field in zip(columns, self.schemas[table])],
                schema=self.schemas[table]))
            self.pending[table] = []

    def finish(self) -> None:
        for table in TABLES:
            self._flush(table)
            self.writers[table].close()

    def abort(self) -> None:
        for writer in self.writers.values():
            try:
                writer.close()
            except Exception:  # closing a half-written file may fail: it is removed next
                pass
        super().abort()


class _Sqlite(_Sink):
    """One SQLite file with tables 项目 and 指标, written in one transaction to a staged file."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        path.parent.mkdir(parents=True, exist_ok=True)
        self.final, self.tmp = path, _staged(path)
        self.db = sqlite3.connect(self.tmp)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        for table, columns in TABLES.items():
            body = ", ".join(f'"{c}" {"INTEGER" if k == "int" else "TEXT"}' for c, k in columns)
            self.db.execute(f'CREATE TABLE "{table}" ({body})')

    def _flush(self, table: str) -> None:
        marks = ", ".join("?" * len(TABLES[table]))
        self.db.executemany(f'INSERT INTO "{table}" VALUES ({marks})', self.pending[table])
        self.pending[table] = []

    def close(self) -> list[Path]:
        for table in TABLES:
            self._flush(table)
        self.db.execute('CREATE INDEX "指标_项目" ON "指标" ("文件")')
        self.db.commit()
        self.db.close()
        os.chmod(self.tmp, 0o644)
        os.replace(self.tmp, self.final)
        return [self.final]

    def abort(self) -> None:
        self.db.close()
        try:
            self.tmp.unlink()
        except OSError:
            pass


SINKS: dict[str, Callable[[Path], _Sink]] = {"csv": _Csv, "sqlite": _Sqlite, "parquet": _Parquet}


def export(items: Iterable[Item], fmt: str, out: Path) -> tuple[list[Path], int, int]:
    """Write every project and indicator of ``items`` (streamed) in ``fmt`` to ``out`` (a folder
    for csv and parquet, a file for sqlite). Returns the files and the project and indicator counts."""
    sink = SINKS[fmt](out)
    projects = indicators = 0
    try:
        for item in items:
            sink.add("项目", (project_row(item),))
            rows = list(indicator_rows(item))
            sink.add("指标", rows)
            projects += 1
            indicators += len(rows)
        written = sink.close()
    except BaseException:
        sink.abort()
        raise
    return written, projects, indicators
