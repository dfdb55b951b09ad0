"""One picture of each official form (issue 26): `perfgoals.forms` answers which form a document
is, and everything that prints, reads or creates a form takes its title and rows from there."""

from __future__ import annotations

from perfgoals import forms, formgrid, loader
from perfgoals.importers.text import read_source

from .conftest import CLEAN, DATA, EXAMPLES, edit


def test_every_real_table_is_the_towns_form():
    for path in sorted((DATA / "2024").glob("*/*.yaml")):
        project, _ = loader.load_file(path)
        assert forms.of(project) is forms.TOWN_2024, path


def test_the_shenbao_sample_is_the_101_form_and_prints_its_title():
    text = (EXAMPLES / "sources" / "申报表样例.txt").read_bytes()
    imported, failures = read_source(text, "申报表样例.txt", 2024)
    assert not failures and imported
    project = imported[0].project
    assert forms.of(project) is forms.SHENBAO_101
    grid = formgrid.build(project)
    assert grid.title == forms.SHENBAO_101.title and any(c.text == forms.SHENBAO_101.value_head for c in grid.cells)


def test_a_selfeval_is_the_selfeval_form():
    from perfgoals import selfeval
    evaluation, _ = selfeval.load_file(EXAMPLES / "selfeval" / "社区助老服务补贴.自评.yaml")
    assert forms.of(evaluation) is forms.SELFEVAL_2020


def test_title_and_blank_rows_agree_for_a_table_with_nature_filled():
    """Before: 项目性质 filled gave the 申报表 title but the town's blank rows. One answer now:
    项目性质 is the 申报表's, so the table is printed as one, blank rows included."""
    text = CLEAN.read_text(encoding="utf-8").replace("项目类别:", "项目性质: 经常性项目\n项目类别:", 1)
    project, _ = loader.load_text(text, "x.yaml")
    assert project is not None and project.nature == "经常性项目"
    assert forms.of(project) is forms.SHENBAO_101
    grid = formgrid.build(project, blank_slots=True)
    assert grid.title == forms.SHENBAO_101.title
    level2 = {c.text for c in grid.cells if c.role == "level2"}
    assert "经济成本指标" in level2  # the 申报表's blank rows, as its title says
    assert any(c.text == "项目性质" for c in grid.cells)
    clean, _ = loader.load_file(CLEAN)
    assert forms.of(clean) is forms.TOWN_2024 and formgrid.build(clean).title == forms.TOWN_2024.title


def test_new_makes_each_target_form_and_forms_lists_them(run, workdir):
    listed = run("forms")
    assert listed.exit_code == 0
    for form in forms.FORMS.values():
        assert form.id in listed.output and form.title in listed.output
    for name in forms.NEW_CHOICES:
        assert run("new", f"试{name}", "--year", "2026", "--unit", "妇联", "--form", name).exit_code == 0
        project, problems = loader.load_file(workdir / "data" / "2026" / "妇联" / f"试{name}.yaml")
        assert project is not None and forms.of(project) is forms.named(name)
        assert project.money_unit == forms.named(name).money_unit
    assert run("new", "x", "--year", "2026", "--unit", "妇联", "--form", "1999").exit_code == 2


def test_titles_are_typed_once():
    """The form titles are written in `perfgoals.forms` only (docs and messages aside)."""
    from .conftest import ROOT
    for path in (ROOT / "perfgoals").rglob("*.py"):
        if "forms" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for form in forms.FORMS.values():
            assert f'"{form.title}"' not in text, (path, form.title)


def test_the_three_formats_show_the_same_rows_by_default(run, workdir, tmp_path):
    """Web page, workbook and PDF are three views of one grid, written as the paper form is."""
    import re

    import openpyxl
    from .conftest import require_weasyprint
    require_weasyprint()
    import pdfplumber
    out = tmp_path / "o"
    for fmt in ("html", "xlsx"):
        assert run("render", "--unit", "妇联", "--format", fmt, "-o", str(out)).exit_code == 0
    assert run("render", "--project", "妇女儿童维权", "--format", "pdf", "-o", str(out)).exit_code == 0
    slot = re.compile(r"指标\d+：[^<\n]*")
    page = (out / "2024" / "妇联" / "妇女儿童维权.html").read_text(encoding="utf-8")
    html = [s.strip() for s in slot.findall(page)]
    sheet = openpyxl.load_workbook(out / "2024" / "妇联.xlsx")["妇女儿童维权"]
    xlsx = [str(c.value).strip() for row in sheet.iter_rows() for c in row if c.value and slot.match(str(c.value))]
    with pdfplumber.open(out / "2024" / "妇女儿童维权.pdf") as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages).replace(" ", "")
    assert html and html == xlsx
    for row in html:
        assert row.replace(" ", "")[:8] in text, row  # the PDF wraps long names: their start is on the page
    assert "2024.01.01" in page and "2024-01-01" not in page


def test_a_unit_is_shown_by_its_full_name_in_units_yaml(run, workdir, monkeypatch):
    """data/units.yaml names a unit (its first full name); the 实施单位 its tables give is only
    the fallback for a folder it does not list. Web pages (one process and many), workbooks and
    the PDF's contents all show the same name."""
    edit(workdir / "data" / "units.yaml", "妇联:\n  - 妇联", "妇联:\n  - 浦江镇妇女联合会\n  - 妇联")
    assert run("render", "-o", "one").exit_code == 0
    page = (workdir / "one" / "2024" / "妇联" / "index.html").read_text(encoding="utf-8")
    year = (workdir / "one" / "2024" / "index.html").read_text(encoding="utf-8")
    assert "浦江镇妇女联合会" in page and "浦江镇妇女联合会" in year
    from perfgoals.render import html as render_html
    monkeypatch.setattr(render_html, "POOL_THRESHOLD", 1)  # the same pages made by worker processes
    assert run("render", "--jobs", "2", "-o", "many").exit_code == 0
    assert (workdir / "many" / "2024" / "妇联" / "index.html").read_text(encoding="utf-8") == page
    assert run("render", "--format", "xlsx", "--unit", "妇联", "-o", "book").exit_code == 0
    import openpyxl
    sheet = openpyxl.load_workbook(workdir / "book" / "2024" / "妇联.xlsx").worksheets[0]
    assert "浦江镇妇女联合会" in str(sheet["A1"].value)
