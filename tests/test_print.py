"""Printing: real PDFs measured page by page, and Excel workbooks that print every character."""

from __future__ import annotations

import io
import re
import subprocess
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from perfgoals import corpus, loader
from perfgoals.importers import pdf as pdf_import
from perfgoals.workspace import project_files

from .conftest import DATA, require_program, require_weasyprint

import pdfplumber  # the test extra installs it
import openpyxl  # a dependency of the package

A4 = (595.28, 841.89)
LONG = "残疾人补贴"  # 13-point 项目总目标 of 671 characters


def items():
    return corpus.load(project_files([DATA / "2024"], DATA, 2024))


@pytest.fixture(scope="module")
def year_pdf(tmp_path_factory) -> Path:
    """The whole year as one PDF, rendered once for the tests that read it."""
    require_weasyprint()
    from perfgoals.render import Request, run
    out = tmp_path_factory.mktemp("print")
    written = run("pdf", Request(2024, project_files([DATA / "2024"], DATA, 2024), out, official=True,
                                 blank_slots=False))
    return written.paths[0]


def pages_by_form(path: Path) -> tuple[list, dict[str, list[int]]]:
    """The PDF's pages, and for each form (running header: name and unit) its page numbers."""
    doc = pdfplumber.open(path)
    forms: dict[str, list[int]] = defaultdict(list)
    for number, page in enumerate(doc.pages):
        head = page.crop((0, 0, page.width, 40)).extract_text() or ""
        forms[head.strip()].append(number)
    return doc.pages, forms


def test_year_pdf_pages_are_a4_numbered_and_few(year_pdf):
    pages, forms = pages_by_form(year_pdf)
    assert all(abs(p.width - A4[0]) < 1 and abs(p.height - A4[1]) < 1 for p in pages)
    front = forms.pop("2024 年度财政项目支出绩效目标表")  # cover, contents, 汇总
    assert len(forms) == 104
    assert len(pages) <= 1.15 * 104 + len(front)
    for number, page in enumerate(pages, start=1):
        foot = page.crop((0, page.height - 40, page.width, page.height)).extract_text()
        assert foot.strip() == f"第 {number} 页 / 共 {len(pages)} 页"


def test_long_form_and_continuation_pages(year_pdf):
    pages, forms = pages_by_form(year_pdf)
    forms.pop("2024 年度财政项目支出绩效目标表")  # cover, contents, 汇总
    long = next(numbers for head, numbers in forms.items() if head.startswith(LONG + " "))
    assert len(long) <= 2
    continued = [n for numbers in forms.values() for n in numbers[1:]]
    assert continued, "some forms run over a page"
    for n in continued:
        text = pages[n].extract_text()
        head = pages[n].crop((0, 0, pages[n].width, 40)).extract_text().split()[0]
        assert "三级指标" in text and "年度指标值" in text, n  # the header row repeated
        assert head in text.splitlines()[0], n  # the project's name at the top


def test_no_page_is_left_half_empty_by_a_jump(year_pdf):
    """Every page of a form but its last is at least half full: nothing jumped whole to the next."""
    pages, forms = pages_by_form(year_pdf)
    forms.pop("2024 年度财政项目支出绩效目标表")
    for head, numbers in forms.items():
        for n in numbers[:-1]:
            page = pages[n]
            body = [c["bottom"] for c in page.chars if 40 < c["top"] < page.height - 40]
            assert max(body) > page.height / 2, (head, n + 1)


def test_summary_pages_name_the_unit_they_go_on_with(year_pdf):
    """Issue 30 #5: a 汇总 page that starts inside a unit names it again with （续）; its heads
    break between words (项目资金 / 总额), never after one character."""
    pages, forms = pages_by_form(year_pdf)
    summary = [n for n in forms["2024 年度财政项目支出绩效目标表"] if "金额单位：万元" in (pages[n].extract_text() or "")
               or "小计" in (pages[n].extract_text() or "")]
    assert len(summary) >= 3
    units = {line.split("（续）")[0] for n in summary for line in (pages[n].extract_text() or "").splitlines()
             if "小计" in line}
    for n in summary[1:]:
        lines = (pages[n].extract_text() or "").splitlines()
        heads = next(i for i, line in enumerate(lines) if line.startswith("总额"))
        first = lines[heads + 1]
        if "小计" in first or first.startswith("合计"):
            continue  # the page starts with a subtotal: no unit goes on there
        starts_unit = any(first.startswith(u.split(" 小计")[0]) for u in units)
        assert "（续）" in first or starts_unit, (n + 1, first)
    assert any("（续）" in (pages[n].extract_text() or "") for n in summary[1:])
    head = (pages[summary[0]].extract_text() or "").replace(" ", "")
    assert "项目资金年度资金" in head and "总额申请总额" in head


