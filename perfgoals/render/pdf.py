"""PDF of the official form through WeasyPrint (CSS Paged Media). Only this module imports it.

The PDF prints the same HTML document and stylesheet as the browser (`html.print_document`):
A4 portrait, the project name and unit above and 第 N 页 / 共 M 页 below every page, the
indicator header repeated on every page, breaks only between indicator rows, long goal text
continued on the next page. Why WeasyPrint: it implements the CSS that does this (running
strings, page counters, repeated table headers, target-counter for the contents' page
numbers), writes real text with the fonts embedded as subsets, and needs no browser.

A page that starts inside a 一级/二级 group must show that group's labels again. CSS cannot
know where pages will start, so the document is laid out, the rows that start a page are read
off the layout, and it is laid out again with those rows marked — until nothing moves.

Byte-stable: fixed creation and modification dates; the same input gives the same bytes.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..model import Item
from ..naming import safe_name
from ..problems import InputError
from . import Request, Written, common, pick
from . import html as html_renderer

CREATED = "2024-01-01T00:00:00+00:00"
"""Fixed document dates: the same tables give byte-identical PDFs (a review can compare them)."""
MAX_PASSES = 4

INSTALL_HINT = ("生成 PDF 需要 WeasyPrint：在 perfgoals 仓库的根目录运行 pip install -e '.[pdf]'；"
                "Linux 另需 Pango 库（Debian/Ubuntu：apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
                "fonts-noto-cjk），macOS：brew install pango，Windows：见 README 中的说明")


def _weasyprint() -> Any:
    try:
        import weasyprint
    except ImportError:
        raise InputError(INSTALL_HINT) from None
    except OSError as e:  # the Python package is there, the system's Pango libraries are not
        raise InputError(f"{INSTALL_HINT}（缺少系统库：{e}）") from None
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # CSS it does not know is not the user's problem
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return weasyprint


def _first(box: Any, tag: str, attribute: str) -> str | None:
    """The ``attribute`` of the first ``tag`` element laid out in a page's box tree."""
    element = getattr(box, "element", None)
    if getattr(box, "element_tag", None) == tag and element is not None and element.get(attribute):
        return str(element.get(attribute))
    for child in getattr(box, "children", ()):
        found = _first(child, tag, attribute)
        if found is not None:
            return found
    return None


def write_pdf(items: Sequence[Item], title: str, subtitle: str, templates: Path | None, cover: bool,
              blank_slots: bool, official: bool, names: Mapping[str, str]) -> tuple[bytes, int]:
    """The PDF of one or many forms (with a cover, contents and 汇总 when ``cover``), and its
    number of pages."""
    weasyprint = _weasyprint()
    env = html_renderer.environment(templates)
    base = str(html_renderer.shipped_templates())

    def lay_out(forms: Sequence[html_renderer.PrintForm], with_cover: bool, front: bool = False,
                starts: frozenset[int] = frozenset()) -> Any:
        source = html_renderer.print_document(forms, title, subtitle, env, with_cover, CREATED, names, front, starts)
        return weasyprint.HTML(string=source, base_url=base).render()

    # Each form starts on a new page, so where its pages start depends on that form alone: find
    # the rows to mark form by form (cheap), then lay out the whole document once.
    forms = [_settled(f, lay_out) for f in html_renderer.print_forms(items, blank_slots, official)]
    starts: frozenset[int] = frozenset()
    if cover:  # the 汇总 ahead of the forms: its pages break where they do whatever follows
        # (a "（续）" fits the cell the unit's name leaves empty, so marking moves no break)
        starts = _summary_marks(lay_out(forms, True, True))
    document = lay_out(forms, cover, starts=starts)
    return bytes(document.write_pdf()), len(document.pages)


def _settled(form: html_renderer.PrintForm, lay_out: Any) -> html_renderer.PrintForm:
    """The form with the rows that start a page marked, laid out until the marks stop moving."""
    for _ in range(MAX_PASSES):
        document = lay_out([form], False)
        if len(document.pages) == 1:
            return form
        marks = _marks(document, [form])[form.anchor]
        if marks == form.page_starts:
            return form
        form = replace(form, page_starts=marks)
    return form


