"""`perfgoals lint` end to end: exit codes, formats, config, suppression, baseline, bad files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from perfgoals.lint.registry import RULES

from .conftest import CLEAN, DATA, EXAMPLES


def project_tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / "data" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_real_data_errors_exit_1_with_counts(run):
    result = run("lint")
    assert result.exit_code == 1
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("检查了 104 个文件，发现 ")
    assert "[funds-total-sum]" in result.output
    assert "data/2024/党建办/干部培养.yaml:11:11: 警告 金额 40.605 超过两位小数（按两位为 40.61）" in result.output


def test_clean_file_exits_0(run):
    result = run("lint", str(CLEAN))
    assert result.exit_code == 0 and "发现 0 个问题" in result.output


def test_strict_fails_on_warnings(run, tmp_path, clean_text):
    root = project_tree(tmp_path, {"2024/妇联/a.yaml": clean_text.replace("活动开展次数, 年度指标值: ≥12次", "活动开展次数, 年度指标值: 提升")})
    assert run("lint", cwd=root).exit_code == 0
    assert run("lint", "--strict", cwd=root).exit_code == 1


def test_malformed_file_is_one_finding_and_others_go_on(run, tmp_path, clean_text):
    root = project_tree(tmp_path, {
        "2024/妇联/a.yaml": clean_text,
        "2024/妇联/b.yaml": "项目名称: [坏\n",
        "2024/妇联/c.yaml": clean_text.replace("项目名称: 妇女儿童维权", "项目名称: 别的项目").replace("2.50", "2.40"),
    })
    result = run("lint", "--format", "json", cwd=root)
    body = json.loads(result.stdout)
    assert result.exit_code == 1 and body["files"] == 3
    rules: dict[str, set[str]] = {}
    for p in body["problems"]:
        rules.setdefault(p["path"], set()).add(p["rule"])
    assert rules["data/2024/妇联/b.yaml"] == {"syntax"}
    assert [p["line"] for p in body["problems"] if p["path"].endswith("b.yaml")] == [2]
    assert "annual-total-sum" in rules["data/2024/妇联/c.yaml"]


@pytest.mark.parametrize("fmt,needle", [
    ("github", "::error file=data/2024/党建办/人事系统.yaml,line=15,col=13,title=annual-total-sum::"),
    ("sarif", '"ruleId": "annual-total-sum"'),
    ("json", '"data_path": "年度资金.年度资金申请总额"'),
])
def test_output_formats(run, fmt, needle):
    result = run("lint", "--format", fmt, "--year", "2024", "--unit", "党建办")
    assert result.exit_code == 1 and needle in result.output


def test_github_format_is_picked_inside_actions(run):
    result = run("lint", "--unit", "党建办", env={"GITHUB_ACTIONS": "true"})
    assert result.output.startswith("::")


def test_sarif_is_valid_json_with_all_results(run):
    body = json.loads(run("lint", "--format", "sarif").stdout)
    plain = json.loads(run("lint", "--format", "json").stdout)
    assert len(body["runs"][0]["results"]) == len(plain["problems"])


def test_select_and_ignore(run):
    only = json.loads(run("lint", "--format", "json", "--select", "funds-total-sum").stdout)
    assert {p["rule"] for p in only["problems"]} == {"funds-total-sum"}
    without = json.loads(run("lint", "--format", "json", "--ignore", "vague-qualitative").stdout)
    assert "vague-qualitative" not in {p["rule"] for p in without["problems"]}
    bad = run("lint", "--select", "no-such-rule")
    assert bad.exit_code == 2 and "未知的规则“no-such-rule”" in bad.output


def test_config_file_changes_levels_and_paths(run, tmp_path, clean_text):
    broken = clean_text.replace("2.50", "2.40")
    root = project_tree(tmp_path, {"2024/妇联/a.yaml": broken, "2023/妇联/a.yaml": broken.replace("2024", "2023")})
    (root / ".perfgoals.yaml").write_text(
        "rules:\n  annual-total-sum: warning\nignore:\n  - data/2023/**\n", encoding="utf-8")
    result = run("lint", cwd=root)
    assert result.exit_code == 0 and "警告 年度资金申请总额应为" in result.output and "检查了 1 个文件" in result.output
    (root / ".perfgoals.yaml").write_text(
        "per-path:\n  - paths: [data/2024/妇联/*]\n    rules:\n      annual-total-sum: off\n", encoding="utf-8")
    result = run("lint", cwd=root)
    assert "data/2024/" not in result.output and "data/2023/妇联/a.yaml" in result.output


@pytest.mark.parametrize("config,needle", [
    ("rules:\n  no-such: off\n", "未知的规则“no-such”"),
    ("rules:\n  goal-vague: loud\n", "级别“loud”无效"),
    ("colour: red\n", "未知的配置项“colour”"),
    ("rules: [\n", "配置文件无法解析"),
    ("ignore: data/2019/**\n", ":1: ignore 应为列表"),  # a string: its characters are not patterns
    ("ignore: 5\n", ":1: ignore 应为列表"),
    ("per-path: 5\n", ":1: per-path 应为列表"),
    ("per-path:\n  - paths: 5\n", ":2: paths 应为列表"),
    ("per-path:\n  - paths: [null]\n", ":2: paths 的每一项应为路径模式文字"),
    ("per-path:\n  - paths: [[a]]\n", ":2: paths 的每一项应为路径模式文字"),
    ("per-path:\n  - paths: [a]\n    rulez: {}\n", ":3: per-path 中未知的项“rulez”"),
    ("rules:\n  goal-vauge: off\n", ":2: 未知的规则“goal-vauge”，是否应为“goal-vague”？"),
    ("extends: no-such.yaml\n", ":1: extends 指向的配置文件无法读取"),
])
def test_bad_config_is_a_clear_error(run, tmp_path, clean_text, config, needle):
    root = project_tree(tmp_path, {"2024/妇联/a.yaml": clean_text})
    (root / ".perfgoals.yaml").write_text(config, encoding="utf-8")
    result = run("lint", cwd=root)
    assert result.exit_code == 2 and needle in result.output


def test_ignore_as_a_string_no_longer_skips_everything(run, tmp_path, clean_text):
    root = project_tree(tmp_path, {"2024/妇联/a.yaml": clean_text})
    (root / ".perfgoals.yaml").write_text("ignore: data/2019/**\n", encoding="utf-8")
    result = run("lint", cwd=root)
    assert result.exit_code == 2 and "检查了 0 个文件" not in result.output


def test_extends_builds_on_another_file_or_the_preset(run, tmp_path, clean_text):
    root = project_tree(tmp_path, {"2024/妇联/a.yaml": clean_text.replace("年度指标值: ≥12次", "年度指标值: 提升")})
    (root / "district.yaml").write_text("rules:\n  vague-qualitative: error\n", encoding="utf-8")
    (root / ".perfgoals.yaml").write_text("extends: district.yaml\nrules:\n  goal-vague: off\n", encoding="utf-8")
    body = json.loads(run("lint", "--format", "json", cwd=root).stdout)
    assert [p["level"] for p in body["problems"] if p["rule"] == "vague-qualitative"] == ["error"]
    (root / ".perfgoals.yaml").write_text("extends: default\n", encoding="utf-8")
    body = json.loads(run("lint", "--format", "json", cwd=root).stdout)
    assert [p["level"] for p in body["problems"] if p["rule"] == "vague-qualitative"] == ["warning"]
    (root / "district.yaml").write_text("extends: .perfgoals.yaml\n", encoding="utf-8")
    (root / ".perfgoals.yaml").write_text("extends: district.yaml\n", encoding="utf-8")
    loop = run("lint", cwd=root)
    assert loop.exit_code == 2 and "循环" in loop.output


def test_inline_suppression(run, tmp_path, clean_text):
    text = clean_text.replace("年度资金申请总额: 2.70", "年度资金申请总额: 2.80  # perfgoals: disable=annual-total-sum,annual-vs-total 原表如此")
    root = project_tree(tmp_path, {"2024/妇联/a.yaml": text})
    result = run("lint", cwd=root)
    assert result.exit_code == 0 and "行内注释忽略 2 个" in result.output


def test_baseline_hides_known_findings_only(run, tmp_path):
    shutil.copytree(DATA / "2024" / "党建办", tmp_path / "data" / "2024" / "党建办")
    assert run("lint", cwd=tmp_path).exit_code == 1
    written = run("lint", "--write-baseline", cwd=tmp_path)
    assert written.exit_code == 0 and (tmp_path / ".perfgoals-baseline.json").is_file()
    quiet = run("lint", cwd=tmp_path)
    assert quiet.exit_code == 0 and "发现 0 个问题" in quiet.output and "基线中已知的" in quiet.output
    target = tmp_path / "data" / "2024" / "党建办" / "新入职招聘.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("当年财政拨款: 12.00", "当年财政拨款: 11.00"),
                      encoding="utf-8")
    fresh = run("lint", cwd=tmp_path)
    assert fresh.exit_code == 1 and fresh.output.count("[annual-total-sum]") == 1
    assert run("lint", "--no-baseline", cwd=tmp_path).output.count("错误") > 1


def test_no_data_directory(run, tmp_path):
    result = run("lint", cwd=tmp_path)
    assert result.exit_code == 2 and "找不到数据目录 data/" in result.output


def test_directory_without_projects(run, tmp_path):
    (tmp_path / "data" / "2024").mkdir(parents=True)
    result = run("lint", cwd=tmp_path)
    assert result.exit_code == 2 and "没有项目文件" in result.output


def test_unknown_unit_lists_close_matches(run):
    result = run("lint", "--unit", "妇女联合会")
    assert result.exit_code == 2 and "相近的单位" in result.output and "妇联" in result.output


def test_rules_command_lists_and_explains(run):
    listing = run("rules").output
    for rid in RULES:
        assert rid in listing
    doc = run("rules", "funds-total-sum").output
    assert "依据" in doc and "通过" in doc and "不通过" in doc
    assert run("rules", "funds-total").exit_code == 2


def test_every_rule_doc_has_basis_and_examples():
    for rid, r in RULES.items():
        assert "依据" in r.doc and "通过：" in r.doc and "不通过：" in r.doc, rid


@pytest.mark.parametrize("path", sorted((EXAMPLES / "invalid").glob("*/*.yaml")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_invalid_examples(run, path):
    """Each file under examples/invalid/<rule-id>/ must produce at least one finding of that rule,
    unless its first line says it is the sibling a corpus rule compares it with."""
    if "一起检查" in path.read_text(encoding="utf-8").splitlines()[0]:
        body = json.loads(run("lint", "--format", "json", str(path.parent)).stdout)
        assert path.parent.name in {p["rule"] for p in body["problems"]}
        return
    together = [str(p) for p in path.parent.glob("*.yaml") if p != path]
    body = json.loads(run("lint", "--format", "json", str(path), *together).stdout)
    assert path.parent.name in {p["rule"] for p in body["problems"] if p["path"].endswith(path.name)}


@pytest.mark.parametrize("path", sorted((EXAMPLES / "valid").glob("*.yaml")), ids=lambda p: p.name)
def test_valid_examples(run, path):
    body = json.loads(run("lint", "--format", "json", str(path)).stdout)
    assert body["problems"] == []


def test_lint_does_not_import_rendering_libraries():
    import subprocess
    import sys
    code = ("import sys; from perfgoals.cli import main\n"
            "sys.argv = ['perfgoals', 'lint', '--no-cache']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('LOADED', sorted(m for m in ('jinja2', 'xlsxwriter', 'openpyxl', 'ruamel.yaml', 'tabulate') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=DATA.parent).stdout
    assert "LOADED []" in out


def test_cache_gives_the_same_answer_and_lives_outside_the_repository(run, tmp_path, monkeypatch):
    cache_root = tmp_path / "user-cache"
    monkeypatch.setenv("PERFGOALS_CACHE_DIR", str(cache_root))
    shutil.copytree(DATA / "2024" / "妇联", tmp_path / "repo" / "data" / "2024" / "妇联")
    repo = tmp_path / "repo"
    cold = run("lint", "--format", "json", cwd=repo).stdout
    [cache] = list(cache_root.glob("*/lint.sqlite"))
    assert not (repo / ".perfgoals-cache").exists()  # nothing in the work tree a pull request could plant
    warm = run("lint", "--format", "json", cwd=repo).stdout
    assert warm == cold
    target = repo / "data" / "2024" / "妇联" / "妇科重症.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("当年财政拨款: 83.99", "当年财政拨款: 80.00"),
                      encoding="utf-8")
    changed = json.loads(run("lint", "--format", "json", cwd=repo).stdout)
    assert any(p["rule"] == "annual-total-sum" and p["path"].endswith("妇科重症.yaml") for p in changed["problems"])
    # a cache planted in the repository's old place is never read
    import sqlite3
    planted = repo / ".perfgoals-cache" / "lint.sqlite"
    planted.parent.mkdir()
    shutil.copy(cache, planted)
    db = sqlite3.connect(planted)
    for key, record in db.execute("SELECT key, record FROM records").fetchall():
        emptied = {**json.loads(record), "p": []}
        db.execute("UPDATE records SET record = ? WHERE key = ?", (json.dumps(emptied), key))
    db.commit()
    db.close()
    assert json.loads(run("lint", "--format", "json", cwd=repo).stdout)["problems"] == changed["problems"]
    in_ci = json.loads(run("lint", "--format", "json", cwd=repo, env={"CI": "true"}).stdout)
    assert in_ci["problems"] == changed["problems"]


def test_cache_key_follows_per_path_configuration(run, tmp_path, monkeypatch, clean_text):
    """Identical files in a folder where a rule is off and one where it is on: the cache keeps them apart."""
    monkeypatch.setenv("PERFGOALS_CACHE_DIR", str(tmp_path / "cache"))
    repo = tmp_path / "repo"
    text = clean_text.replace("年度指标值: ≥12次", "年度指标值: 提升")  # a vague-qualitative finding
    for unit in ("甲", "乙"):
        (repo / "data" / "2024" / unit).mkdir(parents=True)
        (repo / "data" / "2024" / unit / "表.yaml").write_text(text.replace("实施单位: 妇联", f"实施单位: {unit}"),
                                                              encoding="utf-8")
    (repo / ".perfgoals.yaml").write_text("per-path:\n  - paths: [data/2024/甲/*]\n    rules:\n"
                                          "      vague-qualitative: off\n", encoding="utf-8")

    def vague() -> list[str]:
        body = json.loads(run("lint", "--format", "json", cwd=repo).stdout)
        return sorted(p["path"] for p in body["problems"] if p["rule"] == "vague-qualitative")
    fresh = vague()
    assert fresh == ["data/2024/乙/表.yaml"]
    assert vague() == fresh  # warm: the same
    (repo / "data" / "2024" / "甲" / "表.yaml").rename(repo / "data" / "2024" / "乙" / "表2.yaml")  # moved into 乙
    assert vague() == ["data/2024/乙/表.yaml", "data/2024/乙/表2.yaml"]


def test_symlinked_cache_folder_is_not_used(run, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "link").symlink_to(elsewhere, target_is_directory=True)
    monkeypatch.setenv("PERFGOALS_CACHE_DIR", str(tmp_path / "link"))
    shutil.copytree(DATA / "2024" / "妇联", tmp_path / "repo" / "data" / "2024" / "妇联")
    assert "检查了 5 个文件" in run("lint", cwd=tmp_path / "repo").output
    assert run("fmt", "--check", cwd=tmp_path / "repo").exit_code == 0
    assert list(elsewhere.iterdir()) == []  # nothing written where the link points


def test_process_pool_gives_the_same_answer(tmp_path, monkeypatch):
    from perfgoals import lint as linting
    from perfgoals.lint.config import default
    from perfgoals.workspace import project_files
    files = project_files([DATA / "2024"], DATA, 2024)
    single = linting.lint_files(files, default(), None, jobs=1)
    monkeypatch.setattr(linting, "POOL_THRESHOLD", 10)
    pooled = linting.lint_files(files, default(), None, jobs=2)
    assert pooled.problems == single.problems and pooled.files == single.files == 104
