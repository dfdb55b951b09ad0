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

import openpyxl  # a dependency of the package


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


# -- 4. 二级 names of other towns' forms ----------------------------------------------------

def _other_towns_names(workdir: Path) -> tuple[Path, Path]:
    from .conftest import EXAMPLES
    women = workdir / "data" / "2024" / "妇联"
    target = women / "妇女儿童维权.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("可持续影响指标:", "长效管理指标:"), encoding="utf-8")
    evaluation = women / "社区助老服务补贴.自评.yaml"
    text = (EXAMPLES / "selfeval" / evaluation.name).read_text(encoding="utf-8")
    text = text.replace("  满意度指标:\n", "    长效管理指标:\n      - {三级指标: 助餐点长效运营机制, 年度指标值: 建立, "
                                           "实际完成值: 已建立, 分值: 5, 得分: 5, 偏差原因分析及改进措施: null}\n"
                                           "    成本指标:\n      - {三级指标: 餐均成本, 年度指标值: ≤15元, 实际完成值: 14元, "
                                           "分值: 5, 得分: 5, 偏差原因分析及改进措施: null}\n  满意度指标:\n", 1)
    evaluation.write_text(text, encoding="utf-8")
    return target, evaluation


def test_a_non_standard_level2_name_loads_and_is_one_warning(run, workdir):
    import json
    target, evaluation = _other_towns_names(workdir)
    body = json.loads(run("lint", "--format", "json", str(target), str(evaluation)).stdout)
    problems = body["problems"]
    assert not [p for p in problems if p["rule"] in ("schema", "syntax")]
    named = [p for p in problems if p["rule"] == "level2-name"]
    assert sorted(Path(p["path"]).name for p in named) == sorted([evaluation.name, target.name])  # once per file
    assert all(p["level"] == "warning" and "可持续影响指标" in p["message"] for p in named)
    misplaced = [p for p in problems if p["rule"] == "level2-parent"]  # 成本指标 under 效益指标
    assert len(misplaced) == 1 and misplaced[0]["level"] == "warning"
    assert {p["rule"] for p in problems} - {"level2-name", "level2-parent"}  # every other rule still ran


def test_a_non_standard_level2_name_is_kept_printed_exported_and_scored(run, workdir, tmp_path):
    target, evaluation = _other_towns_names(workdir)
    assert run("fmt", str(target), str(evaluation)).exit_code == 0
    kept = evaluation.read_text(encoding="utf-8")
    assert "长效管理指标:" in kept and "成本指标:" in kept
    # order: after the standard 二级 names of its 一级, as written
    assert kept.index("社会效益指标:") < kept.index("长效管理指标:") < kept.index("餐均成本") < kept.index("满意度指标:")
    assert "长效管理指标:" in target.read_text(encoding="utf-8")
    score = run("score", str(evaluation))
    assert score.exit_code == 0 and "助餐点长效运营机制" in score.output and "餐均成本" in score.output
    assert "计算 103.82" in score.output  # 93.82 + the two rows' 5 + 5
    assert run("render", "--unit", "妇联", "-o", str(tmp_path / "o")).exit_code == 0
    assert "长效管理指标" in (tmp_path / "o" / "2024" / "妇联" / "妇女儿童维权.html").read_text(encoding="utf-8")
    assert run("render", "--自评", "--unit", "妇联", "-o", str(tmp_path / "s")).exit_code == 0
    page = next((tmp_path / "s").rglob("*.html")).read_text(encoding="utf-8")
    assert "长效管理指标" in page and "餐均成本" in page
    assert run("export", "--unit", "妇联", "-o", str(tmp_path / "e")).exit_code == 0
    assert "长效管理指标" in (tmp_path / "e" / "指标.csv").read_text(encoding="utf-8-sig")


def test_a_misspelt_key_elsewhere_stays_an_error(run, workdir):
    target = workdir / "data" / "2024" / "妇联" / "妇女儿童维权.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("主管部门:", "主管部分:"), encoding="utf-8")
    result = run("lint", str(target))
    assert result.exit_code == 1 and "[schema]" in result.output and "主管部门" in result.output


@pytest.mark.parametrize(("typed", "op", "number"), [
    ("=<1500元/人", "≤", "1500"), ("=>95%", "≥", "95"), ("‹3天", "<", "3"), ("›100人", ">", "100"),
    ("=‹1500元/人", "≤", "1500"), ("‹=1500元/人", "≤", "1500"), ("=›90%", "≥", "90"), ("›=90%", "≥", "90"),
    ("＞＝90%", "≥", "90"), ("≧90%", "≥", "90"), ("≦5天", "≤", "5"),
])
def test_comparison_signs_as_typed_are_read_as_the_standard_ones(typed, op, number):
    from perfgoals.target import parse
    t = parse(typed)
    assert (t.op, t.number) == (op, Decimal(number))


