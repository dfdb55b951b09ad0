"""`perfgoals export`: the projects and indicators of the data as tables for analysts."""

from __future__ import annotations

import csv
import sqlite3
from decimal import Decimal

from perfgoals import corpus
from perfgoals.workspace import project_files


def _expected(workdir):
    data = workdir / "data"
    items = corpus.load(project_files([data], data))
    total_fen = sum(int(i.project.amount_in_wan(i.project.annual.total) * 1000000)
                    for i in items if i.project.annual.total is not None)
    rows = sum(len(g.rows) for i in items for g in i.project.groups)
    return len(items), rows, total_fen


def test_csv_export_has_every_project_and_indicator_with_exact_money(run, workdir):
    projects, rows, total_fen = _expected(workdir)
    result = run("export", "-o", str(workdir / "导出"))
    assert result.exit_code == 0, result.output
    assert f"已导出 {projects} 个项目、{rows} 个指标" in result.output
    with open(workdir / "导出" / "项目.csv", encoding="utf-8-sig", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert len(table) == projects == 104
    assert sum(int(r["年度资金申请总额_分"]) for r in table if r["年度资金申请总额_分"]) == total_fen
    women = next(r for r in table if r["项目名称"] == "妇女儿童维权")
    assert (women["单位文件夹"], women["年度资金申请总额"], women["年度资金申请总额_分"]) == ("妇联", "2.70", "2700000")  # 2.70 万元 = 27,000 元
    with open(workdir / "导出" / "指标.csv", encoding="utf-8-sig", newline="") as fh:
        indicators = list(csv.DictReader(fh))
    assert len(indicators) == rows
    first = next(r for r in indicators if r["项目名称"] == "妇女儿童维权" and r["三级指标"] == "活动开展次数")
    assert (first["二级指标"], first["年度指标值"], first["指标值类型"], first["数值"], first["计量单位"]) == \
        ("数量指标", "12次", "数量", "12", "次")


def test_sqlite_export_sums_exactly(run, workdir):
    projects, rows, total_fen = _expected(workdir)
    assert run("export", "-o", str(workdir / "绩效目标.sqlite")).exit_code == 0
    db = sqlite3.connect(workdir / "绩效目标.sqlite")
    assert db.execute('SELECT count(*), sum("年度资金申请总额_分") FROM "项目"').fetchone() == (projects, total_fen)
    assert db.execute('SELECT count(*) FROM "指标"').fetchone() == (rows,)
    by_unit = dict(db.execute('SELECT "单位文件夹", count(*) FROM "项目" GROUP BY 1').fetchall())
    assert by_unit["妇联"] == 5


def test_parquet_export(run, workdir):
    import pyarrow.parquet as pq
    projects, rows, total_fen = _expected(workdir)
    assert run("export", "--format", "parquet", "-o", str(workdir / "pq")).exit_code == 0
    table = pq.read_table(workdir / "pq" / "项目.parquet")
    assert table.num_rows == projects
    assert sum(v for v in table.column("年度资金申请总额_分").to_pylist() if v is not None) == total_fen
    assert pq.read_table(workdir / "pq" / "指标.parquet").num_rows == rows


def test_money_in_yuan_is_converted_exactly_to_fen():
    from perfgoals import export, loader
    from perfgoals.model import Item
    from .conftest import EXAMPLES
    project, _ = loader.load_file(EXAMPLES / "valid" / "残疾人就业帮扶.yaml")
    row = dict(zip([c for c, _k in export.PROJECT_COLUMNS], export.project_row(Item(project, "助残"))))
    assert row["年度资金申请总额"] == "186000.00" and row["年度资金申请总额_分"] == 18600000
    assert export.fen(project, Decimal("0.005")) == 1  # half a 分 rounds up


def test_nothing_is_written_when_a_file_cannot_be_read(run, workdir):
    (workdir / "data" / "2024" / "妇联" / "坏的.yaml").write_text("项目名称: [\n", encoding="utf-8")
    result = run("export", "-o", str(workdir / "x.sqlite"))
    assert result.exit_code == 2 and "坏的.yaml" in result.output
    assert not (workdir / "x.sqlite").exists()
    assert not [p for p in workdir.iterdir() if p.name.startswith(".x.sqlite")]  # no staged file left