def test_contents_put_each_units_page_number_in_the_number_column(year_pdf):
    """Issue 30 #6: a unit's line in the contents reads "单位（7 个项目）……… 9", the page number last."""
    pages, _forms = pages_by_form(year_pdf)
    lines = [line for p in pages[:6] for line in (p.extract_text() or "").splitlines()
             if "个项目）" in line and "小计" not in line]
    assert len(lines) >= 16
    for line in lines:
        assert re.search(r"个项目）\s*\.{3,}\s*\d+$", line), line


def test_labels_break_between_words_and_boxes_share_one_font(year_pdf):
    """Issue 30 #6: a narrow label cell breaks "项目资金 / 总额", never "项目资金总 / 额"; ☐ and ☑
    are drawn by one font."""
    pages, _forms = pages_by_form(year_pdf)
    cut = re.compile(r"(项目资金总|其中：财政|计划开始日|计划完成日|项目绩效目)$")
    for number, page in enumerate(pages[:40], start=1):
        for line in (page.extract_text() or "").splitlines():
            for piece in line.split():
                assert not cut.search(piece), (number, line)
    boxes = {c["fontname"] for p in pages[:40] for c in p.chars if c["text"] in "☐☑"}
    assert len(boxes) == 1, boxes


def test_a_line_never_breaks_a_word_to_keep_a_quote_with_it(year_pdf):
    """Issue 30 #6: Unicode glues an opening quote to the character before it, so "拟定“1+7+18+N”的"
    could only break as "拟 / 定“1+7+18+N”"; the form allows a break before the quote instead."""
    pages, _forms = pages_by_form(year_pdf)
    found = 0
    for page in pages:
        chars = [c for c in page.chars if c["text"].strip()]
        for i in range(len(chars) - 3):
            if "".join(c["text"] for c in chars[i:i + 4]) == "拟定“1":
                found += 1
                assert abs(chars[i]["top"] - chars[i + 1]["top"]) < 1, "拟定 broken across lines"
    assert found == 1


def test_header_block_lines_stand_where_the_blocks_below_do(year_pdf):
    """Issue 30 #6: the header table's outer lines were 0.37 pt left of the goals' and indicators'
    (its first rows, the title, had no border). Every form page: one left and one right edge."""
    pages, forms = pages_by_form(year_pdf)
    forms.pop("2024 年度财政项目支出绩效目标表")
    for numbers in list(forms.values())[:20]:
        page = pages[numbers[0]]
        xs = [e["x0"] for e in page.edges if e["orientation"] == "v" and e["object_type"] == "line"]
        left = [x for x in xs if x < min(xs) + 2]
        right = [x for x in xs if x > max(xs) - 2]
        assert max(left) - min(left) < 0.05 and max(right) - min(right) < 0.05, (numbers[0] + 1, sorted(set(left)),
                                                                                  sorted(set(right)))


def test_continued_page_repeats_the_group_labels(year_pdf):
    pages, forms = pages_by_form(year_pdf)
    forms.pop("2024 年度财政项目支出绩效目标表")
    for head, numbers in forms.items():
        for n in numbers[1:]:
            rows = pdf_import._rows(pages[n])
            first = next((cells for cells in rows if any(col == 3 and text.startswith("指标") for col, text in cells)),
                         None)
            if first is None:
                continue  # the page continues the goal text only
            columns = dict(first)
            assert columns.get(1) and columns.get(2), (head, n + 1, first)  # 一级 and 二级 shown again


def test_text_is_real_and_fonts_are_embedded(year_pdf):
    from pdfminer.pdftypes import resolve1
    doc = pdfplumber.open(year_pdf)
    fonts_seen = 0
    for page in doc.pages[:12]:
        for font in resolve1(resolve1(page.page_obj.resources)["Font"]).values():
            font = resolve1(font)
            descendants = resolve1(font.get("DescendantFonts")) or [font]
            descriptor = resolve1(resolve1(descendants[0]).get("FontDescriptor"))
            assert any(k in descriptor for k in ("FontFile", "FontFile2", "FontFile3")), font  # embedded
            fonts_seen += 1
    assert fonts_seen
    pages, _forms = pages_by_form(year_pdf)
    fonts = {c["fontname"] for p in pages[:12] for c in p.chars}
    assert fonts and all(re.match(r"^[A-Z]{6}\+", f) for f in fonts)  # subset-embedded, every one
    text = "".join(p.extract_text() for p in pages)
    assert "妇女儿童维权" in text and "年度资金申请总额" in text and "8,747.84" in text


