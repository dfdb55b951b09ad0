"""The year and the project the clerk meant (issue 24, part 6): a name that exists in another
year says so and how to get it; a new table says what each field takes, and its blank slots are
not counted or printed once a real row is there."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from .conftest import EXAMPLES

WOMEN = Path("data") / "2024" / "妇联"


@pytest.fixture
def with_2025(run, workdir) -> Path:
    """The fixture repository with one 2025 project (so 2025 is the default year)."""
    assert run("new", "三八妇女节活动", "--year", "2025", "--unit", "妇联").exit_code == 0
    shutil.copy(EXAMPLES / "selfeval" / "社区助老服务补贴.自评.yaml", workdir / WOMEN)
    return workdir


def test_render_of_a_project_of_another_year_says_which_year(run, with_2025):
    result = run("render", "--project", "妇女儿童维权")
    assert result.exit_code == 2
    assert "2024 年度有" in result.output and "--year 2024" in result.output
    assert "相近的项目" not in result.output
    assert run("render", "--project", "妇女儿童维权", "--year", "2024").exit_code == 0


def test_a_misspelt_project_still_gets_close_names(run, with_2025):
    result = run("render", "--project", "三八妇女节", "--year", "2025")
    assert result.exit_code == 2 and "相近的项目：三八妇女节活动" in result.output


def test_new_selfeval_for_a_project_of_another_year_says_which_year(run, with_2025):
    result = run("new", "妇女儿童维权", "--year", "2025", "--unit", "妇联", "--自评")
    assert result.exit_code == 2 and "2024 年度有" in result.output and "--year 2024" in result.output


def test_summary_and_score_of_a_unit_missing_this_year_say_which_year(run, with_2025):
    summary = run("summary", "--unit", "助残康复科")
    assert summary.exit_code == 2 and "2024 年度有" in summary.output and "--year 2024" in summary.output
    score = run("score", "--unit", "妇联", "--year", "2025")
    assert score.exit_code == 2 and "2024 年度有" in score.output and "--year 2024" in score.output


def test_a_new_table_names_the_allowed_values(run, workdir):
    assert run("new", "新项目", "--year", "2025", "--unit", "妇联").exit_code == 0
    text = (workdir / "data" / "2025" / "妇联" / "新项目.yaml").read_text(encoding="utf-8")
    assert "项目类别: null  # 勾选一项，写其名称：专项资金 / 经常性项目 / 一次性项目" in text
    assert "金额单位: 万元  # 万元 或 元" in text and "日期写作" in text and "每行一个指标" in text
    assert run("fmt", "--check").exit_code == 0  # the comments are in the canonical layout
    assert run("new", "申报", "--year", "2025", "--unit", "妇联", "--form", "101").exit_code == 0
    text = (workdir / "data" / "2025" / "妇联" / "申报.yaml").read_text(encoding="utf-8")
    assert "特定目标类" in text and "项目性质: null  # 写其中之一：经常性项目 / 阶段性项目 / 一次性项目" in text


def test_blank_slots_are_not_indicators_once_a_group_has_a_real_row(run, workdir, tmp_path):
    assert run("new", "新项目", "--year", "2025", "--unit", "妇联").exit_code == 0
    path = workdir / "data" / "2025" / "妇联" / "新项目.yaml"
    text = path.read_text(encoding="utf-8")
    slot = "    数量指标:\n      - {三级指标: null, 年度指标值: null}\n"
    assert slot in text
    path.write_text(text.replace(slot, slot + "      - {三级指标: 活动次数, 年度指标值: 12次}\n"), encoding="utf-8")
    assert run("export", "--year", "2025", "-o", str(tmp_path / "e")).exit_code == 0
    with open(tmp_path / "e" / "指标.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["三级指标"] for r in rows] == ["活动次数"] and rows[0]["序号"] == "1"
    with open(tmp_path / "e" / "项目.csv", encoding="utf-8-sig") as fh:
        assert next(csv.DictReader(fh))["指标数"] == "1"
    assert run("render", "--year", "2025", "--official", "-o", str(tmp_path / "o")).exit_code == 0
    page = (tmp_path / "o" / "2025" / "妇联" / "新项目.html").read_text(encoding="utf-8")
    assert "指标1：活动次数" in page and "指标2：" not in page
    assert page.count("指标1：") == 9  # the real row, and one empty slot for each of the 8 other groups