def _summary_marks(document: Any) -> frozenset[int]:
    """The 汇总's rows that open a page inside a unit (they name the unit again, with （续）)."""
    marks = set()
    for page in document.pages:
        if _first(page._page_box, "section", "id") != "summary":
            continue
        row = _first_row(page._page_box)
        if row is not None and row.get("data-inside"):
            marks.add(int(row.get("data-sum")))
    return frozenset(marks)


def _first_row(box: Any, in_body: bool = False) -> Any:
    """The element of the first body row laid out in a page's box tree (None: no row there)."""
    tag = getattr(box, "element_tag", None)
    if tag == "tr" and in_body:
        return getattr(box, "element", None)
    for child in getattr(box, "children", ()):
        found = _first_row(child, in_body or tag == "tbody")
        if found is not None:
            return found
    return None


def _marks(document: Any, forms: Sequence[Any]) -> dict[str, frozenset[int]]:
    """Per form, the rows that start a page but do not open their group (they repeat the labels)."""
    by_page: dict[str, set[int]] = {f.anchor: set() for f in forms}
    for page in document.pages:
        section = _first(page._page_box, "section", "id")  # a form's <section id="form-N">
        first = _first(page._page_box, "tr", "data-row")
        if section is None or first is None or section not in by_page:
            continue
        row = int(first)
        form = next(f for f in forms if f.anchor == section)
        opening = next((r for r in form.layout.rows if r.index == row), None)
        if opening is not None and not (opening.first1 and opening.first2):
            by_page[section].add(row)
    return {k: frozenset(v) for k, v in by_page.items()}


def render(req: Request) -> Written:
    """``render --format pdf``: one PDF per project (``--project``), per unit (``--unit``: all its
    forms), or the whole year (cover, contents by unit with page numbers, 汇总, every form)."""
    from ..corpus import load
    weasyprint = _weasyprint()  # say what to install before reading anything
    if req.beside:
        return _beside(req, weasyprint)
    items = pick(load(req.files), req.project, req.elsewhere)
    out = req.out / str(req.year)
    year_title = f"{req.year} 年度财政项目支出绩效目标表"
    if req.project is not None:
        name = safe_name(req.project)
        data, pages = write_pdf(items, f"{req.project}", year_title, req.templates, False, req.blank_slots, req.official,
                                req.unit_names)
    elif req.unit is not None:
        unit = common.units(items, req.unit_names)[0]
        name = safe_name(unit.folder)
        data, pages = write_pdf(items, f"{unit.name} {year_title}", _issuer(items), req.templates,
                                len(items) > 1, req.blank_slots, req.official, req.unit_names)
    else:
        name = f"{req.year}年度绩效目标表"
        data, pages = write_pdf(items, year_title, _issuer(items), req.templates, True, req.blank_slots, req.official,
                                req.unit_names)
    if req.progress:
        req.progress(len(req.files))
    path = common.write_inside(out, f"{name}.pdf", data)
    return Written([path], f"已生成 {path}（{pages} 页）")


def _beside(req: Request, weasyprint: Any) -> Written:
    """``render --自评`` or ``--监控`` with ``--format pdf``: one PDF per unit, printed as the
    target tables are (one document: one page count, the indicator header repeated on every page,
    rows never split, 一级/二级 names carried onto a new page, a bookmark per form)."""
    from .. import forms
    from ..forms.base import KIND_WORDS
    from . import beside, file_word
    out = req.out / str(req.year)
    written = []
    for unit, group in beside(req):
        items = [Item(document, unit) for document in group]
        title = f"{unit} {req.year} 年度{forms.of(group[0]).title}"
        data, _pages = write_pdf(items, title, "", req.templates, False, req.blank_slots, req.official,
                                 req.unit_names)
        written.append(common.write_inside(out, f"{safe_name(unit)}-{file_word(req.kind)}.pdf", data))
    return Written(written, f"已生成 {len(written)} 个{KIND_WORDS[req.kind]} PDF 到 {out}")


def _issuer(items: Sequence[Item]) -> str:
    """Who publishes the year's tables: the 主管部门 most of them name (浦江镇人民政府)."""
    return common.commonest([i.project.department for i in items if i.project.department]) or ""
