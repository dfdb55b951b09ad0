"""Nothing silently wrong: every numbered case of the reliability review, on real files."""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest

from perfgoals import atomic

from .conftest import CLEAN, DATA, edit

WOMEN = Path("data/2024/妇联/妇女儿童维权.yaml")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "data" / "2024" / "妇联").mkdir(parents=True)
    shutil.copy(CLEAN, root / WOMEN)
    shutil.copy(DATA / "units.yaml", root / "data" / "units.yaml")
    return root


# 4. --write-baseline with a subset keeps the rest
def test_baseline_written_from_a_subset_keeps_other_entries(run, workdir):
    assert run("lint", "--write-baseline").exit_code == 0
    full = json.loads((workdir / ".perfgoals-baseline.json").read_text(encoding="utf-8"))["findings"]
    assert any("|same-indicator-set|" in k and "主题教育保障经费" in k for k in full)
    for args in (("--unit", "妇联"), ("--select", "funds-total-sum"), ("--year", "2024", "--unit", "团委"),
                 ("data/2024/党建办",), ("data/2024/党建办/主题教育保障经费.yaml",)):  # one of a pair (issue 25, 5)
        assert run("lint", "--write-baseline", *args).exit_code == 0
        now = json.loads((workdir / ".perfgoals-baseline.json").read_text(encoding="utf-8"))["findings"]
        assert now == full, args
    assert run("lint").exit_code == 0  # every accepted finding is still accepted


# 5/10. fmt never changes a value's text
def test_fmt_keeps_signed_numbers_and_impossible_dates(run, repo):
    edit(repo / WOMEN, "年度指标值: ≥12次", "年度指标值: +12")
    edit(repo / WOMEN, "计划完成日期: 2024-12-31", "计划完成日期: 2024-02-30")
    before = (repo / WOMEN).read_text(encoding="utf-8")
    result = run("fmt", cwd=repo)
    assert result.exit_code == 0, result.output
    assert (repo / WOMEN).read_text(encoding="utf-8") == before  # already canonical: nothing to change


# 11. real calendar dates
@pytest.mark.parametrize("date", ["2024-02-30", "2024-13-01", "2023-02-29"])
def test_impossible_dates_are_errors(run, repo, date):
    edit(repo / WOMEN, "计划完成日期: 2024-12-31", f"计划完成日期: {date}")
    body = json.loads(run("lint", "--format", "json", cwd=repo).stdout)
    assert any(p["rule"] == "date-format" and date in p["message"] for p in body["problems"])
    assert run("fmt", "--check", cwd=repo).exit_code in (0, 1)


# 6. fmt does not overwrite a change made after it read the file
def test_fmt_refuses_a_file_changed_since_it_was_read(run, repo, monkeypatch):
    from perfgoals import fmt
    edit(repo / WOMEN, "项目名称: 妇女儿童维权", "项目名称:   妇女儿童维权")  # needs formatting
    original = fmt.format_file

    def and_someone_edits(path, shown, want_diff=False):
        result = original(path, shown, want_diff)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write("# 另一个编辑器刚加的一行\n")
        return result
    monkeypatch.setattr(fmt, "format_file", and_someone_edits)
    result = run("fmt", "--no-cache", cwd=repo)
    assert result.exit_code == 2 and "在读取之后被改动过" in result.output
    assert (repo / WOMEN).read_text(encoding="utf-8").endswith("# 另一个编辑器刚加的一行\n")


# 7. links, mode bits
def test_fmt_writes_through_links_and_keeps_mode(run, repo, tmp_path):
    real = repo / "data" / "2024" / "妇联" / "真实.yaml"
    text = CLEAN.read_text(encoding="utf-8").replace("项目名称: 妇女儿童维权", "项目名称:   另一个项目")
    real.write_text(text, encoding="utf-8")
    os.chmod(real, 0o640)
    link = repo / "data" / "2024" / "妇联" / "链接.yaml"
    link.symlink_to(real.name)
    hard = repo / "data" / "2024" / "妇联" / "硬链接.yaml"
    os.link(real, hard)
    result = run("fmt", "--no-cache", cwd=repo)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == real.name
    assert os.stat(real).st_ino == os.stat(hard).st_ino  # still one file with two names
    assert "项目名称: 另一个项目" in real.read_text(encoding="utf-8")
    assert oct(os.stat(real).st_mode & 0o777) == oct(0o640)
    outside = tmp_path / "外部.yaml"
    outside.write_text(text, encoding="utf-8")
    (repo / "data" / "2024" / "妇联" / "外链.yaml").symlink_to(outside)
    assert run("fmt", "--no-cache", cwd=repo).exit_code == 0
    assert outside.read_text(encoding="utf-8") == text  # a link out of data/ is never followed


