"""A clerk's day: commands find the right place, catch typos, speak Chinese, and say what they did."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from perfgoals import cli as cli_module
from perfgoals import loader

from .conftest import CLEAN, REQUIRE_ENV, SOURCE, require_program

WOMEN = Path("data") / "2024" / "妇联"


# -- the README contract: optional system programs ---------------------------------------------

def test_missing_program_skips_with_a_reason(monkeypatch):
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv(REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install no-such-program"):
        require_program("no-such-program")


def test_missing_program_fails_where_ci_requires_it(monkeypatch):
    monkeypatch.setenv("PATH", "")
    monkeypatch.setenv(REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match=REQUIRE_ENV):
        require_program("no-such-program")


def test_ci_script_requires_system_programs():
    from .conftest import ROOT
    assert f"export {REQUIRE_ENV}=1" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


# -- units -----------------------------------------------------------------------------------

def test_new_with_a_mistyped_unit_suggests_and_writes_nothing(run, workdir):
    result = run("new", "测试", "--year", "2025", "--unit", "妇连")
    assert result.exit_code == 2
    assert "没有单位“妇连”" in result.output and "妇联" in result.output and "--new-unit" in result.output
    assert not (workdir / "data" / "2025").exists() and "妇连" not in (workdir / "data" / "units.yaml").read_text()


def test_new_with_a_full_unit_name_uses_its_folder(run, workdir):
    result = run("new", "青年活动", "--year", "2025", "--unit", "共青团浦江镇委员会")
    assert result.exit_code == 0, result.output
    path = workdir / "data" / "2025" / "团委" / "青年活动.yaml"
    project, problems = loader.load_file(path)
    assert problems == [] and project.unit == "共青团浦江镇委员会"
    assert str(Path("data") / "2025" / "团委" / "青年活动.yaml") in result.output


def test_new_with_a_folder_name_takes_the_full_name_from_units_yaml(run, workdir):
    assert run("new", "青年活动", "--year", "2025", "--unit", "团委").exit_code == 0
    project, _ = loader.load_file(workdir / "data" / "2025" / "团委" / "青年活动.yaml")
    assert project.unit == "共青团浦江镇委员会"


def test_new_unit_is_recorded(run, workdir):
    result = run("new", "社区治理", "--year", "2025", "--unit", "浦江镇社区治理办", "--new-unit")
    assert result.exit_code == 0, result.output
    assert (workdir / "data" / "2025" / "浦江镇社区治理办" / "社区治理.yaml").is_file()
    assert "浦江镇社区治理办:" in (workdir / "data" / "units.yaml").read_text(encoding="utf-8")
    # and from now on the unit is known to every command
    assert run("new", "第二个", "--year", "2025", "--unit", "浦江镇社区治理办").exit_code == 0


@pytest.mark.parametrize("command", [("lint",), ("summary",), ("render", "--out", "out")])
def test_every_command_takes_a_full_unit_name(run, command):
    result = run(*command, "--unit", "共青团浦江镇委员会")
    assert result.exit_code in (0, 1), result.output
    typo = run(*command, "--unit", "共青团委员")
    assert typo.exit_code == 2 and "相近的单位：团委" in typo.output


# -- finding data/ ---------------------------------------------------------------------------

def test_new_and_import_from_inside_a_unit_folder_write_to_the_top_data(run, workdir, tmp_path):
    inside = workdir / WOMEN
    assert run("new", "测试", "--year", "2025", "--unit", "妇联", cwd=inside).exit_code == 0
    assert (workdir / "data" / "2025" / "妇联" / "测试.yaml").is_file()
    assert not (inside / "data").exists()
    result = run("import", str(SOURCE), "--year", "2024", "--force", cwd=inside)
    assert result.exit_code == 0, result.output
    assert not (inside / "data").exists()


def test_new_in_an_empty_folder_refuses_without_data(run, tmp_path):
    result = run("new", "测试", "--year", "2025", "--unit", "妇联", cwd=tmp_path)
    assert result.exit_code == 2 and "找不到数据目录 data/" in result.output
    assert list(tmp_path.iterdir()) == []


# -- years -----------------------------------------------------------------------------------

@pytest.mark.parametrize("year", ["25", "20244", "1999", "abc"])
def test_years_are_four_digits_in_range(run, year):
    result = run("new", "测试", "--year", year, "--unit", "妇联")
    assert result.exit_code == 2 and "不是年度" in result.output and "Traceback" not in result.output


def test_default_year_is_announced_and_empty_years_do_not_count(run, workdir):
    (workdir / "data" / "2026").mkdir()
    result = run("summary")
    assert result.exit_code == 0 and "年度：2024（数据中有项目的最新年度，104 个项目）" in result.stderr
    assert run("new", "草稿", "--year", "2025", "--unit", "妇联").exit_code == 0
    result = run("summary")
    assert "年度：2025" in result.stderr and "另有 2024 年度 104 个" in result.stderr
    assert "合计" in result.stdout
    pinned = run("summary", "--year", "2024")
    assert "年度：" not in pinned.stderr and "104" in pinned.stdout


def test_import_refuses_a_year_that_differs_from_the_tables(run, tmp_path):
    result = run("import", str(SOURCE), "--year", "2025", "--data", str(tmp_path / "d"))
    assert result.exit_code == 2 and "与 --year 2025 不符" in result.output
    assert not (tmp_path / "d" / "2025").exists()
    forced = run("import", str(SOURCE), "--year", "2025", "--data", str(tmp_path / "d"), "--force")
    assert forced.exit_code == 0 and "警告" in forced.stderr
    assert len(list((tmp_path / "d" / "2025").rglob("*.yaml"))) == 104


@pytest.mark.parametrize("content,needle", [
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "是PNG 图片"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "另存为 .xlsx"),
    (b"PK\x03\x04" + b"\0" * 26 + b"word/document.xml", "Word 文档"),
])
def test_import_names_file_types_we_do_not_read(run, tmp_path, content, needle):
    source = tmp_path / "表格.dat"
    source.write_bytes(content)
    result = run("import", str(source), "--data", str(tmp_path / "d"))
    assert result.exit_code == 2 and needle in result.output and "能导入" in result.output
    assert "UTF-8" not in result.output.split("能导入")[0]  # not "不是 UTF-8 编码"
    assert not (tmp_path / "d").exists()


# -- output files ----------------------------------------------------------------------------

def test_summary_output_format_follows_the_extension(run, workdir):
    assert run("summary", "--out", "汇总.xlsx").exit_code == 0
    assert zipfile.is_zipfile(workdir / "汇总.xlsx")
    assert run("summary", "-o", "汇总.json").exit_code == 0
    assert json.loads((workdir / "汇总.json").read_text(encoding="utf-8"))["total"]["项目数"] == 104
    clash = run("summary", "--format", "xlsx", "--out", "x.csv")
    assert clash.exit_code == 2 and "矛盾" in clash.output and not (workdir / "x.csv").exists()
    unknown = run("summary", "--out", "x.docx")
    assert unknown.exit_code == 2 and "扩展名" in unknown.output


def test_lint_output_file_quiet_exit_zero_and_statistics(run, workdir):
    result = run("lint", "-o", "结果.json")
    assert result.exit_code == 1 and result.stdout == ""
    body = json.loads((workdir / "结果.json").read_text(encoding="utf-8"))
    assert len(body["problems"]) == 465
    quiet = run("lint", "-q")
    lines = quiet.stdout.splitlines()
    assert len(lines) == 33 and all(" 错误 " in line for line in lines)
    assert run("lint", "--exit-zero").exit_code == 0
    stats = run("lint", "--statistics").stdout.splitlines()
    assert stats[0].split()[:2] == ["117", "vague-qualitative"]
    assert stats[-1].startswith("检查了 104 个文件，发现 465 个问题")
    assert run("lint", "--format", "sarif", "-o", "x.txt").exit_code == 2
    assert run("lint", "--format", "gitlab", "-o", "x.json").exit_code == 1  # Code Quality is JSON


def test_colour_flags_and_environment(run):
    plain = run("lint", "--unit", "党建办", env={"NO_COLOR": "1"}).stdout
    assert "\033[" not in plain
    forced = run("lint", "--unit", "党建办", env={"NO_COLOR": None, "FORCE_COLOR": "1"}).stdout
    assert "\033[31m错误" in forced
    assert "\033[" in run("lint", "--unit", "党建办", "--color").stdout
    assert "\033[" not in run("lint", "--unit", "党建办", "--no-color", env={"FORCE_COLOR": "1"}).stdout


# -- Chinese-keyboard mistakes -----------------------------------------------------------------

@pytest.mark.parametrize("old,new,line,needle", [
    ("  项目资金总额: 2.70", "  项目资金总额：2.70", 11, "应写作“项目资金总额: 2.70”"),
    ("年度: 2024", "年度：2024", 3, "键“年度”后用了中文冒号“：”"),
    ("      - {三级指标: 活动开展次数, 年度指标值: ≥12次}", "      - {三级指标: 活动开展次数，年度指标值: ≥12次}", 26,
     "应写作“- {三级指标: 活动开展次数, 年度指标值: ≥12次}”"),
    ("      - {三级指标: 活动开展次数, 年度指标值: ≥12次}", "      - {三级指标：活动开展次数，年度指标值: ≥12次}", 26,
     "应写作“三级指标: 活动开展次数, 年度指标值”"),
    ("  项目资金总额: 2.70", "\u3000项目资金总额: 2.70", 11, "全角空格"),
    ("项目名称: 妇女儿童维权", "“项目名称”: 妇女儿童维权", 2, "两边用了引号"),
])
def test_chinese_keyboard_mistakes_point_at_their_line(tmp_path, old, new, line, needle):
    text = CLEAN.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "x.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    _project, problems = loader.load_file(path)
    assert problems, "the mistake must be reported"
    assert problems[0].line == line and needle in problems[0].message, problems[0]


def test_malformed_amount_is_reported_once_as_malformed(run, tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(CLEAN.read_text(encoding="utf-8").replace("  项目资金总额: 2.70", "  项目资金总额: 2.7o"),
                    encoding="utf-8")
    body = json.loads(run("lint", "--format", "json", str(path)).stdout)
    on_line = [p for p in body["problems"] if p["line"] == 11]
    assert len(on_line) == 1 and "应为金额数字" in on_line[0]["message"] and "表上为空" not in on_line[0]["message"]


# -- Chinese throughout ------------------------------------------------------------------------

def test_help_and_usage_errors_are_chinese_with_one_colon_style(run):
    for name in (None, *cli_module.cli.commands):
        args = [name, "--help"] if name else ["--help"]
        out = run(*args).output
        assert out.startswith("用法：perfgoals") and "选项：" in out, name
        for english in ("Usage", "Options", "[required]", "integer", "<=x<=", "default:", "选项:", "用法： "):
            assert english not in out, (name, english)
    jobs = run("lint", "--jobs", "abc")
    assert jobs.exit_code == 2 and "“abc”不是整数" in jobs.output
    missing = run("new", "x")
    assert missing.exit_code == 2 and "缺少选项 '--year'。" in missing.output


def test_ctrl_c_exits_130_with_one_line(monkeypatch, capsys):
    @cli_module.cli.command("boom-test")
    def boom() -> None:
        raise KeyboardInterrupt
    try:
        with pytest.raises(SystemExit) as stop:
            cli_module.main(["boom-test"])
    finally:
        del cli_module.cli.commands["boom-test"]
    assert stop.value.code == 130
    err = capsys.readouterr().err
    assert err.strip().count("\n") == 0 and "已中止" in err  # one line (after the newline that ends ^C)


def test_main_keeps_exit_codes(capsys):
    for argv, code in ((["--version"], 0), (["no-such-command"], 2), (["lint", "--jobs", "0"], 2)):
        with pytest.raises(SystemExit) as stop:
            cli_module.main(argv)
        assert stop.value.code == code, argv
    assert "Traceback" not in capsys.readouterr().err
