"""HTML pages of the official form through Jinja templates. Only this module imports jinja2.

Settings and why: ``autoescape=True`` — a project text containing ``<script>`` or ``{{ }}``
is shown as text, never run or expanded; ``StrictUndefined`` — a typo in a template is an error,
not a silently empty cell; ``auto_reload=False`` — a template is read once a run (a year's render
checked four template files' dates per page). Templates come from ``--templates DIR`` first (any file there
overrides the shipped one), then the shipped ones: the repository's ``templates/`` folder,
installed as the package ``perfgoals.templates`` and found through importlib.resources.

The PDF renderer prints the document this module writes (`print_document`), so the web page,
the browser's print-out and the PDF share one template and one stylesheet.
"""

from __future__ import annotations

import functools
import itertools
import re
import sys
from dataclasses import dataclass, replace
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from .. import __version__, formgrid
from ..model import Item
from ..naming import safe_name
from ..units import of as unit_of
from ..problems import InputError
from ..atomic import Writer
from ..runtime import POOL_THRESHOLD, workers
from ..workspace import UnitFolders, YearListing, project_files
from . import Request, Written, common, pick


def shipped_templates() -> Path:
    """The folder of the shipped templates, wherever this install put it."""
    return Path(str(resources.files("perfgoals.templates")))


def template_dirs(override: Path | None = None) -> list[Path]:
    """Where templates are looked up, in order: --templates, then the shipped ones."""
    dirs = [override] if override else []
    dirs += [d for d in (shipped_templates(),) if d.is_dir()]
    return dirs


def environment(override: Path | None = None) -> jinja2.Environment:
    if override is not None and not override.is_dir():
        raise InputError(f"模板目录不存在：{override}")
    dirs = template_dirs(override)
    if not any((d / "project.html").is_file() for d in dirs):
        raise InputError("找不到 HTML 模板（templates/project.html）：安装可能不完整，请重新安装 perfgoals")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs], encoding="utf-8"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a run: no file date checked per page
    )
    env.filters["words"] = words
    env.filters["prose"] = prose
    return env


def words(text: object) -> Markup:
    """A short text of the form as words a line breaks between, never inside (`common.word_chunks`):
    each word up to 6 characters kept whole; a longer one may still break, so it never overflows."""
    chunks = common.word_chunks(str(text or ""))
    if len(chunks) < 2:
        return escape(str(text or ""))
    return Markup("").join(Markup('<span class="w">{}</span>').format(c) if len(c) <= 6 else escape(c) for c in chunks)


#: A Chinese character followed by an opening quote: Unicode's line breaking (UAX #14, class QU)
#: glues the quote to both its neighbours.
_GLUED_QUOTE = re.compile(r"(?<=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])(?=[“‘])")


def prose(text: object) -> Markup:
    """A long text of the form (a goal, a value) with a line break allowed between a Chinese
    character and the opening quote after it: "拟定“1+7+18+N”的" could otherwise only break inside
    拟定 ("拟 / 定“1+7+18+N”的"); with a <wbr> there the line ends after 拟定.

    >>> str(prose("拟定“1+7+18+N”的布局")), str(prose("a < “b”"))
    ('拟定<wbr>“1+7+18+N”的布局', 'a &lt; “b”')
    """
    return Markup(_GLUED_QUOTE.sub("<wbr>", str(escape(str(text or "")))))


def page_name(project_name: str | None, taken: set[str]) -> str:
    """A safe file name for a project page, unique among ``taken`` (which it extends)."""
    stem = safe_name(project_name or "未命名项目")
    name = f"{stem}.html"
    n = 2
    while name.lower() in taken or name.lower() == "index.html":
        name = f"{stem}-{n}.html"
        n += 1
    taken.add(name.lower())
    return name


def href(name: str) -> str:
    """A relative link to a file name: a "#" or "%" in a project name is part of the name."""
    return quote(name)


def _templates_errors(fn: Any) -> Any:
    """A broken template (syntax error, unknown variable) stops with a Chinese message naming it."""
    try:
        return fn()
    except jinja2.TemplateSyntaxError as e:
        raise InputError(f"模板 {e.filename or e.name}:{e.lineno} 有语法错误：{e.message}") from None
    except jinja2.UndefinedError as e:
        raise InputError(f"模板使用了不存在的变量：{e.message}（请检查 --templates 中的模板）") from None
    except jinja2.TemplateNotFound as e:
        raise InputError(f"找不到模板 {e.name}") from None