# 12. OS errors are exit 2 with the path, in Chinese
def test_output_where_a_folder_cannot_be(run, workdir):
    (workdir / "文件").write_text("x", encoding="utf-8")
    result = run("summary", "-o", "文件/汇总.csv")
    assert result.exit_code == 2 and "文件" in result.output and "需要一个文件夹" in result.output


def test_units_yaml_that_is_a_folder(run, repo):
    (repo / "data" / "units.yaml").unlink()
    (repo / "data" / "units.yaml").mkdir()
    result = run("new", "x", "--year", "2025", "--unit", "妇联", cwd=repo)
    assert result.exit_code == 2 and "units.yaml 应为文件" in result.output


def test_full_disk_during_import_writes_nothing(run, tmp_path, monkeypatch):
    from .conftest import SOURCE
    real_fsync = os.fsync
    calls = {"n": 0}

    def full(fd):
        calls["n"] += 1
        if calls["n"] == 9:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)
    monkeypatch.setattr(os, "fsync", full)
    result = run("import", str(SOURCE), "--data", str(tmp_path / "d"))
    assert result.exit_code == 2 and "未导入任何文件" in result.output
    left = [p for p in (tmp_path / "d").rglob("*") if p.is_file()]
    assert left == []  # no file, no temporary file, no units.yaml


def test_write_atomic_keeps_the_old_file_when_the_rename_fails(tmp_path, monkeypatch):
    target = tmp_path / "a.yaml"
    target.write_text("旧", encoding="utf-8")

    def fail(*_a):
        raise OSError(errno.EROFS, "Read-only file system", str(target))
    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        atomic.write_atomic(target, "新")
    assert target.read_text(encoding="utf-8") == "旧" and list(tmp_path.iterdir()) == [target]


# 13. amounts beyond any budget
@pytest.mark.parametrize("amount", ["1e30", "145000000", "1e400"])
def test_huge_amounts_are_errors_and_every_output_handles_them(run, repo, amount):
    for key in ("项目资金总额", "财政资金"):
        edit(repo / WOMEN, f"  {key}: 2.70", f"  {key}: {amount}")
    body = json.loads(run("lint", "--format", "json", cwd=repo).stdout)
    assert any(p["rule"] == "amount-implausible" for p in body["problems"])
    for args in (("summary",), ("summary", "-o", "s.xlsx"), ("summary", "-o", "s.csv"), ("render", "--out", "o"),
                 ("render", "--format", "xlsx", "--out", "o")):
        result = run(*args, cwd=repo)
        assert result.exit_code == 0, (args, result.output)


# 14. a malformed baseline count
def test_baseline_with_an_absurd_count_is_exit_2(run, repo):
    (repo / ".perfgoals-baseline.json").write_text('{"findings": {"a|b|c|d": 1e400}}', encoding="utf-8")
    result = run("lint", cwd=repo)
    assert result.exit_code == 2 and "基线文件" in result.output


