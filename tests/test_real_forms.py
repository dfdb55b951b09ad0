"""Real forms are read as they are (issue 24, parts 3–5): a workbook saved by Excel/WPS comes back
as the clerk saw it, other towns' 二级指标 names are kept, typing habits get the right hint."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfgoals.importers.xlsx import shown_date, shown_number

openpyxl = pytest.importorskip("openpyxl")


# -- 3. a workbook filled in Excel/WPS ------------------------------------------------------

@pytest.mark.parametrize(("value", "number_format", "shown"), [
    (0.95, "0%", "95%"), (0.955, "0.0%", "95.5%"), (0.9, "0.00%", "90.00%"), (2.7, "0.00", "2.70"),
    (0.125, "0.00", "0.13"), (1500, "#,##0", "1,500"), (1234.5, "#,##0.00_ ;[Red]-#,##0.00 ", "1,234.50"),
    (1500, '0"人次"', "1500人次"), (3, '[$-804]0"次"', "3次"), (12, "General", "12"), (2.70, "General", "2.7"),
    (95, '"≥"0"%"', "≥95%"), (5, "\\≥0", "≥5"), (100000, "0.00E+00", "100000"),
])
def test_a_number_is_read_as_its_format_shows_it(value, number_format, shown):
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    assert shown_number(exact, number_format) == shown


@pytest.mark.parametrize(("number_format", "shown"), [
    ("yyyy-mm-dd", "2024-06-30"), ("yyyy/m/d", "2024-06-30"), ('yyyy"年"m"月"d"日"', "2024年6月30日"),
    ("yyyy年m月d日", "2024年6月30日"), ('m"月"d"日"', "6月30日"), ("yyyy-mm", "2024-06"),
    ('[$-804]yyyy"年"m"月"d"日";@', "2024年6月30日"),
])
def test_a_date_is_read_as_its_format_shows_it(number_format, shown):
    assert shown_date(dt.date(2024, 6, 30), number_format) == shown


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_fixed_decimals_round_trip_exactly(amount):
    """An amount shown with two decimals reads back as the same amount (money is exact)."""
    assert Decimal(shown_number(amount, "#,##0.00").replace(",", "")) == amount


@pytest.fixture
def wps_book(run, tmp_path) -> Path:
    """妇联's workbook as we write it, then edited the way WPS saves a clerk's typing."""
    assert run("render", "--format", "xlsx", "--unit", "妇联", "-o", str(tmp_path / "o")).exit_code == 0
    book = tmp_path / "o" / "2024" / "妇联.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["妇女儿童维权"]
    ws["E27"].value, ws["E27"].number_format = 0.95, "0%"            # typed 95%
    ws["E19"].value, ws["E19"].number_format = 0.9, "0.0%"           # typed 90.0%
    ws["E13"].value, ws["E13"].number_format = 12, '0"次"'           # a custom format with a unit
    ws["E14"].value, ws["E14"].number_format = 1500, "#,##0"         # thousands separator
    ws["E15"].value, ws["E15"].number_format = "15", "@"             # a number stored as text
    ws["C6"].value, ws["C6"].number_format = 2.7, "0.00"             # fixed decimals
    ws["E5"].value, ws["E5"].number_format = dt.datetime(2024, 12, 31), 'yyyy"年"m"月"d"日"'
    ws["E20"].value = "300元/人"
    assert ws.merged_cells.ranges  # the form's merged cells (一级/二级 labels, goal texts) are read too
    ws["E7"].value = "4.2万元"                                        # cannot be an amount
    wb.save(book)
    return book


def test_a_wps_workbook_imports_what_the_cells_show(run, tmp_path, wps_book):
    result = run("import", str(wps_book), "--data", str(tmp_path / "d"))
    text = (tmp_path / "d" / "2024" / "妇联" / "妇女儿童维权.yaml").read_text(encoding="utf-8")
    assert "年度指标值: 95%" in text and "年度指标值: 90.0%" in text and "0.95" not in text
    assert "年度指标值: 12次" in text and "年度指标值: '1,500'" in text and "年度指标值: '15'" in text
    assert "计划完成日期: 2024-12-31" in text and "项目资金总额: 2.70" in text
    # the amount that cannot be an amount: null in the file, said on screen with its cell, exit 1
    assert "当年财政拨款: null" in text
    assert result.exit_code == 1, result.output
    assert "警告" in result.output and "工作表“妇女儿童维权”!E7" in result.output and "4.2万元" in result.output
    assert "null" in result.output


def test_a_text_source_with_a_bad_amount_names_its_line(run, tmp_path):
    from .conftest import SOURCE
    text = SOURCE.read_text(encoding="utf-8")
    start = text.index("项目资金总额")
    line = text.count("\n", 0, start) + 1
    source = tmp_path / "源.txt"
    head, rest = text[:start], text[start:]
    number = rest.split("\t")[1]
    source.write_text(head + rest.replace(number, "四点二", 1), encoding="utf-8")
    result = run("import", str(source), "--data", str(tmp_path / "d"))
    assert result.exit_code == 1 and f"源.txt:{line}" in result.output and "四点二" in result.output


def test_importing_one_units_workbook_counts_one_unit(run, workdir, tmp_path):
    assert run("render", "--format", "xlsx", "--unit", "妇联", "-o", str(tmp_path / "o")).exit_code == 0
    target = tmp_path / "d"
    target.mkdir()
    (target / "units.yaml").write_bytes((workdir / "data" / "units.yaml").read_bytes())  # 16 units known
    result = run("import", str(tmp_path / "o" / "2024" / "妇联.xlsx"), "--data", str(target))
    assert result.exit_code == 0, result.output
    assert "（1 个单位" in result.output and "16 个单位" not in result.output
