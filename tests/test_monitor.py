"""The mid-year 监控表: stored beside its target table, computed (序时进度, 执行率, 进度比, 预警),
checked by the monitor-… rules (each rule's 通过/不通过 examples run here), printed and read back.

The examples in tests/examples/monitor/ are made up (said in their first line): a target table
(the clean 妇女儿童维权), its 监控表 at 1-7月 that is on plan (green), and its 自评表 in which
every forecast held. Each example below edits copies of them.
"""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from perfgoals import forms, loader, monitor, yamlio
from perfgoals.lint import engine, lint_sources
from perfgoals.lint.config import default
from perfgoals.lint.registry import RULES
from perfgoals.monitor import compute

from .conftest import EXAMPLES, edit, require_weasyprint

HERE = EXAMPLES / "monitor"
MONITOR = HERE / "妇女儿童维权.监控.yaml"
TARGET = HERE / "妇女儿童维权.yaml"
EVALUATION = HERE / "妇女儿童维权.自评.yaml"
MONITOR_RULES = {rid: r for rid, r in RULES.items() if r.kind == "monitor"}


# -- the file ------------------------------------------------------------------------------------

def test_the_example_reads_and_writes_back_unchanged():
    text = MONITOR.read_text(encoding="utf-8")
    mon, problems = monitor.load_text(text, "x.监控.yaml")
    assert problems == [] and mon is not None
    assert forms.of(mon) is forms.MONITOR_2019 and mon.months == 7
    body = text.split("\n", 1)[1]  # the made-up-data comment aside
    assert monitor.text(mon) == body
    assert monitor.format_text(text) == text


@pytest.mark.parametrize("period, months", [("1-7月", 7), ("1-12月", 12), ("1—6月", 6), ("1至6月", 6),
                                            ("13月", None), ("1-13月", None), ("1-0月", None), ("7月", None),
                                            (None, None)])
def test_the_period_says_how_many_months(period, months):
    assert monitor.months_of(period) == months


@pytest.mark.parametrize("old, new, message", [
    ("执行数: 1.80, 全年预计执行数: 2.70}", "执行数: 一百, 全年预计执行数: 2.70}", "执行数”应为数字"),
    ("完成目标可能性: 确定能", "完成目标可能性: 大概能", "完成目标可能性”应为 确定能 / 有可能 / 完全不可能 之一"),
    ("偏差原因: []", "偏差原因: [天气]", "偏差原因”应取自 经费保障"),
    ("项目名称: 妇女儿童维权", "项目名称: [妇女, 儿童]", "项目名称”应为文字"),
])
def test_bad_input_is_named_with_file_line_and_column(run, tmp_path, old, new, message):
    folder = tmp_path / "data" / "2024" / "妇联"
    folder.mkdir(parents=True)
    shutil.copy(MONITOR, folder / MONITOR.name)
    edit(folder / MONITOR.name, old, new)
    line = next(i for i, text in enumerate((folder / MONITOR.name).read_text(encoding="utf-8").splitlines(), 1)
                if new in text)
    linted = run("lint", "--no-cache", cwd=tmp_path)
    assert linted.exit_code == 1 and re.search(rf"妇女儿童维权\.监控\.yaml:{line}:\d+: 错误 .*{re.escape(message)}",
                                                 linted.output), linted.output
    computed = run("monitor", cwd=tmp_path)
    assert computed.exit_code == 2 and f"妇女儿童维权.监控.yaml:{line}:" in computed.output
    assert "Traceback" not in computed.output + linted.output


