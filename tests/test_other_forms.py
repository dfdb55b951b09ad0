"""Two forms beyond Shanghai's, each one module in perfgoals/forms: the national 88号 table
(长期 and 年度 indicator sides, 中期/年度目标, 项目起止时间) and the provincial 2021 table
(指标值及单位 and 绩效标准 columns, 年度本级预算金额 / 上级资金). Each is created by `new`, checked
by its JSON schema and by lint in its own words, drawn in HTML, Excel and PDF, and read back from
its workbook to the same YAML, byte for byte."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from perfgoals import forms, formgrid, loader, yamlio

from .conftest import EXAMPLES, edit, require_program, require_weasyprint

FILES = {"national88": ("交通", "农村公路养护"), "province2021": ("人社", "职业技能提升培训补贴")}


def example(form_id: str) -> Path:
    return EXAMPLES / "forms" / f"{form_id}.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A data directory holding one table of each of the two forms."""
    for form_id, (unit, name) in FILES.items():
        folder = tmp_path / "data" / "2024" / unit
        folder.mkdir(parents=True)
        shutil.copy(example(form_id), folder / f"{name}.yaml")
    return tmp_path


def table(repo: Path, form_id: str) -> Path:
    unit, name = FILES[form_id]
    return repo / "data" / "2024" / unit / f"{name}.yaml"


@pytest.mark.parametrize("form_id", FILES)
def test_a_file_in_the_forms_own_words_loads_and_writes_back_unchanged(form_id):
    text = example(form_id).read_text(encoding="utf-8")
    project, problems = loader.load_text(text, "x.yaml")
    assert problems == [] and project is not None
    assert forms.of(project) is forms.FORMS[form_id]
    assert yamlio.project_text(project) == text
    assert yamlio.format_text(text) == text


def test_the_national_table_keeps_its_two_sides_and_its_term():
    project, _ = loader.load_file(example("national88"))
    assert project is not None
    assert (project.start, project.end) == ("2024-01", "2026-12")
    assert [g.level2 for g in project.long_groups] == ["数量指标", "质量指标", "社会效益指标"]
    assert project.long_groups[0].rows[0].value == "≥60公里"
    assert project.groups[0].rows[1].name == "中修里程"
    assert str(project.funds.total) == "360.00" and str(project.annual.other) == "10.00"


def test_the_provincial_table_keeps_its_standards_and_upper_funds():
    project, _ = loader.load_file(example("province2021"))
    assert project is not None
    assert [r.standard for _p, _g, _i, r in project.rows()][:3] == ["计划标准", "计划标准", "行业标准"]
    assert str(project.annual.upper) == "200.00" and project.funds.total is None


@pytest.mark.parametrize("form_id", FILES)
def test_the_json_schema_of_each_form_takes_its_example_and_refuses_a_wrong_key(run, tmp_path, form_id):
    import jsonschema
    result = run("schema", "--form", form_id, cwd=tmp_path)
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == forms.FORMS[form_id].title
    validator = jsonschema.Draft202012Validator(schema)
    document = loader.plain(example(form_id).read_text(encoding="utf-8"))
    assert list(validator.iter_errors(document)) == []
    document["项目资金"]["项目资金总额"] = 1  # a Shanghai key is not this form's
    assert list(validator.iter_errors(document))


def test_lint_speaks_each_forms_words_and_skips_what_it_does_not_have(run, repo):
    clean = run("lint", "--no-cache", cwd=repo)
    assert clean.exit_code == 0, clean.output
    assert "发现 0 个问题" in clean.output
    national, province = table(repo, "national88"), table(repo, "province2021")
    edit(national, "当年资金总额: 120.00", "当年资金总额: 130.00")
    edit(province, "上级资金: 200.00", "上级资金: 100.00")
    edit(province, "绩效标准: 行业标准}", "绩效标准: 行业标准, 备注: 无}")
    result = run("lint", "--no-cache", cwd=repo)
    assert result.exit_code == 1
    out = result.output
    # the national table's words, at the line of its own key
    assert "农村公路养护.yaml:12:11: 错误 当年资金总额应为 120.00 万元（当年财政拨款 110.00 + 其他资金 10.00）" in out
    # the provincial sum has 上级资金 and no 上年结转资金
    assert "年度资金总额应为 400.00 万元（年度本级预算金额 300.00 + 上级资金 100.00 + 其他资金 0）" in out
    assert "此处可用的键：三级指标、指标值及单位、绩效标准" in out
    # rules about fields a form does not have say nothing (项目类别, 计划开始日期, 项目资金总额, 总目标期间)
    for absent in ("项目类别", "计划开始日期", "项目资金总额", "总目标期间", "项目总目标"):
        assert absent not in out