def render_site(items: Iterable[Item], year: int, env: jinja2.Environment, blank_slots: bool = True,
                with_index: bool = True, official: bool = False, index_link: bool | None = None,
                names: Mapping[str, str] | None = None) -> Iterator[tuple[str, str | Iterator[str]]]:
    """(relative path, HTML) for every project page, each unit page and the year's index.

    ``index_link``: pages link to the year's index (default: when it is written now); ``names``:
    the units' full names (`units.names`)."""
    site = _site(items, year, env, blank_slots, with_index, official,
                 with_index if index_link is None else index_link, names or {})
    while True:
        page = _templates_errors(lambda: next(site, None))
        if page is None:
            return
        yield page


def _site(items: Iterable[Item], year: int, env: jinja2.Environment, blank_slots: bool,
          with_index: bool, official: bool, index_link: bool,
          names: Mapping[str, str]) -> Iterator[tuple[str, str | Iterator[str]]]:
    # Streams: projects arrive one at a time grouped by unit (files are sorted by path), so
    # memory holds one project and a line per project of its unit — not the whole year.
    units: list[_IndexLine] = []
    for folder, members in itertools.groupby(items, key=unit_of):
        yield from _unit_site(folder, members, year, env, blank_slots, official, index_link, units, names)
    if with_index:
        yield "index.html", _index_page(units, year, env)