def test_year_pdf_imports_back_to_the_same_tables(year_pdf, tmp_path):
    done, failed = pdf_import.read_source(year_pdf.read_bytes(), year_pdf.name, None)
    assert failed == [] and len(done) == 104
    got = {(i.project.unit, i.project.name): i.project for i in done}
    for item in items():
        p = item.project
        assert _data(got[(p.unit, p.name)]) == _data(p), p.name


def _data(p) -> tuple:
    return (p.name, p.year, p.category, p.nature, p.department, p.unit, p.start, p.end, p.money_unit, p.funds,
            p.annual, p.period, p.goal_total, p.goal_annual, p.groups)


def test_unit_and_project_pdfs_and_byte_stability(run, workdir):
    require_weasyprint()
    assert run("render", "--format", "pdf", "--unit", "妇联", "--out", "o").exit_code == 0
    unit = workdir / "o" / "2024" / "妇联.pdf"
    first = unit.read_bytes()
    assert run("render", "--format", "pdf", "--unit", "妇联", "--out", "o").exit_code == 0
    assert unit.read_bytes() == first  # same tables, same bytes
    doc = pdfplumber.open(io.BytesIO(first))
    text = "".join(p.extract_text() for p in doc.pages)
    assert re.search(r"目\s*录", text) and all(name in text for name in ("妇女儿童维权", "妇科重症", "儿友好建设"))
    result = run("render", "--format", "pdf", "--project", LONG, "--out", "o")
    assert result.exit_code == 0 and "（2 页）" in result.output
    single = pdfplumber.open(workdir / "o" / "2024" / f"{LONG}.pdf")
    assert len(single.pages) == 2 and not re.search(r"目\s*录", single.pages[0].extract_text())
    imported = run("import", str(unit), "--data", "back")
    assert imported.exit_code == 0, imported.output
    for path in (DATA / "2024" / "妇联").glob("*.yaml"):
        a, _ = loader.load_file(path)
        b, _ = loader.load_file(workdir / "back" / "2024" / "妇联" / path.name)
        assert _data(a) == _data(b), path.name


def test_official_form_fidelity():
    from perfgoals import formgrid
    item = next(i for i in items() if i.project.name == "妇女儿童维权")
    grid = formgrid.build(item.project, blank_slots=False, official=True)
    texts = [c.text for c in grid.cells]
    assert "2024.01.01" in texts and "2024.12.31" in texts
    names = [c.text for c in grid.cells if c.role == "name"]
    assert names[0].startswith("指标1：") and names[1].startswith("指标2：")
    assert "生态效益指标" not in texts  # the unit left it out; the official print does not add it


def test_pdf_without_weasyprint_says_what_to_install(run, monkeypatch):
    import builtins
    real = builtins.__import__

    def no_weasyprint(name, *args, **kwargs):
        if name == "weasyprint":
            raise ImportError(name)
        return real(name, *args, **kwargs)
    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    result = run("render", "--format", "pdf", "--unit", "妇联")
    assert result.exit_code == 2 and "pip install -e '.[pdf]'" in result.output


# -- Excel ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> list[Path]:
    from perfgoals.render import Request, run
    out = tmp_path_factory.mktemp("xlsx")
    return run("xlsx", Request(2024, project_files([DATA / "2024"], DATA, 2024), out)).paths


def test_excel_rows_titles_blanks_and_dates(workbooks):
    assert len(workbooks) == 17  # 16 units and the year's list
    forms = 0
    for path in workbooks:
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            heights = [d.height for d in ws.row_dimensions.values() if d.height is not None]
            assert max(heights, default=0) <= 409.5, (path.name, ws.title)
            assert ws.print_title_rows, (path.name, ws.title)  # header rows repeat on every page
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.value != "", (path.name, ws.title, cell.coordinate)  # blank is truly empty
            if ws.title != "汇总":
                forms += 1
                dates = [c.value for r in ws.iter_rows() for c in r if getattr(c, "is_date", False)]
                assert dates, ws.title  # 计划开始/完成日期 as real dates
    assert forms == 104