def test_lint_checks_the_national_term_and_category(run, repo):
    national = table(repo, "national88")
    edit(national, "项目起止时间: 202401-202612", "项目起止时间: 2024年至2026年")
    edit(national, "项目属性: 延续项目", "项目属性: 持续项目")
    out = run("lint", "--no-cache", cwd=repo).output
    assert "“项目属性”应为 新增项目 / 延续项目 之一，实为“持续项目”" in out
    assert "“项目起止时间”不是有效日期：“2024年至2026年”" in out


@pytest.mark.parametrize("form_id", FILES)
def test_new_writes_a_blank_table_in_the_forms_words(run, tmp_path, form_id):
    (tmp_path / "data").mkdir()
    alias = forms.FORMS[form_id].aliases[0]
    result = run("new", "试填", "--year", "2025", "--unit", "试点", "--new-unit", "--form", alias, cwd=tmp_path)
    assert result.exit_code == 0, result.output
    path = tmp_path / "data" / "2025" / "试点" / "试填.yaml"
    project, problems = loader.load_file(path)
    assert problems == [] and project is not None and forms.of(project).id == form_id
    text = path.read_text(encoding="utf-8")
    for key, _fld in forms.FORMS[form_id].layout:
        assert key.split(".")[-1] + ":" in text
    if form_id == "national88":
        assert "项目起止时间: 202501-202512" in text and "长期绩效指标:" in text
    else:
        assert "年度资金总额 = 年度本级预算金额 + 上级资金 + 其他资金" in text


def test_each_form_draws_its_own_columns(repo):
    national, _ = loader.load_file(table(repo, "national88"))
    province, _ = loader.load_file(table(repo, "province2021"))
    assert national is not None and province is not None
    grid = formgrid.build(national)
    grid.covered()  # no two cells overlap
    heads = [c.text for c in grid.cells if c.role == "head"]
    assert heads[:3] == ["一级指标", "长期绩效指标", "年度绩效指标"] and heads.count("指标值") == 2
    rows = formgrid.layout(grid).rows
    assert [t for role, t in rows[0].cells] == ["数量指标", "中修里程", "≥60公里", "数量指标", "日常养护里程", "420公里"]
    grid = formgrid.build(province)
    grid.covered()
    assert [c.text for c in grid.cells if c.role == "head"][-2:] == ["指标值及单位", "绩效标准"]
    assert formgrid.layout(grid).rows[0].cells[-1] == ("value", "计划标准")


def test_html_shows_both_forms(run, repo):
    assert run("render", "-o", "out", cwd=repo).exit_code == 0
    national = (repo / "out" / "2024" / "交通" / "农村公路养护.html").read_text(encoding="utf-8")
    assert "长期绩效指标" in national and "中期目标" in national and "202401-202612" in national
    assert national.count('<td class="target">≥60公里</td>') == 1
    province = (repo / "out" / "2024" / "人社" / "职业技能提升培训补贴.html").read_text(encoding="utf-8")
    assert "绩效标准" in province and "年度本级预算金额" in province and ">行业标准<" in province


@pytest.mark.parametrize("form_id", FILES)
def test_excel_reads_back_to_the_same_yaml_byte_for_byte(run, repo, tmp_path, form_id):
    unit, name = FILES[form_id]
    assert run("render", "--format", "xlsx", "--unit", unit, "-o", "out", cwd=repo).exit_code == 0
    workbook = repo / "out" / "2024" / f"{unit}.xlsx"
    back = tmp_path / "back"
    (back / "data").mkdir(parents=True)
    result = run("import", str(workbook), "--year", "2024", cwd=back)
    assert result.exit_code == 0, result.output
    (made,) = (back / "data" / "2024").rglob("*.yaml")
    lines = made.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[0].startswith("# 由 perfgoals import 自") and forms.FORMS[form_id].title in lines[0]
    assert "".join(lines[1:]) == example(form_id).read_text(encoding="utf-8")


def test_the_pdf_prints_both_forms(run, repo, tmp_path):
    require_weasyprint()
    pdftotext = require_program("pdftotext", package="poppler-utils")
    assert run("render", "--format", "pdf", "-o", "out", cwd=repo).exit_code == 0
    (pdf,) = (repo / "out" / "2024").glob("*.pdf")
    import subprocess
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for words in ("长期绩效指标", "年度绩效指标", "中修单位成本", "绩效标准", "参训人员满意度", "上级资金"):
        assert words in text, words