def test_new_pre_fills_the_monitor_from_the_target_table(run, workdir):
    result = run("new", "妇女儿童维权", "--year", "2024", "--unit", "妇联", "--监控", "--period", "1-7月")
    assert result.exit_code == 0, result.output
    path = workdir / "data" / "2024" / "妇联" / "妇女儿童维权.监控.yaml"
    mon, problems = monitor.load_file(path)
    target, _ = loader.load_file(workdir / "data" / "2024" / "妇联" / "妇女儿童维权.yaml")
    assert problems == [] and mon is not None and target is not None
    assert mon.period == "1-7月" and mon.name == target.name
    total = mon.row_money("年度资金总额")
    assert total.initial == total.budget == target.annual.total and total.spent is None
    assert [(r.name, r.target) for _p, _g, _i, r in mon.rows()] == \
        [(r.name, r.value) for _p, _g, _i, r in target.rows() if not r.blank]
    again = run("new", "妇女儿童维权", "--year", "2024", "--unit", "妇联", "--监控")
    assert again.exit_code == 2 and "不会覆盖" in again.output
    assert run("new", "妇女儿童维权", "--year", "2024", "--unit", "妇联", "--监控", "--period", "13月").exit_code == 2
    assert run("new", "没有的项目", "--year", "2024", "--unit", "妇联", "--监控").exit_code == 2
    # the target tables are still 104 projects: a 监控表 is not another project
    assert "104 个项目" in run("summary").output


# -- computed ------------------------------------------------------------------------------------

def _with(spent: str | None, budget: str | None = "2.70", period: str = "1-7月", forecast: str | None = "2.70"):
    mon, _ = monitor.load_file(MONITOR)
    assert mon is not None
    row = mon.row_money("年度资金总额")
    money = dict(mon.money)
    money["年度资金总额"] = monitor.MoneyRow(row.initial, None if budget is None else Decimal(budget),
                                        None if spent is None else Decimal(spent),
                                        None if forecast is None else Decimal(forecast))
    from dataclasses import replace
    return replace(mon, money=money, period=period)


@pytest.mark.parametrize("spent, light", [("1.80", "绿"), ("1.26", "绿"), ("1.25", "黄"), ("0.95", "黄"),
                                          ("0.94", "红"), ("0", "红")])
def test_the_light_follows_the_progress_ratio(spent, light):
    # 1-7月: 序时进度 7/12; 2.70 × 7/12 = 1.575; 80 % of it 1.26, 60 % of it 0.945
    found = monitor.status(_with(spent))
    assert found.light == light
    assert compute.percent(found.elapsed) == Decimal("58.33")


def test_a_budget_of_nothing_cannot_be_computed_and_never_divides_by_zero():
    for mon in (_with("1.00", budget="0"), _with("1.00", budget=None), _with("1.00", period="13月")):
        found = monitor.status(mon)
        assert found.light == "无法计算" and found.ratio is None


def test_the_figures_of_one_project():
    found = monitor.status(_with("0.90"))
    assert compute.percent(found.rate) == Decimal("33.33")
    assert compute.percent(found.ratio) == Decimal("57.14")
    assert found.behind == Decimal("0.68")  # 2.70 × 7/12 − 0.90 = 0.675
    assert compute.percent(found.forecast_rate) == Decimal("100.00")
    assert found.needs_action


def test_thresholds_and_the_month_come_from_the_configuration(run, tmp_path):
    folder = tmp_path / "data" / "2024" / "妇联"
    folder.mkdir(parents=True)
    for f in (MONITOR, TARGET):
        shutil.copy(f, folder / f.name)
    # 执行率 66.67 %: at 1-7月 progress 114 % (green); measured at 12 months it is 66.67 % (red under 70)
    (tmp_path / ".perfgoals.yaml").write_text("monitor:\n  红: 70\n  黄: 90\n  月份: 12\n", encoding="utf-8")
    rows = json.loads(run("monitor", "--format", "json", cwd=tmp_path).output)
    assert rows[0]["预警"] == "红" and rows[0]["序时进度"] == "100.00" and rows[0]["进度比"] == "66.67"
    (tmp_path / ".perfgoals.yaml").write_text("monitor:\n  红: 90\n  黄: 80\n", encoding="utf-8")
    refused = run("monitor", cwd=tmp_path)
    assert refused.exit_code == 2 and "monitor.红 应不大于 monitor.黄" in refused.output


