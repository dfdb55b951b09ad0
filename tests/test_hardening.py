"""Nothing silently wrong, third round (issue 25): every item has a test here or beside the code
it concerns (test_cache.py for the cache, test_review.py for the report formats)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from perfgoals.lint.config import glob_match

from .conftest import CLEAN

WOMEN = Path("data") / "2024" / "妇联"


def _json(run, *args: str, cwd: Path | None = None) -> dict:
    result = run("lint", "--format", "json", *args, cwd=cwd)
    return json.loads(result.stdout)


# 4. a project named "units" -----------------------------------------------------------------

def test_a_project_named_units_is_a_project(run, workdir):
    assert run("new", "units", "--year", "2024", "--unit", "妇联").exit_code == 0
    assert (workdir / WOMEN / "units.yaml").is_file()
    body = _json(run, "--unit", "妇联")
    assert any(p["path"].endswith("妇联/units.yaml") for p in body["problems"])  # a blank table: errors
    assert run("export", "--unit", "妇联", "-o", "e").exit_code == 0
    assert "data/2024/妇联/units.yaml" in (workdir / "e" / "项目.csv").read_text(encoding="utf-8-sig")
    # data/units.yaml itself is still the units list, never a project
    assert not any(p["path"] == "data/units.yaml" for p in _json(run)["problems"])


# 6. files skipped without a word ------------------------------------------------------------

@pytest.mark.parametrize(("path", "pattern", "hit"), [
    ("data/2024/妇联/a.yaml", "data/2024/妇联/**/*.yaml", True),
    ("data/2024/妇联/x/a.yaml", "data/2024/妇联/**/*.yaml", True),
    ("data/2019/a/b.yaml", "data/2019/**", True),
    ("data/2024/党政办/a.yaml", "data/2024/党政办/*", True),
    ("data/2024/党政办/x/a.yaml", "data/2024/党政办/*", False),
    ("data/2024/a.yaml", "**/a.yaml", True),
])
def test_path_patterns_are_gitignore_style(path, pattern, hit):
    assert glob_match(path, pattern) is hit


def test_a_per_path_glob_with_double_star_takes_files_directly_in_the_folder(run, workdir):
    (workdir / ".perfgoals.yaml").write_text("per-path:\n  - paths: [data/2024/妇联/**/*.yaml]\n"
                                             "    rules: {vague-qualitative: off}\n", encoding="utf-8")
    body = _json(run, "--unit", "妇联", "--no-cache")
    assert not [p for p in body["problems"] if p["rule"] == "vague-qualitative"]


def test_upper_case_extensions_are_read_and_the_rest_is_said_once(run, workdir, tmp_path):
    folder = workdir / WOMEN
    shutil.copy(CLEAN, folder / "大写扩展名.YAML")
    shutil.copy(CLEAN, folder / ".隐藏.yaml")
    secret = tmp_path / "外部.yaml"
    secret.write_text("项目名称: 外部秘密\n", encoding="utf-8")
    (folder / "外部.yaml").symlink_to(secret)
    result = run("lint", "--unit", "妇联", "--format", "json")
    assert json.loads(result.stdout)["files"] == 6  # 妇联's 5 tables and the .YAML one
    assert run("export", "--unit", "妇联", "-o", "e").exit_code == 0
    exported = (workdir / "e" / "项目.csv").read_text(encoding="utf-8-sig")
    assert "大写扩展名.YAML" in exported and "外部秘密" not in exported
    assert "外部秘密" not in result.output
    note = [line for line in result.stderr.splitlines() if line.startswith("注意：跳过了")]
    assert len(note) == 1 and ".隐藏.yaml" in note[0] and "外部.yaml" in note[0] and "链接" in note[0]


# 24. a FIFO named *.yaml never hangs a command ----------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFO 仅在类 Unix 系统上存在")
@pytest.mark.parametrize("command", [("lint",), ("summary",), ("fmt", "--check"), ("export", "-o", "e"),
                                     ("diff", "2024", "2024"), ("render", "-o", "o")])
def test_a_fifo_in_data_is_reported_not_read(run, workdir, command):
    os.mkfifo(workdir / WOMEN / "管道.yaml")
    result = run(*command)  # a read of the FIFO would block here for ever
    assert result.exit_code in (0, 1), result.output
    assert "管道.yaml" in result.stderr and "不是普通文件" in result.stderr


def test_a_fifo_named_on_the_command_line_is_refused(run, workdir):
    if not hasattr(os, "mkfifo"):
        pytest.skip("FIFO 仅在类 Unix 系统上存在")
    os.mkfifo(workdir / WOMEN / "管道.yaml")
    result = run("lint", str(WOMEN / "管道.yaml"))
    assert result.exit_code == 2 and "不是普通文件" in result.output


# 7. fmt's closing count adds up --------------------------------------------------------------

def test_fmt_counts_only_the_files_it_wrote(run, workdir, monkeypatch):
    from perfgoals import fmt as formatting
    from perfgoals.problems import InputError
    folder = workdir / WOMEN
    tables = sorted(folder.glob("*.yaml"))
    for path in tables:  # every table needs formatting
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("年度: 2024\n", "", 1) + "年度: 2024\n", encoding="utf-8")  # 年度 last
    real = formatting.write_back
    failing = {tables[0].name, tables[1].name}

    def flaky(path, result, data):
        if path.name in failing:
            raise InputError(f"{path} 在读取之后被改动过，未写入")
        return real(path, result, data)
    monkeypatch.setattr(formatting, "write_back", flaky)
    result = run("fmt", "--no-cache", str(folder))
    written = [line for line in result.stdout.splitlines() if line.startswith("已格式化：")]
    assert len(written) == len(tables) - 2
    assert f"已格式化 {len(tables) - 2} 个，2 个无法处理" in result.stderr


# 8. fmt never changes a character of a value -------------------------------------------------

SPELLINGS = ["TRUE", "True", "false", "FALSE", "yes", "No", "on", "OFF", "0x7E8", "-0x1", "0o17", ".NaN", ".inf",
             "-.Inf", "+12", "1E3", "012", "2.70", "2024-01-01 10:00:00", "2024-1-1", "~"]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_fmt_keeps_the_text_of_every_scalar(spelling, tmp_path):
    from perfgoals import fmt as formatting, loader
    text = CLEAN.read_text(encoding="utf-8")
    first = text.index("年度指标值: ") + len("年度指标值: ")
    end = text.index("}", first)
    mutated = text[:first] + spelling + text[end:]
    mutated = mutated.replace("主管部门: ", f"主管部门: {spelling} # 原来是 ", 1)
    result = formatting.format_text(mutated, "x.yaml")
    assert result.problem is None, result.problem
    assert loader.texts(result.new) == loader.texts(mutated)
    if spelling != "~":
        assert f"年度指标值: {spelling}" in result.new and f"主管部门: {spelling}" in result.new


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SPELLINGS), st.sampled_from(["年度指标值", "三级指标"]), st.booleans())
def test_fmt_keeps_scalar_text_in_any_row_and_layout(spelling, key, block):
    from perfgoals import fmt as formatting, loader
    text = CLEAN.read_text(encoding="utf-8")
    row = text[text.index("      - {三级指标:"):]
    row = row[: row.index("\n") + 1]
    name = "活动开展次数" if key == "年度指标值" else spelling
    value = spelling if key == "年度指标值" else "12次"
    new_row = (f"      - 三级指标: {name}\n        年度指标值: {value}\n" if block
               else f"      - {{三级指标: {name}, 年度指标值: {value}}}\n")
    mutated = text.replace(row, new_row, 1)
    result = formatting.format_text(mutated, "x.yaml")
    assert result.problem is None
    assert loader.texts(result.new) == loader.texts(mutated)


# 9. a comment inside a flow row spread over lines --------------------------------------------

@pytest.mark.parametrize("kind", ["target", "selfeval"])
def test_fmt_keeps_a_comment_inside_a_flow_row_over_lines(kind, tmp_path):
    from perfgoals import fmt as formatting
    from .conftest import EXAMPLES
    source = CLEAN if kind == "target" else EXAMPLES / "selfeval" / "社区助老服务补贴.自评.yaml"
    text = source.read_text(encoding="utf-8")
    start = text.index("      - {三级指标:")
    comma = text.index(", ", start)
    mutated = text[:comma] + ",  # 见批文\n         " + text[comma + 2:]
    name = source.name
    result = formatting.format_text(mutated, name)
    assert result.problem is None
    assert "# 见批文" in result.new
    line = next(s for s in result.new.splitlines() if "见批文" in s)
    assert line.startswith("      - {三级指标:") and line.rstrip().endswith("# 见批文")
    again = formatting.format_text(result.new, name)
    assert again.new == result.new


# 10. units.yaml keeps what a person wrote ------------------------------------------------------

def test_new_unit_keeps_the_comments_of_units_yaml(run, workdir):
    path = workdir / "data" / "units.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("妇联:\n", "妇联:  # 妇女联合会，2023 年改名\n", 1) + "# 最后一行：新单位由财政所登记\n"
    path.write_text(text, encoding="utf-8")
    assert run("new", "社区议事", "--year", "2025", "--unit", "社区治理办", "--new-unit").exit_code == 0
    after = path.read_text(encoding="utf-8")
    assert "妇联:  # 妇女联合会，2023 年改名" in after and "# 最后一行：新单位由财政所登记" in after
    assert "社区治理办:\n  - 社区治理办" in after
    assert after.index("武装部:") < after.index("社区治理办:") < after.index("纪委:")  # sorted place


# 12. an output never lands on a project file ----------------------------------------------------

@pytest.mark.parametrize("command", [("lint", "-o"), ("summary", "-o"), ("export", "-o")])
def test_an_output_over_a_project_file_is_refused(run, workdir, command):
    target = workdir / WOMEN / "妇女儿童维权.yaml"
    before = target.read_bytes()
    result = run(*command, str(target.relative_to(workdir)))
    assert result.exit_code == 2 and "数据目录" in result.output
    assert target.read_bytes() == before
    assert not (workdir / WOMEN / "新.yaml").exists()
    assert run(*command, str(WOMEN / "新.yaml")).exit_code == 2 and not (workdir / WOMEN / "新.yaml").exists()


# 13. units.yaml cannot explode ------------------------------------------------------------------

def test_units_yaml_with_aliases_is_refused_at_once(run, workdir):
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9))
    (workdir / "data" / "units.yaml").write_text(laughs, encoding="utf-8")
    for args in (("summary", "--unit", "妇联"), ("lint", "--unit", "妇联"), ("new", "x", "--year", "2025", "--unit", "妇联")):
        result = run(*args)
        assert result.exit_code == 2 and "units.yaml" in result.output and "别名" in result.output, args


def test_a_full_name_under_two_folders_is_said(run, workdir):
    path = workdir / "data" / "units.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "妇联二:\n  - 共青团浦江镇委员会\n", encoding="utf-8")
    result = run("summary", "--unit", "共青团浦江镇委员会")
    assert result.exit_code == 2 and "团委" in result.output and "妇联二" in result.output


# 14. a unit folder that is a link never leads a write out of data/ ------------------------------

def test_new_and_import_never_write_through_a_link_out_of_data(run, workdir, tmp_path):
    outside = tmp_path / "别处"
    outside.mkdir()
    (workdir / "data" / "2025").mkdir()
    (workdir / "data" / "2025" / "妇联").symlink_to(outside, target_is_directory=True)
    result = run("new", "新项目", "--year", "2025", "--unit", "妇联")
    assert result.exit_code == 2 and "数据目录以外" in result.output
    assert list(outside.iterdir()) == []


def test_a_named_link_out_of_data_is_not_read(run, workdir, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("项目名称: 密钥 sk-123456\n", encoding="utf-8")
    (workdir / WOMEN / "链接.yaml").symlink_to(secret)
    result = run("lint", str(WOMEN / "链接.yaml"))
    assert result.exit_code == 2 and "数据目录以外" in result.output and "sk-123456" not in result.output
    assert run("lint", str(secret)).exit_code in (0, 1)  # the file itself, named as it is, is read


# 11, 16, 17, 18. numbers no table can hold: a clear problem, never exit 3, never a huge line -----

@pytest.mark.parametrize(("key", "value"), [
    ("年度", "0x7E8"), ("项目资金总额", "1e999999999"), ("项目资金总额", "1e-999999999"), ("项目资金总额", ".nan"),
    ("项目资金总额", ".inf"), ("项目资金总额", "123456789012345678901234567890123.45"), ("项目资金总额", "1e400"),
])
@pytest.mark.parametrize("command", [("lint",), ("summary",), ("fmt", "--check"), ("export", "-o", "e.sqlite"),
                                     ("export", "-o", "e"), ("render", "-o", "o")])
def test_numbers_no_table_can_hold_never_crash_or_explode(run, workdir, key, value, command):
    path = workdir / WOMEN / "妇女儿童维权.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"{key}: ")
    end = text.index("\n", start)
    path.write_text(text[:start] + f"{key}: {value}" + text[end:], encoding="utf-8")
    result = run(*command)
    assert result.exit_code in (0, 1, 2), result.output
    assert "内部错误" not in result.output
    assert max(len(line) for line in result.output.splitlines() or [""]) < 2000  # no 10,000-digit line


def test_an_amount_beyond_reason_is_a_schema_problem_naming_it(run, workdir):
    path = workdir / WOMEN / "妇女儿童维权.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("项目资金总额: 2.70", "项目资金总额: 1e-999999999", 1), encoding="utf-8")
    body = _json(run, str(path.relative_to(workdir)))
    [problem] = [p for p in body["problems"] if p["rule"] == "schema"]
    assert "项目资金总额" in problem["message"] and "普通数字" in problem["message"]


def test_a_selfeval_number_beyond_reason_is_a_schema_problem(run, workdir):
    from .conftest import EXAMPLES
    path = workdir / WOMEN / "社区助老服务补贴.自评.yaml"
    text = (EXAMPLES / "selfeval" / path.name).read_text(encoding="utf-8")
    path.write_text(text.replace("总分: 93.82", "总分: 1e999999999"), encoding="utf-8")
    for command in (("lint",), ("score", "--unit", "妇联")):
        result = run(*command)
        assert result.exit_code in (1, 2) and "内部错误" not in result.output, command
    assert any(p["rule"] == "schema" and "总分" in p["message"] for p in _json(run)["problems"])


@pytest.mark.parametrize("cell", ["1e9999", "NaN", "Infinity", "1e-99"])
def test_import_keeps_an_impossible_amount_out_and_says_so(run, workdir, tmp_path, cell):
    from .conftest import SOURCE
    text = SOURCE.read_text(encoding="utf-8")
    start = text.index("项目资金总额")
    head, rest = text[:start], text[start:]
    number = rest.split("\t")[1]
    source = tmp_path / "源.txt"
    source.write_text(head + rest.replace(number, cell, 1), encoding="utf-8")
    result = run("import", str(source), "--data", str(tmp_path / "d"))
    assert result.exit_code == 1 and cell in result.output and "警告" in result.output
    biggest = max(p.stat().st_size for p in (tmp_path / "d").rglob("*.yaml"))
    assert biggest < 20_000


# 15. a PDF decompression bomb ------------------------------------------------------------------

def test_a_pdf_decompression_bomb_is_refused_quickly(run, tmp_path):
    import zlib
    packed = zlib.compress(b"\0" * (100 * 1024 * 1024), 9)  # 100 MB of zeros in about 100 KB
    bomb = tmp_path / "炸弹.pdf"
    bomb.write_bytes(b"%PDF-1.4\n1 0 obj<</Filter/FlateDecode>>stream\n" + packed + b"\nendstream\nendobj\n%%EOF\n")
    result = run("import", str(bomb), "--data", str(tmp_path / "d"))
    assert result.exit_code == 2 and "压缩" in result.output


# 19. configuration numbers ---------------------------------------------------------------------

@pytest.mark.parametrize("number", [".nan", ".inf", "0x10", "1e999999999", "-1e999999999"])
def test_config_option_that_is_no_number_is_exit_2(run, workdir, number):
    (workdir / ".perfgoals.yaml").write_text(f"rules:\n  cost-missing: {{level: warning, error-above: {number}}}\n",
                                             encoding="utf-8")
    result = run("lint")
    assert result.exit_code == 2 and ".perfgoals.yaml:2" in result.output and "内部错误" not in result.output


def test_score_section_number_that_is_no_number_is_exit_2(run, workdir):
    (workdir / ".perfgoals.yaml").write_text("score:\n  反向指标归零倍数: .nan\n", encoding="utf-8")
    result = run("lint")
    assert result.exit_code == 2 and "反向指标归零倍数" in result.output
    (workdir / ".perfgoals.yaml").write_text("score:\n  部分达成用词: 基本\n", encoding="utf-8")
    result = run("lint")
    assert result.exit_code == 2 and "用词" in result.output and "路径模式" not in result.output


# 20. nesting -----------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [("lint",), ("fmt",), ("summary",)])
def test_deep_nesting_is_refused_by_every_command(run, workdir, command):
    path = workdir / WOMEN / "妇女儿童维权.yaml"
    path.write_text("项目名称: " + "[" * 390 + "]" * 390 + "\n", encoding="utf-8")
    result = run(*command)
    assert result.exit_code in (1, 2) and "内部错误" not in result.output
    if command == ("lint",):
        assert "嵌套" in result.output


# 21. a malformed 自评 workbook ------------------------------------------------------------------

@pytest.mark.parametrize("damage", ["no-header", "goal-last"])
def test_a_malformed_selfeval_workbook_is_an_import_problem(run, workdir, tmp_path, damage):
    from .conftest import EXAMPLES
    shutil.copy(EXAMPLES / "selfeval" / "社区助老服务补贴.自评.yaml", workdir / WOMEN)
    assert run("render", "--自评", "--format", "xlsx", "--unit", "妇联", "-o", str(tmp_path / "o")).exit_code == 0
    [book] = list((tmp_path / "o").rglob("*.xlsx"))
    import openpyxl
    wb = openpyxl.load_workbook(book)
    ws = next(s for s in wb.worksheets if any("自评表" in str(c.value or "") for c in s[1]))
    rows = [r for r in ws.iter_rows() if any(c.value for c in r)]
    for row in rows:
        texts = [str(c.value or "") for c in row]
        if damage == "no-header" and "三级指标" in texts:
            for c in row:
                c.value = None
        if damage == "goal-last" and any("年度总体目标" in t for t in texts):
            cut = row[0].row
            ws.delete_rows(cut + 1, ws.max_row)
            break
    wb.save(book)
    result = run("import", str(book), "--data", str(tmp_path / "d"))
    assert result.exit_code in (1, 2) and "内部错误" not in result.output


# 22. a file name with a newline in git ---------------------------------------------------------

def test_a_committed_file_name_with_a_newline_is_read(run, workdir):
    import subprocess
    from .conftest import require_program
    require_program("git")

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=workdir, check=True,
                       capture_output=True)
    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "a")
    shutil.copy(CLEAN, workdir / WOMEN / "两行\n名字.yaml")
    git("add", "-A")
    git("commit", "-qm", "b")
    for command in (("review", "--rev", "HEAD~1"), ("diff", "--rev", "HEAD~1..HEAD")):
        result = run(*command)
        assert result.exit_code in (0, 1) and "内部错误" not in result.output, (command, result.output)


# 23. a baseline nested thousands deep ----------------------------------------------------------

def test_a_deeply_nested_baseline_is_exit_2(run, workdir):
    (workdir / ".perfgoals-baseline.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = run("lint")
    assert result.exit_code == 2 and "基线" in result.output and "内部错误" not in result.output


# 25. long names ---------------------------------------------------------------------------------

def test_long_names_fit_the_file_system(run, workdir, tmp_path):
    long_name = "浦江镇" + "老旧小区综合改造及配套设施提升" * 6  # 93 characters, 279 bytes
    assert run("new", long_name, "--year", "2025", "--unit", "妇联").exit_code == 0
    [made] = list((workdir / "data" / "2025" / "妇联").glob("*.yaml"))
    assert len(made.name.encode("utf-8")) <= 255
    assert f"项目名称: {long_name}" in made.read_text(encoding="utf-8")  # the whole name inside
    eighty = workdir / WOMEN / ("项" * 81 + ".yaml")
    shutil.copy(CLEAN, eighty)
    text = eighty.read_text(encoding="utf-8")
    eighty.write_text(text.replace("年度: 2024\n", "", 1) + "年度: 2024\n", encoding="utf-8")
    result = run("fmt", str(eighty.relative_to(workdir)))
    assert result.exit_code == 0 and "已格式化" in result.output


# 26. small ones ---------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["-0x1", ".NaN", "2024-01-01 10:00:00"])
def test_fmt_of_odd_values_is_not_an_internal_problem(run, workdir, value):
    path = workdir / WOMEN / "妇女儿童维权.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.index("年度指标值: ") + len("年度指标值: ")
    path.write_text(text[:first] + value + text[text.index("}", first):], encoding="utf-8")
    result = run("fmt", "--check", str(path.relative_to(workdir)))
    assert "请报告此问题" not in result.output and result.exit_code == 0


def test_year_with_a_leading_zero_is_refused(run):
    result = run("summary", "--year", "02024")
    assert result.exit_code == 2 and "四位" in result.output