def test_excel_summary_totals_in_one_money_policy(workbooks):
    year = next(p for p in workbooks if p.name.startswith("2024"))
    ws = openpyxl.load_workbook(year)["汇总"]
    header = [c.value for c in ws[3]]
    assert header[4:6] == ["项目资金总额（万元）", "年度资金申请总额（万元）"]
    total = sum(Decimal(repr(r[5].value)) for r in ws.iter_rows(min_row=4)
                if isinstance(r[5].value, (int, float)) and r[2].value != "合计")
    assert total.quantize(Decimal("0.001")) == Decimal("8747.835")


def test_long_goal_prints_whole_through_libreoffice(workbooks, tmp_path):
    office = require_program("libreoffice", "soffice", package="libreoffice-calc-nogui")
    book = next(p for p in workbooks if p.name == "助残康复科.xlsx")
    done = subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(book)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    doc = pdfplumber.open(tmp_path / "助残康复科.pdf")
    pages = [p.extract_text() or "" for p in doc.pages]
    sheet = "".join(t for t in pages if t.startswith(LONG))  # the pages of that form's sheet
    goal = next(i for i in items() if i.project.name == LONG).project.goal_total
    from collections import Counter
    missing = Counter(re.sub(r"\s", "", goal)) - Counter(re.sub(r"\s", "", sheet))
    assert not missing, missing  # every character of the 671-character goal is printed
    assert "增强残疾人的身体素质。" in re.sub(r"\s", "", sheet)  # its very end too (what a short row cuts)


def test_a_goal_run_onto_the_next_page_finds_its_labels_there(run, workdir):
    """Issue 30 #3: a 项目总目标 too long for its page continues under its labels repeated
    (项目总目标 | 年度总体目标), not as a bare piece of text; and the PDF reads back the same."""
    require_weasyprint()
    path = workdir / "data" / "2024" / "妇联" / "妇女儿童维权.yaml"
    text = path.read_text(encoding="utf-8")
    long_goal = "".join(f"{i}. 开展妇女儿童权益保障宣传活动，覆盖全镇各居村，提升群众对维权渠道的知晓程度。" for i in range(1, 31))
    start = text.index("项目总目标: ") + len("项目总目标: ")
    end = text.index("\n", start)
    path.write_text(text[:start] + long_goal + text[end:], encoding="utf-8")
    result = run("render", "--format", "pdf", "--project", "妇女儿童维权", "-o", "out")
    assert result.exit_code == 0, result.output
    (made,) = (workdir / "out" / "2024").glob("*.pdf")
    with pdfplumber.open(made) as pdf:
        assert len(pdf.pages) >= 2
        second = "".join((pdf.pages[1].extract_text() or "").split())
    labels = second.index("项目总目标")
    assert labels < second.index("年度总体目标") < second.index("开展妇女儿童权益保障宣传活动")
    back, failed = pdf_import.read_source(made.read_bytes(), made.name, 2024)
    assert failed == [] and back[0].project.goal_total == long_goal


def _long_table(workdir: Path, rows: int = 40) -> Path:
    """妇科重症 with ``rows`` more 数量指标 rows: a form two printed pages long."""
    path = workdir / "data" / "2024" / "妇联" / "妇科重症.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = "      - {三级指标: 参保人数, 年度指标值: 23329人}\n"
    more = "".join(f"      - {{三级指标: 宣传活动第{i}场参与人数, 年度指标值: ≥{100 + i}人}}\n" for i in range(rows))
    path.write_text(text.replace(anchor, anchor + more, 1), encoding="utf-8")
    return path