@pytest.fixture
def town(tmp_path: Path) -> Path:
    """Three units' 监控表 of each colour and one that cannot be computed (copies of the example)."""
    cases = {"妇联": ("1.80", "绿"), "团委": ("1.00", "黄"), "总工会": ("0.50", "红"), "武装部": (None, "无法计算")}
    for unit, (spent, _light) in cases.items():
        folder = tmp_path / "data" / "2024" / unit
        folder.mkdir(parents=True)
        target = folder / "妇女儿童维权.yaml"
        shutil.copy(TARGET, target)
        edit(target, "实施单位: 妇联", f"实施单位: {unit}")
        mon = folder / "妇女儿童维权.监控.yaml"
        shutil.copy(MONITOR, mon)
        edit(mon, "实施单位: 妇联", f"实施单位: {unit}")
        edit(mon, "{年初预算数: 2.70, 全年预算数: 2.70, 执行数: 1.80,",
             f"{{年初预算数: 2.70, 全年预算数: 2.70, 执行数: {spent if spent is not None else 'null'},")
    edit(tmp_path / "data" / "2024" / "总工会" / "妇女儿童维权.监控.yaml",
         "{三级指标: 活动开展次数, 年度指标值: ≥12次, 执行情况: 7次, 全年预计完成情况: 12次",
         "{三级指标: 活动开展次数, 年度指标值: ≥12次, 执行情况: 3次, 全年预计完成情况: 10次")
    return tmp_path


def test_monitor_lists_the_worst_first_with_unit_counts(run, town):
    result = run("monitor", cwd=town)
    assert result.exit_code == 0, result.output
    out = result.output
    order = [out.index(f"data/2024/{u}/") for u in ("总工会", "团委", "武装部", "妇联")]
    assert order == sorted(order)
    assert "活动开展次数：全年预计完成“10次”未达到年度指标值“≥12次”" in out
    rows = json.loads(run("monitor", "--format", "json", cwd=town).output)
    assert [r["预警"] for r in rows] == ["红", "黄", "无法计算", "绿"]
    red = rows[0]
    assert set(red) == {"文件", "项目名称", "实施单位", "监控期间", "序时进度", "执行率", "进度比", "预警", "预计执行率",
                        "落后于序时进度", "可能无法完成的指标", "需要纠偏"}
    assert red["执行率"] == "18.52" and red["可能无法完成的指标"][0]["指标"] == "活动开展次数" and red["需要纠偏"] is True
    assert rows[-1]["需要纠偏"] is False
    markdown = run("monitor", "--format", "markdown", cwd=town).output
    assert "红 1 个、黄 1 个、绿 1 个、无法计算 1 个" in markdown
    csv = run("monitor", "--format", "csv", cwd=town).output
    assert csv.splitlines()[0].lstrip("\ufeff").startswith("文件,项目名称,实施单位,监控期间")  # BOM: for Excel
    assert run("monitor", "--unit", "团委", "--format", "json", cwd=town).output.count("\"文件\"") == 1


def test_the_workbook_colours_the_lights(run, town):
    assert run("monitor", "-o", "监控.xlsx", cwd=town).exit_code == 0
    import openpyxl
    sheet = openpyxl.load_workbook(town / "监控.xlsx").worksheets[0]
    colours = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value in ("红", "黄", "绿"):
                colours[cell.value] = cell.fill.fgColor.rgb
    assert colours == {"红": "FFFFC7CE", "黄": "FFFFEB9C", "绿": "FFC6EFCE"}


# -- checked: every monitor rule's examples ------------------------------------------------------

def _set_row(doc, name: str, column: str, value) -> str:
    for level1, level2s in doc["绩效指标"].items():
        for level2, rows in level2s.items():
            for i, row in enumerate(rows):
                if row["三级指标"] == name:
                    row[column] = value
                    return f"绩效指标.{level1}.{level2}[{i}]"
    raise AssertionError(f"没有指标 {name}")


def _value(text: str):
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        return [t.strip() for t in text[1:-1].split(",") if t.strip()]
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return Decimal(text)
    return None if text == "null" else text