def _unit_site(folder: str, members: Iterable[Item], year: int, env: jinja2.Environment, blank_slots: bool,
               official: bool, index_link: bool, units: list[_IndexLine],
               names: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """The pages of one unit folder: a page per project, then the unit's page; its line on the
    year's index goes to ``units`` when the unit is done."""
    project_t = env.get_template("project.html")
    unit_t = env.get_template("unit.html")
    full = names
    folder = safe_name(folder)
    rows = []
    lines: list[common.ProjectLine] = []
    taken: set[str] = set()
    given: list[str] = []
    for item in members:
        p = item.project
        name = page_name(p.name, taken)
        if p.unit:
            given.append(p.unit)
        layout = formgrid.layout(formgrid.build(p, blank_slots, official))
        yield f"{folder}/{name}", project_t.render(
            project=p, layout=layout, widths=layout.widths, unit=folder,
            unit_name=p.unit or folder, year=year, source=p.path or "", version=__version__,
            index_link=index_link)
        line = common.project_line(item)
        lines.append(line)
        rows.append({"name": line.name, "href": href(name), "category": p.category or p.nature or "",
                     "total": common.money(line.total), "annual": common.money(line.annual)})
    unit = common.UnitLine(folder, full.get(folder) or common.commonest(given) or folder, lines)
    yield f"{folder}/index.html", unit_t.render(
        unit=unit.name, folder=folder, year=year, projects=rows, total=common.money(unit.total),
        annual=common.money(unit.annual), version=__version__, index_link=index_link)
    units.append(_IndexLine(unit.name, folder, len(lines), unit.total, unit.annual))


def _index_page(units: list[_IndexLine], year: int, env: jinja2.Environment) -> Iterator[str]:
    """The year's index page, a line per unit (thousands in a city): made as it is written."""
    units.sort(key=lambda u: -u.raw)
    total = sum((u.raw_total for u in units), common.ZERO)
    annual = sum((u.raw for u in units), common.ZERO)
    return _guarded(env.get_template("index.html").generate(
        year=year, units=units, count=sum(u.count for u in units), total=common.money(total),
        annual=common.money(annual), version=__version__))


@dataclass(frozen=True, slots=True)
class _IndexLine:
    """A unit's line on the year's index page (a city's year has thousands): its texts are made
    when the page is written, not kept."""

    name: str
    folder: str
    count: int
    raw_total: Decimal
    raw: Decimal  # 年度资金申请总额: the index is sorted by it

    @property
    def href(self) -> str:
        return href(self.folder) + "/index.html"

    @property
    def total(self) -> str:
        return common.money(self.raw_total)

    @property
    def annual(self) -> str:
        return common.money(self.raw)


def _guarded(parts: Iterator[str]) -> Iterator[str]:
    """A template's output as it is made, its errors told in Chinese like a whole page's."""
    while True:
        part = _templates_errors(lambda: next(parts, None))
        if part is None:
            return
        yield part


@dataclass(frozen=True)
class PrintForm:
    """One form of a printed document, with the rows where a printed page starts inside a group."""

    item: Item
    layout: formgrid.Layout
    anchor: str
    unit: str
    page_starts: frozenset[int] = frozenset()

    @property
    def project(self) -> Any:
        return self.item.project


def print_forms(items: Sequence[Item], blank_slots: bool, official: bool) -> list[PrintForm]:
    """The forms of a printed document in order, each with an anchor for the contents list."""
    return [PrintForm(i, formgrid.layout(formgrid.build(i.project, blank_slots, official)), f"form-{n}",
                      i.project.unit or unit_of(i))
            for n, i in enumerate(items, start=1)]


def print_document(forms: Sequence[PrintForm], title: str, subtitle: str, env: jinja2.Environment,
                   cover: bool, created: str, names: Mapping[str, str], front: bool = False,
                   summary_starts: frozenset[int] = frozenset()) -> str:
    """The HTML of a printed document: optional cover, contents and 汇总 (target tables: they
    add up money), then every form. ``front``: the cover, contents and 汇总 alone (where the
    汇总's pages break does not depend on the forms after it); ``summary_starts``: the 汇总's rows
    that open a page inside a unit, which name the unit again with （续）."""
    units = []
    anchors = {id(f.item): f.anchor for f in forms}
    lines = common.units([f.item for f in forms], names) if cover else []
    for unit in lines:
        units.append({
            "name": unit.name, "count": len(unit.projects), "anchor": anchors[id(unit.projects[0].item)],
            "total": common.money(unit.total), "annual": common.money(unit.annual),
            "projects": [{"name": p.name, "anchor": anchors[id(p.item)], "total": common.money(p.total),
                          "annual": common.money(p.annual)} for p in unit.projects],
        })
    total = sum((u.total for u in lines), common.ZERO)
    annual = sum((u.annual for u in lines), common.ZERO)
    return str(_templates_errors(lambda: env.get_template("print.html").render(
        title=title, subtitle=subtitle, cover=cover, units=units, count=len(forms),
        total=common.money(total), annual=common.money(annual), forms=() if front else forms, widths=formgrid.WIDTHS,
        version=__version__, created=created, summary_starts=summary_starts)))


def beside_page(document: Any, env: jinja2.Environment, year: int, unit: str, source: str = "") -> str:
    """The HTML page of a form kept beside a target table: a 自评表 with the scores the rules
    give, a 监控表 with its 序时进度, 执行率 and 预警."""
    if hasattr(document, "months"):
        from ..monitor import compute as monitoring
        found = monitoring.status(document)
        shown = {k: "—" if v is None else f"{monitoring.percent(v)}%" for k, v in (
            ("elapsed", found.elapsed), ("rate", found.rate), ("ratio", found.ratio), ("forecast", found.forecast_rate))}
        return str(_templates_errors(lambda: env.get_template("monitor.html").render(
            layout=formgrid.layout(formgrid.build(document)), document=document, status=found, shown=shown,
            name=document.name or "（未命名项目）", unit=unit, year=year, source=source, version=__version__)))
    return selfeval_page(document, env, year, unit, source)


def selfeval_page(evaluation: Any, env: jinja2.Environment, year: int, unit: str, source: str = "") -> str:
    """The HTML page of one 自评表 (its grid, and the scores the rules give)."""
    from .. import scoring
    return str(_templates_errors(lambda: env.get_template("selfeval.html").render(
        layout=formgrid.layout(formgrid.build_selfeval(evaluation)), evaluation=evaluation,
        scored=scoring.score(evaluation),
        name=evaluation.name or "（未命名项目）", unit=unit, year=year, source=source, version=__version__)))


def render(req: Request) -> Written:
    """``render --format html``: a page per project, per unit, and the year's index."""
    from ..corpus import iter_load, load
    env = environment(req.templates)
    if req.beside:
        from ..forms.base import KIND_WORDS
        from . import beside, file_word
        out = req.out / str(req.year)
        pages = []
        for unit, group in beside(req):
            taken: set[str] = set()
            for document in group:
                rel = f"{safe_name(unit)}/{page_name((document.name or '') + '-' + file_word(req.kind), taken)}"
                pages.append(common.write_inside(out, rel, beside_page(document, env, req.year, unit, document.path)))
        return Written(pages, f"已生成 {len(pages)} 个{KIND_WORDS[req.kind]}网页到 {out}")
    # a whole year is tens of thousands of pages: count them and keep the ones worth opening
    count = 0
    written: list[Path] = []
    out = req.out / str(req.year)
    broken: list[Any] = []
    listing = req.listing
    procs = workers(req.jobs)
    if listing is not None and procs > 1 and req.listed >= POOL_THRESHOLD and "" not in listing.units:
        return _render_pooled(req, listing, env, out, procs)
    if listing is not None and "" not in listing.units:  # unit by unit: the file list is never whole
        stream: Iterable[Item] = (i for unit in listing.units for i in iter_load(listing.files(unit), broken))
    elif listing is not None:
        # tables outside any unit folder go under their 实施单位, maybe beside its folder: in path order
        stream = iter_load(project_files([listing.folder], listing.data, listing.year), broken)
    elif req.whole:
        stream = iter_load(req.files, broken)
    else:  # a selection: load to find it (and suggest close names)
        stream = pick(load(req.files), req.project, req.elsewhere)
    # a unit or project rendered later keeps its link to an index a whole-year render wrote
    index_link = req.whole or (out / "index.html").is_file()
    with Writer() as writer:  # pages are written on threads while the next one is made
        for rel, html in render_site(stream, req.year, env, req.blank_slots, with_index=req.whole,
                                     official=req.official, index_link=index_link, names=req.unit_names):
            path = common.write_inside(out, rel, html, writer)
            count += 1
            if not req.whole or rel == "index.html":
                written.append(path)
            if req.progress and not rel.endswith("index.html"):
                req.progress(1)
    if broken:
        from ..corpus import broken_message
        raise InputError(broken_message(broken) + f"\n（其余 {count} 个网页已生成到 {out}）")
    first = out / "index.html" if req.whole else written[0] if req.project else written[-1]
    return Written(written, f"已生成 {count} 个网页到 {out}（打开 {first}）")


# -- a whole year on every core ------------------------------------------------------------------

@dataclass(frozen=True)
class _Part:
    """A run of whole unit folders for one worker process (it lists their files itself), and how
    to render them."""

    units: UnitFolders
    year: int
    out: Path
    templates: Path | None
    blank_slots: bool
    official: bool
    #: the full names of its unit folders only (`units.names`)
    names: Mapping[str, str]


def _render_pooled(req: Request, listing: YearListing, env: jinja2.Environment, out: Path, procs: int) -> Written:
    """A whole year's pages made by ``procs`` worker processes, a run of unit folders each (the
    pages of a unit link only to each other and to the year's index); the index is written here
    from the units' lines, as a single process writes it. Only unit names go to the workers."""
    from ..corpus import broken_message
    from ..runtime import pool_context

    size = max(1, len(listing.units) // (procs * 16))
    parts = (_Part(listing.part(listing.units[i:i + size]), req.year, out, req.templates, req.blank_slots, req.official,
                   {u: req.unit_names[u] for u in listing.units[i:i + size] if u in req.unit_names})
             for i in range(0, len(listing.units), size))
    units: list[_IndexLine] = []
    broken: list[Any] = []
    count = 0
    with pool_context().Pool(procs) as pool:
        for lines, made, unreadable in pool.imap(_render_part, parts):
            # the folder names the listing holds already, not a copy per line from the worker
            units.extend(replace(line, folder=sys.intern(line.folder)) for line in lines)
            broken.extend(unreadable)
            count += made
            if req.progress:
                req.progress(sum(line.count for line in lines) + len(unreadable))
    index = common.write_inside(out, "index.html", _index_page(units, req.year, env))
    count += 1
    if broken:
        raise InputError(broken_message(broken) + f"\n（其余 {count} 个网页已生成到 {out}）")
    return Written([index], f"已生成 {count} 个网页到 {out}（打开 {index}）")


def _render_part(part: _Part) -> tuple[list[_IndexLine], int, list[Any]]:
    """In a worker: the pages of a run of unit folders, written; their index lines, how many
    pages, and the files that could not be read."""
    from ..corpus import iter_load
    env = _worker_environment(part.templates)
    broken: list[Any] = []
    units: list[_IndexLine] = []
    count = 0
    with Writer() as writer:
        for unit in part.units.units:
            members = iter_load(part.units.files(unit), broken)
            for folder, group in itertools.groupby(members, key=unit_of):
                pages = _unit_site(folder, group, part.year, env, part.blank_slots, part.official, True, units,
                                   part.names)
                while True:
                    page = _templates_errors(lambda: next(pages, None))
                    if page is None:
                        break
                    common.write_inside(part.out, page[0], page[1], writer)
                    count += 1
    return units, count, broken


@functools.lru_cache(maxsize=4)
def _worker_environment(templates: Path | None) -> jinja2.Environment:
    return environment(templates)
