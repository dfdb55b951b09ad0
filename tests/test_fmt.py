"""`perfgoals fmt` behaves like black, and `new` / `schema` produce valid, canonical files."""

from __future__ import annotations

import json
import shutil

from perfgoals import fmt, loader, yamlio
from perfgoals.lint import lint_sources
from perfgoals.lint.config import default
from perfgoals.lint.engine import Source

from .conftest import CLEAN, DATA

MESSY = """# 文件头注释
绩效指标:
  满意度指标:
    服务对象满意度指标:
    - 三级指标: 居民满意度   # 行尾注释
      年度指标值: ≥90%
  产出指标:
    数量指标:
    - {年度指标值: 12次, 三级指标: 活动次数}
年度: 2024
项目名称: "测试项目"
主管部门: 浦江镇人民政府
实施单位: 妇联
项目资金: {财政资金: 2.70, 项目资金总额: 2.70}
年度资金:
  年度资金申请总额: 2.7
绩效目标:
  年度总体目标: 乙
  项目总目标: 甲
"""


def test_data_is_already_canonical(run):
    result = run("fmt", "--check")
    assert result.exit_code == 0 and "需要格式化 0 个" in result.output


def test_format_is_canonical_idempotent_and_keeps_data_and_comments():
    first = fmt.format_text(MESSY, "m.yaml")
    assert first.problem is None and first.changed
    text = first.new
    assert text.index("项目名称") < text.index("年度:") < text.index("绩效指标")
    assert text.index("产出指标") < text.index("满意度指标")
    assert "# 文件头注释" in text and "# 行尾注释" in text
    assert "{三级指标: 活动次数, 年度指标值: 12次}" in text
    assert "年度资金申请总额: 2.7\n" in text  # numbers keep the digits written
    assert loader.plain(text) == loader.plain(MESSY)
    assert fmt.format_text(text, "m.yaml").new == text  # idempotent


def test_round_trip_of_every_data_file_is_byte_identical():
    for path in DATA.glob("2024/*/*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert yamlio.format_text(text) == text, path


def test_check_lists_files_and_exits_1_diff_shows_changes(run, tmp_path):
    target = tmp_path / "data" / "2024" / "妇联" / "m.yaml"
    target.parent.mkdir(parents=True)
    target.write_text(MESSY, encoding="utf-8")
    checked = run("fmt", "--check", cwd=tmp_path)
    assert checked.exit_code == 1 and "需要格式化：data/2024/妇联/m.yaml" in checked.output
    diff = run("fmt", "--diff", cwd=tmp_path)
    assert diff.exit_code == 1 and "+项目名称: \"测试项目\"" in diff.output
    assert target.read_text(encoding="utf-8") == MESSY  # --check and --diff never write
    assert run("fmt", cwd=tmp_path).exit_code == 0
    assert run("fmt", "--check", cwd=tmp_path).exit_code == 0


def test_bom_and_crlf_are_normalised(run, tmp_path):
    target = tmp_path / "data" / "2024" / "妇联" / "w.yaml"
    target.parent.mkdir(parents=True)
    original = CLEAN.read_text(encoding="utf-8")
    target.write_bytes(b"\xef\xbb\xbf" + original.replace("\n", "\r\n").encode())
    assert run("fmt", cwd=tmp_path).exit_code == 0
    assert target.read_text(encoding="utf-8") == original


def test_unparseable_file_is_left_alone(run, tmp_path):
    target = tmp_path / "data" / "2024" / "妇联" / "bad.yaml"
    target.parent.mkdir(parents=True)
    target.write_text("项目名称: [坏\n", encoding="utf-8")
    result = run("fmt", cwd=tmp_path)
    assert result.exit_code == 2 and "bad.yaml:2:1: 错误 YAML 语法错误" in result.output
    assert target.read_text(encoding="utf-8") == "项目名称: [坏\n"


def test_fmt_refuses_when_data_would_change(monkeypatch):
    monkeypatch.setattr(yamlio, "format_text", lambda text: text.replace("2.70", "2.71"))
    result = fmt.format_text(CLEAN.read_text(encoding="utf-8"), "c.yaml")
    assert result.problem is not None and result.problem.rule == "fmt-unsafe" and not result.changed


def test_new_writes_every_slot_of_the_form(run, tmp_path):
    shutil.copy(DATA / "units.yaml", tmp_path / "units.yaml")
    result = run("new", "三八妇女节活动", "--year", "2025", "--unit", "妇联", "--data", str(tmp_path))
    assert result.exit_code == 0
    path = tmp_path / "2025" / "妇联" / "三八妇女节活动.yaml"
    project, problems = loader.load_file(path)
    assert problems == [] and project.unit == "妇联" and project.year == 2025
    assert [g.level2 for g in project.groups] == [
        "数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标", "生态效益指标",
        "可持续影响指标", "服务对象满意度指标"]
    assert yamlio.format_text(path.read_text(encoding="utf-8")) == path.read_text(encoding="utf-8")
    again = run("new", "三八妇女节活动", "--year", "2025", "--unit", "妇联", "--data", str(tmp_path))
    assert again.exit_code == 2 and "文件已存在" in again.output
    rules = {p.rule for p in lint_sources([Source(project, 2025, "妇联")], default()).problems}
    assert {"goal-missing", "funds-missing", "category-missing"} <= rules  # a blank is not a finished table


def test_new_101_form_puts_cost_first(run, tmp_path):
    assert run("new", "x", "--year", "2026", "--unit", "团委", "--new-unit", "--form", "101", "--data", str(tmp_path)).exit_code == 0
    project, problems = loader.load_file(tmp_path / "2026" / "团委" / "x.yaml")
    assert problems == [] and project.groups[0].level1 == "成本指标" and project.money_unit == "元"


def test_schema_is_json_and_matches_the_loader(run):
    schema = json.loads(run("schema").stdout)
    props = schema["properties"]
    assert set(props) == {"项目名称", "年度", "项目类别", "项目性质", "主管部门", "实施单位", "计划开始日期",
                          "计划完成日期", "金额单位", "项目资金", "年度资金", "绩效目标", "绩效指标"}
    assert set(props["绩效指标"]["properties"]) == {"成本指标", "产出指标", "效益指标", "满意度指标"}
    assert props["项目名称"]["title"] == "项目名称"


def test_schema_accepts_every_data_file_and_rejects_invalid_examples(run):
    import jsonschema
    from .conftest import EXAMPLES
    validator = jsonschema.Draft202012Validator(json.loads(run("schema").stdout))
    for path in DATA.glob("2024/*/*.yaml"):
        assert not list(validator.iter_errors(loader.plain(path.read_text(encoding="utf-8")))), path
    bad = loader.plain((EXAMPLES / "invalid" / "schema" / "类型不对.yaml").read_text(encoding="utf-8"))
    assert {e.validator for e in validator.iter_errors(bad)} >= {"enum", "type"}