def apply(example: str, tmp: Path) -> tuple[engine.MonitorSource, list[str]]:
    """The example files with an example's edits, and the data paths it edited. An edit is
    ``年度资金总额.执行数: 0.50`` (a money cell), ``活动开展次数.全年预计完成情况: 10次`` (an indicator's
    cell), ``监控期间: 13月``, ``删去 活动开展次数``, ``目标表 活动开展次数: 10次`` (the approved value)
    or ``自评 活动开展次数: 10次`` / ``自评 全年执行数: 1.80`` (the 自评表 beside it)."""
    doc = yamlio.load_roundtrip(MONITOR.read_text(encoding="utf-8"))
    target = yamlio.load_roundtrip(TARGET.read_text(encoding="utf-8"))
    evaluation = yamlio.load_roundtrip(EVALUATION.read_text(encoding="utf-8"))
    edited: list[str] = []
    body = re.sub(r"（[^（）]*）$", "", example).strip()
    for part in filter(None, (s.strip() for s in body.split(" / "))):
        if part.startswith("删去 "):
            name = part[3:]
            for level1, level2s in doc["绩效指标"].items():
                for level2, rows in level2s.items():
                    for row in list(rows):
                        if row["三级指标"] == name:
                            rows.remove(row)
                            edited.append(f"绩效指标.{level1}.{level2}")
            continue
        key, sep, value = part.partition(": ")
        assert sep, part
        if key.startswith("目标表 "):
            for level2s in target["绩效指标"].values():
                for rows in level2s.values():
                    for row in rows:
                        if row["三级指标"] == key[4:]:
                            row["年度指标值"] = value
            edited.append("绩效指标")
        elif key.startswith("自评 "):
            if key[3:] == "全年执行数":
                evaluation["项目资金"]["年度资金总额"]["全年执行数"] = _value(value)
                edited.append("项目资金.年度资金总额")
            else:
                name = key[3:]
                for level2s in evaluation["绩效指标"].values():
                    for rows in level2s.values():
                        for row in rows:
                            if row["三级指标"] == name:
                                row["实际完成值"] = value
                edited.append(_set_row(doc, name, "备注", None))
        elif "." in key:
            row_name, column = key.split(".", 1)
            if row_name in doc["项目资金"]:
                doc["项目资金"][row_name][column] = _value(value)
                edited.append(f"项目资金.{row_name}")
            else:
                edited.append(_set_row(doc, row_name, column, _value(value)))
        else:
            doc[key] = value
            edited.append(key)
    paths = []
    for name, tree in (("妇女儿童维权.监控.yaml", doc), ("妇女儿童维权.yaml", target), ("妇女儿童维权.自评.yaml", evaluation)):
        path = tmp / name
        path.write_text(yamlio.dump(tree), encoding="utf-8")
        paths.append(path)
    mon, problems = monitor.load_file(paths[0])
    assert mon is not None and problems == [], problems
    from perfgoals import selfeval
    src = engine.MonitorSource(mon, loader.load_file(paths[1])[0], selfeval.load_file(paths[2])[0], 2024, "妇联")
    return src, edited


def examples(doc: str) -> list[tuple[bool, str]]:
    return [(m.group(1) == "通过", m.group(2).strip()) for line in doc.splitlines()
            if (m := re.match(r"\s*(通过|不通过)：(.*)$", line))]


CASES = [(rid, ok, ex) for rid, r in MONITOR_RULES.items() for ok, ex in examples(r.doc)]


@pytest.mark.parametrize("rid, passes, example", CASES, ids=[f"{rid}-{'通过' if ok else '不通过'}-{i}"
                                                              for i, (rid, ok, _e) in enumerate(CASES)])
def test_monitor_rule_example(rid, passes, example, tmp_path):
    src, edited = apply(example, tmp_path)
    found = [p for p in lint_sources([src], default()).problems if p.rule == rid]
    if passes:
        assert found == [], (example, found)
    else:
        assert found, example
        assert all(any(p.data_path == e or p.data_path.startswith(e + ".") or p.data_path.startswith(e + "[")
                       or e.startswith(p.data_path) for e in edited) for p in found), (example, found, edited)


def test_every_monitor_rule_has_examples_of_both_kinds():
    assert len(MONITOR_RULES) >= 7
    for rid, r in MONITOR_RULES.items():
        assert {ok for ok, _ in examples(r.doc)} == {True, False}, rid