# 15. escaping in outputs
def test_sarif_uris_are_encoded_and_text_lines_cannot_be_forged(run, repo):
    odd = repo / "data" / "2024" / "妇联" / "#1号 100%.yaml"
    text = CLEAN.read_text(encoding="utf-8").replace("项目名称: 妇女儿童维权", '项目名称: "甲\\n::warning::假的注释"')
    odd.write_text(text.replace("年度指标值: ≥12次", "年度指标值: 提升"), encoding="utf-8")
    sarif = json.loads(run("lint", "--format", "sarif", cwd=repo).stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert "data/2024/%E5%A6%87%E8%81%94/%231%E5%8F%B7%20100%25.yaml" in uris
    for fmt in ("text", "github"):
        out = run("lint", "--format", fmt, cwd=repo).stdout
        assert not any(line.startswith("::warning::假的") for line in out.splitlines()), fmt


def test_unknown_rule_in_a_disable_comment_is_reported(run, repo):
    edit(repo / WOMEN, "  项目资金总额: 2.70", "  项目资金总额: 2.70  # perfgoals: disable=funds-total-summ 原表如此")
    body = json.loads(run("lint", "--format", "json", cwd=repo).stdout)
    [problem] = [p for p in body["problems"] if p["rule"] == "unknown-rule"]
    assert problem["line"] == 11 and "funds-total-sum" in problem["message"] and problem["level"] == "warning"


# 8. Excel and text import that never drop data silently
def _book(run, tmp_path) -> Path:
    assert run("render", "--format", "xlsx", "--unit", "妇联", "--out", str(tmp_path / "o")).exit_code == 0
    return tmp_path / "o" / "2024" / "妇联.xlsx"


def test_formula_without_cached_value_is_named_and_fails(run, tmp_path):
    import openpyxl
    book = _book(run, tmp_path)
    wb = openpyxl.load_workbook(book)
    ws = wb["妇女儿童维权"]
    target = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, float))
    target.value = "=1+1.7"  # openpyxl saves formulas without a cached value, as some tools do
    wb.save(book)
    result = run("import", str(book), "--data", str(tmp_path / "d"))
    assert result.exit_code == 1 and f"妇女儿童维权!{target.coordinate}" in result.output
    assert not (tmp_path / "d" / "2024" / "妇联" / "妇女儿童维权.yaml").exists()


def test_a_form_sheet_with_another_title_is_reported(run, tmp_path):
    import openpyxl
    book = _book(run, tmp_path)
    wb = openpyxl.load_workbook(book)
    ws = wb["妇科重症"]
    ws["A1"].value = "财政项目支出绩效目标（草稿）"
    wb.save(book)
    result = run("import", str(book), "--data", str(tmp_path / "d"))
    assert result.exit_code == 1 and "工作表“妇科重症”像是绩效目标表" in result.output
    assert "汇总" not in result.output  # the list sheet is not a form and is not reported as one


def test_oversized_workbook_is_refused_quickly(run, tmp_path):
    import zipfile
    book = tmp_path / "大.xlsx"
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", "0" * (250 * 1024 * 1024))  # 250 MB unpacked, tiny packed
    result = run("import", str(book), "--data", str(tmp_path / "d"))
    assert result.exit_code == 2 and "解压后过大" in result.output


def test_text_source_cut_off_mid_table_is_an_error(run, tmp_path):
    from .conftest import SOURCE
    text = SOURCE.read_text(encoding="utf-8")
    cut = text[: text.index("满意度", text.index("财政项目支出绩效目标表", 2000)) - 5]
    source = tmp_path / "截断.txt"
    source.write_text(cut, encoding="utf-8")
    result = run("import", str(source), "--year", "2024", "--data", str(tmp_path / "d"))
    assert result.exit_code == 1 and "中间结束" in result.output and "未导入" in result.output


# 5. fmt keeps a comment with the key it was written above
def test_fmt_keeps_own_line_comments_with_the_key_that_follows(run, repo):
    text = (repo / WOMEN).read_text(encoding="utf-8")
    text = text.replace("项目类别: 经常性项目\n主管部门: 浦江镇人民政府\n",
                        "# perfgoals: disable=department-name 原表如此\n主管部门: 妇联\n项目类别: 经常性项目\n")
    (repo / WOMEN).write_text(text, encoding="utf-8")
    before = json.loads(run("lint", "--format", "json", cwd=repo).stdout)["problems"]
    assert run("fmt", cwd=repo).exit_code == 0
    after_text = (repo / WOMEN).read_text(encoding="utf-8")
    assert "# perfgoals: disable=department-name 原表如此\n主管部门: 妇联\n" in after_text
    assert after_text.index("项目类别") < after_text.index("主管部门")  # the keys were reordered
    after = json.loads(run("lint", "--format", "json", cwd=repo).stdout)["problems"]
    assert [(p["rule"], p["message"]) for p in after] == [(p["rule"], p["message"]) for p in before]
