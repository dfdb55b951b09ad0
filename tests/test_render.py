"""`perfgoals render`: one grid for HTML and Excel, the browser's view of it, and Excel back to YAML."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from perfgoals import formgrid, loader
from perfgoals.render import html as render_html
from perfgoals.render import xlsx as xlsxout
from perfgoals import model as m
from perfgoals.importers import xlsx as xlsx_import
from perfgoals.model import Item

from .conftest import DATA, require_program
from .strategies import generated

import openpyxl  # a dependency of the package


def projects() -> list[Item]:
    out = []
    for path in sorted(DATA.glob("2024/*/*.yaml")):
        p, problems = loader.load_file(path)
        assert problems == []
        out.append(Item(p, path.parent.name))
    return out


def data_of(p: m.Project) -> m.Project:
    return dataclasses.replace(p, path="", positions={}, suppressions={})


# -- the grid ---------------------------------------------------------------------------------

def test_grid_spans_never_overlap_and_fill_every_row():
    for item in projects():
        for blank in (True, False):
            grid = formgrid.build(item.project, blank)
            covered = grid.covered()  # raises on overlap
            for r in range(grid.rows):
                assert {c for (rr, c) in covered if rr == r} == set(range(formgrid.COLUMNS)), (item.project.name, r)


def test_blank_slots_show_the_printed_form_rows():
    item = next(i for i in projects() if i.project.name == "妇女儿童维权")
    with_blank = {c.text for c in formgrid.build(item.project, True).cells if c.role == "level2"}
    without = {c.text for c in formgrid.build(item.project, False).cells if c.role == "level2"}
    assert {"经济效益指标", "生态效益指标"} <= with_blank - without


# -- HTML ---------------------------------------------------------------------------------------

def test_render_all_writes_project_unit_and_index_pages(run, tmp_path):
    result = run("render", "--out", str(tmp_path))
    assert result.exit_code == 0
    pages = list((tmp_path / "2024").rglob("*.html"))
    assert len(pages) == 104 + 16 + 1
    index = (tmp_path / "2024" / "index.html").read_text(encoding="utf-8")
    assert index.count('href="') == 16 and "8,747.84" in index  # the year's 年度资金申请总额
    assert "http://" not in index and "https://" not in index  # works offline
    page = (tmp_path / "2024" / "妇联" / "妇女儿童维权.html").read_text(encoding="utf-8")
    assert "<style>" in page and "size: A4 portrait" in page and "SimSun" in page
    assert "string(form-name)" in page and "counter(pages)" in page  # running name and page count when printed
    assert "table-header-group" in page  # the indicator header repeats on every printed page


def _pages(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_year_rendered_on_two_processes_is_the_year_rendered_on_one(run, tmp_path, monkeypatch):
    """A whole year's pages are made by worker processes, a run of unit folders each, and the
    index from their lines: every byte is as one process writes it."""
    monkeypatch.setattr(render_html, "POOL_THRESHOLD", 10)
    assert run("render", "--out", str(tmp_path / "one"), "--jobs", "1").exit_code == 0
    result = run("render", "--out", str(tmp_path / "two"), "--jobs", "2")
    assert result.exit_code == 0, result.output
    one, two = _pages(tmp_path / "one"), _pages(tmp_path / "two")
    assert len(one) == 104 + 16 + 1 and one == two
    assert "已生成 121 个网页" in result.output


def test_a_table_outside_any_unit_folder_is_rendered_under_its_unit(run, workdir, tmp_path, monkeypatch):
    """A table lying in the year folder itself belongs to no unit folder: its pages go under its
    实施单位, as before, and the year is then made by one process (whole unit folders are shared out)."""
    monkeypatch.setattr(render_html, "POOL_THRESHOLD", 10)
    year = workdir / "data" / "2024"
    (year / "妇联" / "妇女儿童维权.yaml").rename(year / "妇女儿童维权.yaml")
    one = run("render", "--out", str(tmp_path / "one"), "--jobs", "1")
    two = run("render", "--out", str(tmp_path / "two"), "--jobs", "2")
    assert one.exit_code == two.exit_code == 0, two.output
    assert _pages(tmp_path / "one") == _pages(tmp_path / "two")
    # its 实施单位 is 妇联: it joins that folder's pages, and the unit page lists it with the others
    assert (tmp_path / "one" / "2024" / "妇联" / "妇女儿童维权.html").is_file()
    page = (tmp_path / "one" / "2024" / "妇联" / "index.html").read_text(encoding="utf-8")
    names = [p.stem for p in (DATA / "2024" / "妇联").glob("*.yaml")]
    assert len(names) == 5 and all(f">{name}</a>" in page for name in names)


def test_a_pooled_render_reports_unreadable_files_and_template_errors(run, workdir, tmp_path, monkeypatch):
    monkeypatch.setattr(render_html, "POOL_THRESHOLD", 10)
    (workdir / "data" / "2024" / "妇联" / "坏表.yaml").write_text("项目名称: [未闭合\n", encoding="utf-8")
    result = run("render", "--out", str(tmp_path / "o"), "--jobs", "2")
    assert result.exit_code == 2 and "坏表.yaml" in result.output and "其余 121 个网页已生成" in result.output
    (workdir / "data" / "2024" / "妇联" / "坏表.yaml").unlink()
    custom = tmp_path / "tpl"
    custom.mkdir()
    (custom / "unit.html").write_text("<p>{{ projects[0].nosuch }}</p>", encoding="utf-8")
    result = run("render", "--out", str(tmp_path / "o2"), "--jobs", "2", "--templates", str(custom))
    assert result.exit_code == 2 and "不存在的变量" in result.output and "Traceback" not in result.output


def test_a_unit_named_two_ways_as_often_is_named_the_same_way_every_run(tmp_path):
    """The unit's name on its page is the 实施单位 its projects give most often; a tie was broken by
    the order of a set, which changes from run to run (and differed from the Excel and PDF name)."""
    import subprocess
    import sys
    code = ("from perfgoals.render.common import commonest;"
            "print(commonest(['浦江镇社事办助残康复科', '浦江镇机关事务管理所', '共青团浦江镇委员会', '浦江镇机关事务管理所', '共青团浦江镇委员会']))")
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in range(6)}
    assert seen == {"浦江镇机关事务管理所\n"}


def test_hostile_text_is_escaped(tmp_path):
    item = projects()[0]
    evil = dataclasses.replace(item.project, name="<script>window.__pwned=1</script>{{ 7*7 }}",
                               goal_total="</td><td>注入</td>")
    env = render_html.environment()
    pages = dict(render_html.render_site([Item(evil, "x")], 2024, env))
    html = next(v for k, v in pages.items() if k.startswith("x/") and not k.endswith("index.html"))
    assert "<script>window" not in html and "&lt;script&gt;window.__pwned=1&lt;/script&gt;{{ 7*7 }}" in html
    assert "&lt;/td&gt;&lt;td&gt;注入" in html


def test_templates_can_be_overridden_and_broken_ones_fail_clearly(run, tmp_path):
    custom = tmp_path / "tpl"
    custom.mkdir()
    (custom / "index.html").write_text("<p>自定义索引 {{ count }}</p>", encoding="utf-8")
    assert run("render", "--out", str(tmp_path / "o"), "--templates", str(custom)).exit_code == 0
    assert (tmp_path / "o" / "2024" / "index.html").read_text(encoding="utf-8") == "<p>自定义索引 104</p>"
    (custom / "index.html").write_text("<p>{{ no_such_thing }}</p>", encoding="utf-8")
    bad = run("render", "--out", str(tmp_path / "o2"), "--templates", str(custom))
    assert bad.exit_code == 2 and "不存在的变量" in bad.output
    (custom / "index.html").write_text("<p>{% for %}</p>", encoding="utf-8")
    bad = run("render", "--out", str(tmp_path / "o3"), "--templates", str(custom))
    assert bad.exit_code == 2 and "index.html:1 有语法错误" in bad.output


@pytest.mark.parametrize("args,needle", [
    (("--unit", "妇女"), "相近的单位：妇联"),
    (("--project", "妇女儿童维护"), "相近的项目：妇女儿童维权"),
    (("--all", "--unit", "妇联"), "不能与"),
    (("--year", "2019"), "2019 年度没有项目文件"),
])
def test_bad_selection(run, tmp_path, args, needle):
    result = run("render", "--out", str(tmp_path), *args)
    assert result.exit_code == 2 and needle in result.output


def test_output_directory_that_cannot_be_written(run, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = run("render", "--unit", "妇联", "--out", str(blocker / "sub"))
    assert result.exit_code == 2 and "无法写入" in result.output


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--allow-file-access-from-files", "--virtual-time-budget=3000"]
PROBE = """<script>
window.addEventListener('load', function () {
  var tables = Array.from(document.querySelectorAll('table.form'));
  var t = tables[0];
  var rows = [].concat.apply([], tables.map(function (tb) { return Array.from(tb.rows); })).map(function (r) {
    return Array.from(r.cells).map(function (c) { return [c.textContent, c.rowSpan, c.colSpan]; });
  });
  var pre = document.createElement('pre'); pre.id = 'probe';
  pre.textContent = JSON.stringify({rows: rows, pwned: !!window.__pwned, width: t.offsetWidth,
                                    overflow: Array.from(t.querySelectorAll('td')).some(function (c) {
                                      return c.scrollWidth > c.clientWidth + 2; })});
  document.body.appendChild(pre);
});
</script>"""


def browser_dom(page: Path) -> dict:
    chromium = require_program("chromium", "chromium-browser")
    probe = page.with_name("probe-" + page.name)
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    profile = page.parent / ".chromium-profile"
    done = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", probe.as_uri()],
                          capture_output=True, text=True, timeout=120)
    hit = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    assert hit, done.stderr[-2000:]
    import html as h
    return json.loads(h.unescape(hit.group(1)))


def printed_rows(layout: formgrid.Layout) -> list:
    """The rows the printed form has: the header block with its spans, the goals (their labels as
    the table's header, repeated on a page a long goal runs onto; the side label beside the two
    goals), the indicator header and one row per indicator, whose 一级/二级 cells carry the label
    only where the group opens."""
    rows = [[[layout.title, 1, 5]], [[layout.subtitle, 1, 5]]]
    rows += [[[c.text, c.rowspan, c.colspan] for c in row] for row in layout.head]
    rows += [[["", 1, 1], [layout.goal_labels[0], 1, 1], [layout.goal_labels[1], 1, 1]],
             [["项目绩效目标", 1, 1], [layout.goals[0], 1, 1], [layout.goals[1], 1, 1]]]
    rows += [[["绩效指标", 1, 1]] + [[h, 1, 1] for h in layout.indicator_head]]
    rows += [[["", 1, 1], [r.level1 if r.first1 else "", 1, 1], [r.level2 if r.first2 else "", 1, 1],
              [r.name, 1, 1], [r.value, 1, 1]] for r in layout.rows]
    return rows


def test_page_structure_in_a_real_browser(tmp_path):
    item = next(i for i in projects() if i.project.name == "妇女儿童维权")
    long_text = "很长的目标" * 120
    evil = dataclasses.replace(item.project, name="<script>window.__pwned=1</script>", goal_annual=long_text)
    env = render_html.environment()
    pages = dict(render_html.render_site([Item(evil, "妇联")], 2024, env))
    rel = next(k for k in pages if k.startswith("妇联/") and k != "妇联/index.html")
    page = tmp_path / "page.html"
    page.write_text(pages[rel], encoding="utf-8")
    dom = browser_dom(page)
    assert dom["rows"] == printed_rows(formgrid.layout(formgrid.build(evil)))  # every cell, text and span
    grid_texts = sorted(c.text for c in formgrid.build(evil).cells if c.text)
    assert sorted(t for row in dom["rows"] for t, _r, _c in row if t) == grid_texts  # nothing lost or added
    assert dom["pwned"] is False  # the <script> in the name stayed text
    assert dom["rows"][2][1][0] == "<script>window.__pwned=1</script>"
    assert dom["overflow"] is False  # long texts wrap inside their cell, the grid holds


# -- Excel ------------------------------------------------------------------------------------

def workbook(items: list[Item], blank_slots: bool = True):
    data = xlsxout.form_workbook(items, "测试", blank_slots)
    return data, openpyxl.load_workbook(io.BytesIO(data))


def test_excel_merges_and_values_follow_the_grid():
    item = next(i for i in projects() if i.project.name == "妇科重症")
    _data, wb = workbook([item])
    ws = wb[wb.sheetnames[1]]
    grid = formgrid.build(item.project)
    merged = {str(r) for r in ws.merged_cells.ranges}
    from openpyxl.utils import get_column_letter as col
    for c in grid.cells:
        if c.rowspan > 1 or c.colspan > 1:
            assert f"{col(c.col + 1)}{c.row + 1}:{col(c.col + c.colspan)}{c.row + c.rowspan}" in merged
        value = ws.cell(c.row + 1, c.col + 1).value
        if c.amount is not None:
            assert Decimal(repr(value)) == c.amount
        elif c.role == "date" and c.text:  # a real date, shown as the form writes it
            assert value.strftime("%Y-%m-%d") == c.text
            assert ws.cell(c.row + 1, c.col + 1).number_format == "yyyy-mm-dd"
        else:
            assert value == (c.text or None)  # a blank cell is empty, not an empty string
    assert len(merged) == sum(1 for c in grid.cells if c.rowspan > 1 or c.colspan > 1)
    from perfgoals.render.xlsx import PRINT_SCALE
    assert ws.page_setup.paperSize == 9 and ws.page_setup.scale == PRINT_SCALE  # one scale: pages reckoned
    assert "妇科重症" in ws.oddHeader.center.text


def test_excel_text_is_never_a_formula_and_output_is_byte_stable():
    item = projects()[0]
    evil = dataclasses.replace(item.project, name='=HYPERLINK("http://x","点我")', department="+1+1")
    data, wb = workbook([Item(evil, "x")])
    ws = wb[wb.sheetnames[1]]
    assert ws["B3"].value == '=HYPERLINK("http://x","点我")' and ws["B3"].data_type == "s"
    assert ws["B4"].value == "+1+1" and ws["B4"].data_type == "s"
    again, _ = workbook([Item(evil, "x")])
    assert again == data


def test_sheet_names_are_valid_and_unique():
    taken = ["汇总"]
    for name in ["一个非常非常非常非常非常非常非常非常非常非常非常长的项目名称啊啊", "一个非常非常非常非常非常非常非常非常非常非常非常长的项目名称啊啊",
                 "a[b]c:d*e?f/g\\h", "汇总", "'引号'", "History"]:
        s = xlsxout.sheet_name(name, taken)
        assert len(s) <= 31 and not set(s) & set("[]:*?/\\") and s.lower() not in {t.lower() for t in taken}
        taken.append(s)
    assert taken[2].endswith("(2)")


def test_render_import_round_trip_for_all_104(tmp_path):
    items = projects()
    data, _wb = workbook(items)
    imported, failed = xlsx_import.read_source(data, "all.xlsx", 2024)
    assert failed == [] and len(imported) == 104
    back = {(i.project.unit, i.project.name): data_of(i.project) for i in imported}
    for item in items:
        assert back[(item.project.unit, item.project.name)] == data_of(item.project), item.project.name


def test_render_xlsx_cli_and_import_cli(run, tmp_path):
    assert run("render", "--format", "xlsx", "--unit", "妇联", "--out", str(tmp_path)).exit_code == 0
    book = tmp_path / "2024" / "妇联.xlsx"
    out = tmp_path / "data"
    result = run("import", str(book), "--out", str(out))
    assert result.exit_code == 0 and "已导入 5 个项目" in result.output
    for original in (DATA / "2024" / "妇联").glob("*.yaml"):
        a, _ = loader.load_file(original)
        b, problems = loader.load_file(out / "2024" / "妇联" / original.name)
        assert problems == [] and data_of(b) == data_of(a)
    assert run("render", "--format", "xlsx", "--all", "--out", str(tmp_path)).exit_code == 0
    assert len(list((tmp_path / "2024").glob("*.xlsx"))) == 16 + 1


def hand_filled() -> bytes:
    """The form as a clerk fills it in Excel: spacer rows, √ and ■ ticks, numbers as text, real dates."""
    import datetime as dt
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "手填"
    rows = [
        ["财政项目支出绩效目标表"], ["（2025年度）"], [],
        ["项目名称", "社区助老服务", None, "项目类别", "专项资金□ 经常性项目√ 一次性项目□"],
        ["主管部门", "浦江镇人民政府", None, "实施单位", "浦江镇社事办助残康复科"],
        ["计划开始日期", dt.datetime(2025, 1, 1), None, "计划完成日期", dt.datetime(2025, 12, 31)],
        [],
        ["项目资金（万元）", "项目资金总额", "12.50", "年度资金申请总额", 12.5],
        [None, "其中：财政资金", "12.50", "其中：当年财政拨款", 12.5],
        [None, None, None, "上年结转资金", None],
        [None, "其他资金", None, "其他资金", None],
        ["项目绩效目标", "项目总目标（2025年-2025年）", None, "年度总体目标"],
        [None, "为 80 名独居老人提供助老服务", None, "全年上门服务 960 人次"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值"],
        [None, "产出指标", "数量指标", "指标1：上门服务人次", "≥960人次"],
        [],
        [None, None, "时效指标", "服务响应时间", "24小时内"],
        [None, "效益指标", "社会效益指标", "独居老人安全事故", "0起"],
        [None, "满意度指标", "服务对象满意度指标", "老人满意度", 0.95],
    ]
    for r in rows:
        ws.append(r)
    ws.merge_cells("A8:A11")
    ws.cell(19, 5).number_format = "0%"
    ws2 = wb.create_sheet("说明")
    ws2["A1"] = "本工作簿由某街道财政所填写"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_hand_filled_workbook_is_imported():
    imported, failed = xlsx_import.read_source(hand_filled(), "手填.xlsx", None)
    assert failed == []
    [item] = imported
    p = item.project
    assert (p.name, p.year, p.category, p.start, p.end) == ("社区助老服务", 2025, "经常性项目", "2025-01-01", "2025-12-31")
    assert (p.funds.total, p.annual.total, p.annual.carryover) == (Decimal("12.50"), Decimal("12.5"), None)
    assert (p.goal_total, p.goal_annual) == ("为 80 名独居老人提供助老服务", "全年上门服务 960 人次")
    rows = {(g.level2, r.name): r.value for g in p.groups for r in g.rows}
    assert rows == {("数量指标", "上门服务人次"): "≥960人次", ("时效指标", "服务响应时间"): "24小时内",
                    ("社会效益指标", "独居老人安全事故"): "0起", ("服务对象满意度指标", "老人满意度"): "95%"}
    assert "工作表“手填”" in item.header


def test_broken_sheet_names_sheet_and_cell():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "坏表"
    ws.append(["财政项目支出绩效目标表"])
    ws.append(["一级指标"])
    buf = io.BytesIO()
    wb.save(buf)
    imported, failed = xlsx_import.read_source(buf.getvalue(), "b.xlsx", 2024)
    assert imported == [] and len(failed) == 1 and failed[0].message.startswith("坏表!A1")
    imported, failed = xlsx_import.read_source(b"not a zip", "c.xlsx", 2024)
    assert "不是有效的 Excel 工作簿" in failed[0].message


# -- property: any project survives render → import -------------------------------------------

@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated())
def test_property_generated_projects_survive_render_and_import(project):
    data = xlsxout.form_workbook([Item(project, "单位")], "t", True)
    imported, failed = xlsx_import.read_source(data, "g.xlsx", None)
    assert failed == []
    assert data_of(imported[0].project) == project