def test_the_clean_example_passes_every_rule(run, tmp_path):
    folder = tmp_path / "data" / "2024" / "妇联"
    folder.mkdir(parents=True)
    for f in (MONITOR, TARGET, EVALUATION):
        shutil.copy(f, folder / f.name)
    result = run("lint", "--no-cache", cwd=tmp_path)
    assert result.exit_code == 0 and "发现 0 个问题" in result.output, result.output
    # a target changed later is found in the monitor beside it (the cache keys the target's bytes too)
    assert run("lint", cwd=tmp_path).exit_code == 0
    edit(folder / "妇女儿童维权.yaml", "年度指标值: ≥12次", "年度指标值: ≥15次")
    again = run("lint", cwd=tmp_path)
    assert again.exit_code == 1 and "警告" in again.output and "[monitor-target-changed]" in again.output
    assert "“活动开展次数”的年度指标值“≥12次”与批复的“≥15次”不一致" in again.output


# -- printed and exchanged -----------------------------------------------------------------------

def test_render_and_read_back_byte_for_byte(run, tmp_path):
    folder = tmp_path / "data" / "2024" / "妇联"
    folder.mkdir(parents=True)
    for f in (MONITOR, TARGET):
        shutil.copy(f, folder / f.name)
    assert run("render", "--监控", "-o", "out", cwd=tmp_path).exit_code == 0
    page = (tmp_path / "out" / "2024" / "妇联" / "妇女儿童维权-监控.html").read_text(encoding="utf-8")
    assert "项目支出绩效目标执行监控表" in page and "1-7月执行数" in page and "预警：绿" in page
    assert "全年预计完成情况" in page and "完成目标可能性" in page
    result = run("render", "--监控", "--format", "xlsx", "-o", "out", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    back = tmp_path / "back"
    (back / "data").mkdir(parents=True)
    imported = run("import", str(tmp_path / "out" / "2024" / "妇联-监控.xlsx"), "--year", "2024", cwd=back)
    assert imported.exit_code == 0, imported.output
    (made,) = (back / "data" / "2024").rglob("*.监控.yaml")
    lines = made.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[0].startswith("# 由 perfgoals import 自") and "监控表" in lines[0]
    assert "".join(lines[1:]) == MONITOR.read_text(encoding="utf-8").split("\n", 1)[1]


def test_the_pdf_prints_the_monitor(run, tmp_path):
    require_weasyprint()
    folder = tmp_path / "data" / "2024" / "妇联"
    folder.mkdir(parents=True)
    shutil.copy(MONITOR, folder / MONITOR.name)
    result = run("render", "--监控", "--format", "pdf", "-o", "out", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    pdf = (tmp_path / "out" / "2024" / "妇联-监控.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_a_monitor_in_a_pull_request_is_reviewed_as_a_monitor_not_a_project(run, tmp_path):
    """A pull request that adds a 监控表 with a problem: the review shows its problem, and no
    project is added or cancelled by it; importing such a workbook says it is a 监控表."""
    from .conftest import require_program
    from .test_review import git
    require_program("git")
    root = tmp_path / "repo"
    folder = root / "data" / "2024" / "妇联"
    folder.mkdir(parents=True)
    shutil.copy(TARGET, folder / TARGET.name)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "target")
    git(root, "checkout", "-q", "-b", "mid-year")
    shutil.copy(MONITOR, folder / MONITOR.name)
    edit(folder / MONITOR.name, "{年初预算数: 2.70, 全年预算数: 2.70, 执行数: 1.80,", "{年初预算数: 2.70, 全年预算数: 2.70, 执行数: 1.70,")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "监控")
    result = run("review", "--rev", "main", "--format", "json", cwd=root)
    body = json.loads(result.stdout)
    assert [(p["rule"], p["path"]) for p in body["new_problems"]] == \
        [("monitor-money-sum", "data/2024/妇联/妇女儿童维权.监控.yaml")]
    assert body["diff"]["projects"] == []
    assert run("render", "--监控", "--format", "xlsx", "-o", "out", cwd=root).exit_code == 0
    back = tmp_path / "back"
    (back / "data").mkdir(parents=True)
    said = run("import", str(root / "out" / "2024" / "妇联-监控.xlsx"), "--year", "2024", cwd=back).output
    assert "已导入 1 张监控表到" in said
