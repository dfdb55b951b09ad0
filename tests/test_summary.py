"""`perfgoals summary`: exact totals that match the source tables, every output format, filters."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from perfgoals import loader
from perfgoals.report import csv_safe
from perfgoals.model import Item
from perfgoals.summary import total

from .conftest import CLEAN, DATA, SOURCE


def _source_annual_by_unit() -> dict[str, Decimal]:
    """年度资金申请总额 per 实施单位, read straight from the PDF-extracted text (independent of the importer)."""
    out: dict[str, Decimal] = defaultdict(Decimal)
    for chunk in SOURCE.read_text(encoding="utf-8").split("财政项目支出绩效目标表")[1:]:
        unit = re.search(r"实施单位\t+([^\t\n]+)", chunk).group(1).strip()
        money = re.search(r"年度资金申请总额\t*([\d. ]*)", chunk).group(1).replace(" ", "")
        out[unit] += Decimal(money) if money else Decimal(0)
    return out


def test_unit_totals_equal_the_source_to_the_fen(run):
    body = json.loads(run("summary", "--by", "unit", "--format", "json").stdout)
    units = {}
    for path in DATA.glob("2024/*/*.yaml"):
        p, _ = loader.load_file(path)
        units[p.unit] = path.parent.name
    expected = _source_annual_by_unit()
    got = {r["实施单位"]: Decimal(r["年度资金申请总额（万元）"]) for r in body["rows"]}
    assert got == {units[u]: v for u, v in expected.items()}
    assert Decimal(body["total"]["年度资金申请总额（万元）"]) == sum(expected.values())
    assert body["total"]["项目数"] == 104
    amounts = [Decimal(r["年度资金申请总额（万元）"]) for r in body["rows"]]
    assert amounts == sorted(amounts, reverse=True)  # largest first


def test_text_table_lines_up_chinese_columns(run):
    from wcwidth import wcswidth
    out = run("summary").stdout
    lines = [ln for ln in out.splitlines() if ln.strip() and not ln.startswith("2024") and not ln.startswith("有")]
    widths = {wcswidth(ln.rstrip()) for ln in lines if "----" not in ln}
    assert len(widths) == 1, widths  # every row has the same display width
    assert "合计" in out and "空白金额数" in out


def test_blank_amounts_are_counted_not_zeroed(tmp_path, clean_text):
    a, _ = loader.load_text(clean_text, "a.yaml")
    b, _ = loader.load_text(clean_text.replace("年度资金申请总额: 2.70", "年度资金申请总额: null"), "b.yaml")
    table = total([Item(a, "妇联"), Item(b, "妇联")], ["unit"])
    row = dict(zip([c.title for c in table.columns], table.rows[0]))
    assert row["年度资金申请总额（万元）"] == Decimal("2.70")
    assert row["空白金额数"] == 1  # b's blank 年度资金申请总额: counted, not added as 0
    assert "未计入合计" in table.notes[0]


def test_yuan_and_wan_add_up_exactly(clean_text):
    wan, _ = loader.load_text(clean_text, "w.yaml")
    yuan_text = clean_text.replace("金额单位: 万元", "金额单位: 元").replace("2.70", "27000.00") \
        .replace("2.50", "25000.00").replace("0.20", "2000.00")
    yuan, _ = loader.load_text(yuan_text, "y.yaml")
    in_wan = total([Item(wan, "妇联"), Item(yuan, "妇联")], ["unit"], "万元")
    assert in_wan.rows[0][3] == Decimal("5.40")
    in_yuan = total([Item(wan, "妇联"), Item(yuan, "妇联")], ["unit"], "元")
    assert in_yuan.rows[0][3] == Decimal("54000")


def test_pivot_unit_by_category_sums_both_ways(run):
    body = json.loads(run("summary", "--by", "unit", "--by", "category", "--format", "json").stdout)
    flat = json.loads(run("summary", "--by", "unit", "--format", "json").stdout)
    first_col = [c for c in body["rows"][0] if c != "实施单位 \\ 项目类别"]
    for row in body["rows"]:
        cells = [Decimal(row[c]) for c in first_col if c != "合计"]
        assert sum(cells) == Decimal(row["合计"])
    assert Decimal(body["total"]["合计"]) == Decimal(flat["total"]["年度资金申请总额（万元）"])


def test_filters_and_category_grouping(run):
    women = json.loads(run("summary", "--unit", "妇联", "--by", "category", "--format", "json").stdout)
    assert women["total"]["项目数"] == 5
    none = run("summary", "--unit", "不存在的单位")
    assert none.exit_code == 2 and "没有单位“不存在的单位”" in none.output


def test_indicator_level_counts_every_row(run):
    body = json.loads(run("summary", "--by", "indicator-level", "--format", "json").stdout)
    rows = 0
    for path in DATA.glob("2024/*/*.yaml"):
        p, _ = loader.load_file(path)
        rows += sum(1 for *_x, r in p.rows() if r.name or r.value)
    assert body["total"]["指标数"] == rows
    assert {r["二级指标"] for r in body["rows"]} >= {"数量指标", "时效指标", "服务对象满意度指标"}


def test_csv_has_bom_exact_numbers_and_safe_cells(run):
    out = run("summary", "--format", "csv").stdout
    assert out.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert rows[0][0] == "实施单位" and rows[-1][0] == "合计"
    assert re.fullmatch(r"\d+(\.\d+)?", rows[1][2])
    assert csv_safe("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")" and csv_safe("+1") == "'+1"
    assert csv_safe("-3") == "'-3" and csv_safe("@A1") == "'@A1" and csv_safe("妇联") == "妇联"


def test_markdown_format(run):
    out = run("summary", "--format", "markdown").stdout
    assert out.startswith("### 2024 年度 按实施单位汇总") and "| **合计**" in out


def test_xlsx_has_numbers_formulas_and_a_chart(run, tmp_path):
    import openpyxl
    target = tmp_path / "汇总.xlsx"
    assert run("summary", "--format", "xlsx", "--out", str(target)).exit_code == 0
    wb = openpyxl.load_workbook(target)
    ws = wb["汇总"]
    assert ws["A3"].value == "实施单位" and isinstance(ws["C4"].value, (int, float))
    last = ws.max_row
    totals = [r for r in range(1, last + 1) if ws.cell(r, 1).value == "合计"]
    assert totals and str(ws.cell(totals[0], 3).value).startswith("=SUM(")
    assert len(ws._charts) == 1
    again = tmp_path / "again.xlsx"
    run("summary", "--format", "xlsx", "--out", str(again))
    assert again.read_bytes() == target.read_bytes()  # byte-stable
    assert run("summary", "--format", "xlsx").exit_code == 2


def test_chart_shows_the_shares_the_table_states(clean_text):
    p, _ = loader.load_text(clean_text, "c.yaml")
    for by in (["unit"], ["category"]):
        table = total([Item(p, "妇联")], by)
        assert table.columns[table.chart_column].title.startswith("年度资金申请总额")


def test_clean_example_totals(clean_text):
    p, _ = loader.load_text(clean_text, "c.yaml")
    assert total([Item(p, "妇联")], ["category"]).rows[0][:2] == ["经常性项目", 1]
    assert CLEAN.is_file()


_texts = st.text(st.sampled_from(list("abc 12.,-妇联残疾人（）万元％·é\u0301😀ｱ　\t\n\x1b")), max_size=8)


@settings(max_examples=300, deadline=None)
@given(titles=st.lists(_texts, min_size=1, max_size=4), kinds=st.lists(st.sampled_from(["text", "int", "money"]),
                                                                       min_size=4, max_size=4),
       rows=st.lists(st.lists(st.one_of(_texts, st.none(), st.decimals(-10**6, 10**6, places=3)), min_size=4,
                              max_size=4), max_size=5),
       footer=st.booleans(), notes=st.lists(_texts, max_size=2))
def test_the_streamed_text_table_is_laid_out_as_tabulate_lays_it_out(titles, kinds, rows, footer, notes):
    """The terminal table is written a line at a time; it must read exactly as tabulate's "simple"
    table (its former writer), which still writes the tables it would treat specially."""
    from perfgoals import report

    columns = [report.Column(t, k) for t, k in zip(titles, kinds)]
    table = report.Table("标题", columns, [r[:len(columns)] for r in rows[:-1]],
                         rows[-1][:len(columns)] if footer and rows else None, notes)
    expected = ["标题", "", *report._tabulated_lines(table), *([""] + notes if notes else [])]
    assert list(report.text_lines(table)) == expected