def test_excel_pages_break_where_full_and_go_on_under_the_header_and_names(run, workdir):
    """Issue 30 #2: breaks come from the rows' heights at the print scale, only where a page is
    full; a page going on with the indicators repeats their header, and its first row carries the
    names of its 一级/二级 and of the side label; the workbook imports back to the same table."""
    from perfgoals.render.xlsx import PRINT_SCALE, page_height
    _long_table(workdir)
    assert run("render", "--format", "xlsx", "--unit", "妇联", "-o", "out").exit_code == 0
    book = workdir / "out" / "2024" / "妇联.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["妇科重症"]
    assert ws.page_setup.scale == PRINT_SCALE and not ws.sheet_properties.pageSetUpPr.fitToPage
    breaks = [b.id for b in ws.row_breaks.brk]
    assert len(breaks) >= 1

    def shown(row: int, col: int) -> str:
        for merged in ws.merged_cells.ranges:
            if merged.min_row <= row <= merged.max_row and merged.min_col <= col <= merged.max_col:
                return str(ws.cell(merged.min_row, merged.min_col).value or "")
        return str(ws.cell(row, col).value or "")

    title = sum(ws.row_dimensions[r].height for r in (1, 2))
    start = 1
    for brk in breaks:
        top = brk + 1  # the first sheet row of the next page (1-based)
        assert [shown(top, c) for c in range(2, 6)] == ["一级指标", "二级指标", "三级指标", "年度指标值"]
        side, level1, level2 = shown(top + 1, 1), shown(top + 1, 2), shown(top + 1, 3)
        assert side == "绩效指标" and level1 in ("产出指标", "效益指标", "满意度指标") and level2.endswith("指标")
        # the page before is full: its rows fit, and the next one would not have
        used = (title if start > 1 else 0) + sum(ws.row_dimensions[r].height for r in range(start, top))
        nxt = ws.row_dimensions[top].height + ws.row_dimensions[top + 1].height
        assert used <= page_height() < used + nxt
        assert used > 0.85 * page_height()
        start = top
    # every other form of the unit fits one page: no break
    assert all(not wb[name].row_breaks.brk for name in wb.sheetnames if name not in ("汇总", "妇科重症"))
    back = run("import", str(book), "--data", str(workdir / "back"))
    assert back.exit_code == 0, back.output
    a, _ = loader.load_file(workdir / "data" / "2024" / "妇联" / "妇科重症.yaml")
    b, _ = loader.load_file(workdir / "back" / "2024" / "妇联" / "妇科重症.yaml")
    assert _data(a) == _data(b)


def test_excel_forms_fill_their_pages_through_libreoffice(run, workdir, tmp_path):
    """The 妇联 workbook prints one page per form (9 pages before: early breaks, a row alone on a
    page), and the long form's page 2 starts with the indicator header, 一级 and 二级 names."""
    office = require_program("libreoffice", "soffice", package="libreoffice-calc-nogui")
    _long_table(workdir)
    assert run("render", "--format", "xlsx", "--unit", "妇联", "-o", "out").exit_code == 0
    book = workdir / "out" / "2024" / "妇联.xlsx"
    done = subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(book)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with pdfplumber.open(tmp_path / "妇联.pdf") as pdf:
        pages = ["".join((p.extract_text() or "").split()) for p in pdf.pages]
    breaks = len(openpyxl.load_workbook(book)["妇科重症"].row_breaks.brk)
    assert len(pages) == 1 + 4 + breaks + 1  # the list, four one-page forms, the long form's pages
    later = [t for t in pages if t.startswith("妇科重症")][1:]
    assert len(later) == breaks
    for text in later:
        assert text.index("一级指标") < text.index("二级指标") < text.index("三级指标") < text.index("年度指标值")
        assert "绩效指标" in text and any(name in text for name in ("产出指标", "效益指标", "满意度指标")), text[:80]


def test_browser_print_carries_the_group_names_onto_a_continued_page(run, workdir):
    """Issue 30 #7: printed from the browser (Chromium's print to PDF), a form whose indicators
    run onto a second page shows their 一级/二级 names on that page's first row, as the PDF does;
    on screen the page is as it was (the names are written only while printing)."""
    from .test_render import CHROMIUM_FLAGS
    chromium = require_program("chromium", "chromium-browser")
    _long_table(workdir)
    assert run("render", "--unit", "妇联", "-o", "out").exit_code == 0
    page = workdir / "out" / "2024" / "妇联" / "妇科重症.html"
    printed = workdir / "printed.pdf"
    done = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={workdir / '.chromium'}",
                           f"--print-to-pdf={printed}", "--no-pdf-header-footer", page.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert printed.is_file(), done.stderr[-2000:]
    with pdfplumber.open(printed) as pdf:
        assert len(pdf.pages) >= 2
        rows = pdf_import._rows(pdf.pages[1])
        words = ["".join((p.extract_text() or "").split()) for p in pdf.pages]
    first = next(cells for cells in rows if any(col == 3 and text.startswith("指标") for col, text in cells))
    columns = {col: "".join(text.split()) for col, text in first}
    assert columns.get(1) == "产出指标" and columns.get(2) == "数量指标", first
    assert words[0].count("产出指标") == 1  # page 1: the name once, where its group opens
    html = page.read_text(encoding="utf-8")
    assert 'class="first1' in html and not re.search(r'<tr class="[^"]*page-start', html)  # the file marks nothing
