"""The text importer: the 104 real tables, the repairs it makes, and the faithfulness it keeps."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from perfgoals import loader
from perfgoals.importers import text
from perfgoals.naming import safe_name, unit_folder

from .conftest import DATA, SOURCE

SAMPLE_NEW_FORM = Path(__file__).parent / "examples" / "sources" / "申报表样例.txt"


@pytest.fixture(scope="module")
def imported():
    done, failed = text.read(SOURCE.read_text(encoding="utf-8"), SOURCE.name, 2024)
    assert failed == []
    return {(i.project.unit, i.project.name): i for i in done}


def by_name(imported, name):
    return next(i for (u, n), i in imported.items() if n == name)


def rows(project, level2):
    return [(r.name, r.value) for g in project.groups if g.level2 == level2 for r in g.rows]


def test_all_104_tables_are_imported(imported):
    assert len(imported) == 104
    assert len(list((DATA / "2024").glob("*/*.yaml"))) == 104


def _independent_totals(source: str) -> dict[str, tuple[Decimal, Decimal]]:
    """Per 实施单位: (项目资金总额, 年度资金申请总额) summed straight from the source text."""
    totals: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for chunk in source.split("财政项目支出绩效目标表")[1:]:
        unit = re.search(r"实施单位\t+([^\t\n]+)", chunk).group(1).strip()
        money = re.search(r"项目资金总额\t+([\d. ]*)\t+年度资金申请总额\t*([\d. ]*)", chunk)
        total, annual = (Decimal(x.replace(" ", "")) if x.strip() else Decimal(0) for x in money.groups())
        totals[unit][0] += total
        totals[unit][1] += annual
    return {u: (a, b) for u, (a, b) in totals.items()}


def test_unit_totals_match_the_source_text():
    expected = _independent_totals(SOURCE.read_text(encoding="utf-8"))
    got: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for path in DATA.glob("2024/*/*.yaml"):
        p, problems = loader.load_file(path)
        assert problems == []
        got[p.unit][0] += p.funds.total or 0
        got[p.unit][1] += p.annual.total or 0
    assert {u: tuple(v) for u, v in got.items()} == expected
    assert len(expected) == 16


def test_reimport_reproduces_data_byte_for_byte(run, tmp_path):
    (tmp_path / "units.yaml").write_bytes((DATA / "units.yaml").read_bytes())
    result = run("import", str(SOURCE), "--year", "2024", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    ours = {p.relative_to(DATA): p.read_bytes() for p in (DATA / "2024").rglob("*.yaml")}
    again = {p.relative_to(tmp_path): p.read_bytes() for p in (tmp_path / "2024").rglob("*.yaml")}
    assert again == ours
    assert (tmp_path / "units.yaml").read_bytes() == (DATA / "units.yaml").read_bytes()


def test_import_refuses_to_overwrite_without_force(run, tmp_path):
    assert run("import", str(SOURCE), "--year", "2024", "--out", str(tmp_path)).exit_code == 0
    target = next((tmp_path / "2024").rglob("*.yaml"))
    target.write_text("改过的内容\n", encoding="utf-8")
    result = run("import", str(SOURCE), "--year", "2024", "--out", str(tmp_path))
    assert result.exit_code == 1 and "已存在" in result.output and "--force" in result.output
    assert target.read_text(encoding="utf-8") == "改过的内容\n"  # nothing was written
    assert run("import", str(SOURCE), "--year", "2024", "--out", str(tmp_path), "--force").exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# 由 perfgoals import")


def test_header_fields_and_mistakes_are_kept(imported):
    p = by_name(imported, "政府零星维修").project
    assert p.department == "政府零星维修"  # the clerk's mistake stays; lint reports it
    assert (p.start, p.end, p.category) == ("2024-01-01", "2024-12-31", "经常性项目")
    assert str(p.funds.total) == "150.75"
    q = by_name(imported, "干部培养").project
    assert (str(q.funds.total), str(q.funds.fiscal)) == ("40.605", "40.61")  # wrong sum kept
    r = by_name(imported, "组团式走访活动").project
    assert r.start == "2021-01-01"


@pytest.mark.parametrize("name,start,end", [
    ("浦江镇人代会", "2024-01-01", "2024-12-31"),  # 2024. 1. 1
    ("卫健-红十字会", "2024-01-01", "2024-12-31"),  # 2024年1月1日
    ("武装工作", "2024-01-01", "2024-12-31"),  # 2024-1-1
    ("高温慰问", "2024-01", "2024-12"),  # year and month only
])
def test_dates_in_every_notation(imported, name, start, end):
    p = by_name(imported, name).project
    assert (p.start, p.end) == (start, end)


def test_spaces_inside_numbers_are_repaired(imported):
    p = by_name(imported, "学校校舍维修").project
    assert str(p.funds.total) == "825.41"
    assert p.period == "2023年-2024年"


@pytest.mark.parametrize("name,expected", [
    ("政府零星维修", "经常性项目"),  # <input checked>
    ("卫健-家庭健康能力建设", "经常性项目"),  # √/□
    ("拥军工作", "专项资金"),
    ("“十四五”规划实施中期评估", "一次性项目"),
    ("教育类活动专项", None),  # 专项资金□ 经常性项目□ 一次性项目□: none ticked
    ("日常运作", None),
])
def test_checkbox_notations(imported, name, expected):
    assert by_name(imported, name).project.category == expected


def test_tick_between_two_labels_is_chosen_and_explained(imported):
    item = by_name(imported, "妇女儿童维权")
    assert item.project.category == "经常性项目"
    assert "2 个方框" in item.notes["项目类别"]


def test_label_in_the_middle_of_its_rows(imported):
    # "指标1：运作管理及时性" sits above the row that carries "时效指标 指标2："
    p = by_name(imported, "政府大楼运转项目").project
    assert rows(p, "时效指标") == [("运作管理及时性", "及时")]
    assert rows(p, "数量指标") == [("政府建筑总面积", "12597m²")]


def test_unnumbered_row_moves_to_the_group_whose_label_says_指标2(imported):
    item = by_name(imported, "武装工作")
    assert rows(item.project, "时效指标") == [("结对帮扶及时性", "100%")]
    assert "按编号归入本组" in item.notes["绩效指标.产出指标.时效指标"]


def test_split_rows_are_merged_with_a_note(imported):
    item = by_name(imported, "劳模慰问")
    assert rows(item.project, "社会效益指标") == [("提升劳模幸福感", "提升")]
    assert rows(item.project, "服务对象满意度指标") == [("劳模满意度", "90%")]
    assert "错行" in item.notes["绩效指标.满意度指标.服务对象满意度指标[0]"]


def test_group_without_label_is_inferred_with_a_note(imported):
    item = by_name(imported, "商会运作工作扶持")
    assert [n for n, _ in rows(item.project, "时效指标")] == ["按时发放工资，按时缴纳社保、公积金", "印刷品按指定时间制作完成"]
    assert "推定为“时效指标”" in item.notes["绩效指标.产出指标.时效指标"]
    # split labels: "社会 效益", "可持 续影 响", "满意 度指 标"
    assert rows(item.project, "可持续影响指标")[0][1] == "95%"
    assert len(rows(item.project, "服务对象满意度指标")) == 2


def test_two_indicators_in_one_row_are_split(imported):
    p = by_name(imported, "国防教育").project
    assert rows(p, "社会效益指标") == [("营造良好国防教育氛围", "营造"), ("提高战时人民防空组织指挥能力", "提高")]


def test_placeholders_dropped_real_rows_with_empty_value_kept(imported):
    p = by_name(imported, "社会化社工工作者经费").project
    assert rows(p, "服务对象满意度指标") == [("社工满意度", None)]
    assert all(r.name and not r.name.startswith("指标") for g in p.groups for r in g.rows)
    assert not any(g.level2 == "经济效益指标" for g in p.groups)


def test_a_value_right_of_the_content_is_not_a_label(imported):
    # "成本指标 | 指标1：保障运行率100% | 社会效益": the clerk wrote 社会效益 as the value
    p = by_name(imported, "日常运作").project
    assert rows(p, "成本指标") == [("保障运行率100%", "社会效益")]


def test_misspelt_level2_kept_as_written(imported):
    p = by_name(imported, "镇文化发展专项").project
    assert ("效益指标", "可持续发展指标") in [(g.level1, g.level2) for g in p.groups]


def test_goal_texts_inline_split_and_html(imported):
    p = by_name(imported, "浦江市场所协管员伙食费").project
    assert p.goal_total == "解决协管员工作就餐问题，保障工作顺利开展"
    assert p.goal_annual == "确保100%解决协管员工作就餐"
    q = by_name(imported, "政务公开").project
    assert q.goal_total.startswith("1. 每年8月") and "\n2. " in q.goal_total and "<p>" not in q.goal_total
    r = by_name(imported, "镇文化发展专项").project
    assert r.goal_total.startswith("成为联系和团结") and r.goal_annual.startswith("不断创造")


def test_money_with_stray_label_fragments(imported):
    p = by_name(imported, "商会运作工作扶持").project  # a lone "金" row and "/" cells
    assert (p.funds.total, p.funds.other, p.annual.other) == (Decimal("50.00"), None, None)
    q = by_name(imported, "爱国主义主题教育").project  # "金	0	其他资金	0"
    assert (q.funds.other, q.annual.other) == (Decimal(0), Decimal(0))
    r = by_name(imported, "人事系统").project
    assert r.annual.total is None and r.annual.appropriation == Decimal("0.80")


def test_unit_folders_are_short_and_stable():
    assert unit_folder("上海市闵行区浦江镇人大办公室") == "人大办公室"
    assert unit_folder("妇联") == "妇联"
    assert unit_folder("浦江镇人民政府-社事办卫生健康科") == "卫生健康科"
    assert unit_folder("浦江镇党群办（文明办）") == "党群办"
    assert unit_folder("某新单位", {"某新单位": "新单位"}) == "新单位"


@pytest.mark.parametrize("raw,safe", [
    ("a/b\\c:d*e?f\"g<h>i|j", "a_b_c_d_e_f_g_h_i_j"),
    ("..隐藏", "隐藏"),
    ("../../etc/passwd", "___etc_passwd"),
    ("CON", "_CON"),
    ("com1.txt", "_com1.txt"),
    ("  ", "未命名"),
])
def test_safe_file_names(raw, safe):
    assert safe_name(raw) == safe
    assert "/" not in safe_name(raw) and not safe_name(raw).startswith(".")


def test_unreadable_table_is_reported_and_others_imported():
    good = SOURCE.read_text(encoding="utf-8").split("\n")[:70]
    broken = ["", "财政项目支出绩效目标表", "", "(2024 年度)", "", "这一张表只剩下标题"]
    done, failed = text.read("\n".join(good[:34] + broken + good[33:]), "x.txt", 2024)
    assert [i.project.name for i in done] == ["政府零星维修", "政府大楼运转项目"]
    assert len(failed) == 1 and failed[0].index == 2 and failed[0].line == 36
    assert "项目名称" in failed[0].message


def test_new_shanghai_form_is_read(run, tmp_path):
    done, failed = text.read(SAMPLE_NEW_FORM.read_text(encoding="utf-8"), "s.txt", None)
    assert failed == []
    p = done[0].project
    assert (p.year, p.money_unit, p.nature, p.category) == (2026, "元", "经常性项目", "特定目标类")
    assert p.funds.total == Decimal("1250000.00")
    assert [g.level1 for g in p.groups][0] == "成本指标"
    assert rows(p, "经济成本指标") == [("人均补贴标准", "≤3000.00(元/人)")]
    assert rows(p, "数量指标") == [("补贴发放人数", "≥400.00(人)")]
    result = run("import", str(SAMPLE_NEW_FORM), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    written = next((tmp_path / "2026").rglob("*.yaml"))
    q, problems = loader.load_file(written)
    assert problems == [] and q.nature == "经常性项目" and q.money_unit == "元"