def test_a_typed_comparison_sign_is_scored_and_exported_like_the_standard_one(run, workdir, tmp_path):
    from .conftest import EXAMPLES
    evaluation = workdir / "data" / "2024" / "妇联" / "社区助老服务补贴.自评.yaml"
    text = (EXAMPLES / "selfeval" / evaluation.name).read_text(encoding="utf-8")
    assert "≤1500元/人" in text
    evaluation.write_text(text, encoding="utf-8")
    standard = run("score", str(evaluation)).output
    evaluation.write_text(text.replace("≤1500元/人", "=‹1500元/人"), encoding="utf-8")
    typed = run("score", str(evaluation)).output
    assert typed.replace("=‹1500", "≤1500") == standard and "［反向］" in typed


# -- 5. typing habits -------------------------------------------------------------------------

ROW = "      - {三级指标: 活动开展次数, 年度指标值: 12次}\n"


def _women(workdir: Path) -> Path:
    return workdir / "data" / "2024" / "妇联" / "妇女儿童维权.yaml"


@pytest.mark.parametrize(("typed", "sign", "fix"), [
    (">=1500人次", ">", "≥1500人次"), ("=>1500人次", None, None), ("|12次", "|", "'|12次'"), ("*5", "*", "'*5'"),
    ("&5个", "&", "'&5个'"), ("!12次", "!", "'!12次'"), ("%95", "%", "'%95'"), ("@12次", "@", "'@12次'"),
    ("`12次`", "`", "'`12次`'"), ("- 12次", "-", "'- 12次'"), (">1500人", ">", "'>1500人'"),
])
@pytest.mark.parametrize("style", ["block", "flow"])
def test_a_value_starting_with_a_yaml_sign_gets_the_fix(run, workdir, typed, sign, fix, style):
    path = _women(workdir)
    row = (f"      - 三级指标: 活动开展次数\n        年度指标值: {typed}\n" if style == "block"
           else f"      - {{三级指标: 活动开展次数, 年度指标值: {typed}}}\n")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(ROW, row), encoding="utf-8")
    line = text[: text.index(ROW)].count("\n") + 1 + (1 if style == "block" else 0)
    result = run("lint", str(path))
    if sign is None:  # "=>" is plain text to YAML: it loads, and lint reads it as ≥
        assert "[syntax]" not in result.output
        return
    first = result.output.splitlines()[0]
    assert f"妇女儿童维权.yaml:{line}:" in first and "[syntax]" in first, first
    assert f"值不能以“{sign}”开头" in first and fix in first and "Tab" not in first


def test_a_block_scalar_goal_text_is_still_fine(run, workdir):
    path = _women(workdir)
    text = path.read_text(encoding="utf-8")
    start = text.index("  年度总体目标: ")
    end = text.index("\n", start)
    path.write_text(text[:start] + "  年度总体目标: |\n    第一行\n    第二行" + text[end:], encoding="utf-8")
    assert "[syntax]" not in run("lint", str(path)).output


def test_fmt_keeps_a_commented_block_row_on_one_line(run, workdir):
    path = _women(workdir)
    text = path.read_text(encoding="utf-8")
    block = ("      - 三级指标: 活动开展次数  # 见镇政府文件\n        年度指标值: 12次\n"
             "      - 三级指标: 走访人数\n        # 镇里的口径\n        年度指标值: 5人  # 含复访\n"
             "      # 下一行：困难妇女儿童\n")
    path.write_text(text.replace(ROW, block), encoding="utf-8")
    before = run("lint", "--format", "json", str(path)).stdout
    assert run("fmt", str(path)).exit_code == 0
    after = path.read_text(encoding="utf-8")
    assert "      - {三级指标: 活动开展次数, 年度指标值: 12次}  # 见镇政府文件\n" in after
    assert "      - {三级指标: 走访人数, 年度指标值: 5人}" in after and "# 镇里的口径；含复访\n" in after
    assert "      # 下一行：困难妇女儿童\n      - {三级指标: 困难妇女儿童慰问人数" in after
    for line in after.splitlines():  # every line indented as the rest: nothing at column 0 but top keys
        assert not line.startswith((",", "}", " ,")), line
    assert run("fmt", "--check", str(path)).exit_code == 0  # stable
    assert run("lint", "--format", "json", str(path)).stdout.replace("\n", "").count('"rule"') == \
        before.replace("\n", "").count('"rule"')
