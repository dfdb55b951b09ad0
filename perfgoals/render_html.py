"""HTML pages of the official form through Jinja templates. Only this module imports jinja2.

Settings and why: ``autoescape=True`` — a project text containing ``<script>`` or ``{{ }}``
is shown as text, never run or expanded; ``StrictUndefined`` — a typo in a template is an error,
not a silently empty cell. Templates come from ``--templates DIR`` first (any file there
overrides the shipped one), then the repository's ``templates/``, then the copy installed
under ``<prefix>/share/perfgoals/templates`` by a non-editable install.
"""

from __future__ import annotations

import itertools
from importlib import resources
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import jinja2

from . import __version__, formgrid
from .naming import safe_name
from .problems import InputError
from .model import Item
from .summary import convert



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
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs], encoding="utf-8"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )


def _wan(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


def _sum(values: Sequence[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


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


def render_site(items: Iterable[Item], year: int, env: jinja2.Environment, blank_slots: bool = True,
                with_index: bool = True) -> Iterator[tuple[str, str]]:
    """(relative path, HTML) for every project page, each unit page and the year's index.

    A broken template (syntax error, unknown variable) stops with a Chinese message naming
    the template file and line.
    """
    try:
        yield from _site(items, year, env, blank_slots, with_index)
    except jinja2.TemplateSyntaxError as e:
        raise InputError(f"模板 {e.filename or e.name}:{e.lineno} 有语法错误：{e.message}") from None
    except jinja2.UndefinedError as e:
        raise InputError(f"模板使用了不存在的变量：{e.message}（请检查 --templates 中的模板）") from None
    except jinja2.TemplateNotFound as e:
        raise InputError(f"找不到模板 {e.name}") from None


def _site(items: Iterable[Item], year: int, env: jinja2.Environment, blank_slots: bool,
          with_index: bool) -> Iterator[tuple[str, str]]:
    # Streams: projects arrive one at a time grouped by unit (files are sorted by path), so
    # memory holds one project and a line per project of its unit — not the whole year.
    project_t = env.get_template("project.html")
    unit_t = env.get_template("unit.html")
    units = []
    count = 0
    year_total = year_annual = Decimal(0)

    def unit_of(item: Item) -> str:
        return item.unit_folder or safe_name(item.project.unit or "未填实施单位")

    for unit, members in itertools.groupby(items, key=unit_of):
        folder = safe_name(unit)
        rows = []
        taken: set[str] = set()
        total = annual = Decimal(0)
        n = 0
        for item in members:
            p = item.project
            name = page_name(p.name, taken)
            grid = formgrid.build(p, blank_slots)
            yield f"{folder}/{name}", project_t.render(
                project=p, grid=grid, widths=formgrid.WIDTHS, unit=unit, year=year,
                source=p.path or "", version=__version__)
            t, a = convert(item, p.funds.total, "万元"), convert(item, p.annual.total, "万元")
            total += t or 0
            annual += a or 0
            n += 1
            rows.append({"name": p.name or "（未命名）", "href": name, "category": p.category or p.nature or "",
                         "total": _wan(t), "annual": _wan(a)})
        count += n
        year_total += total
        year_annual += annual
        yield f"{folder}/index.html", unit_t.render(unit=unit, year=year, projects=rows, total=_wan(total),
                                                    annual=_wan(annual), version=__version__)
        units.append({"name": unit, "href": f"{folder}/index.html", "count": n,
                      "total": _wan(total), "annual": _wan(annual), "raw": annual})
    if with_index:
        units.sort(key=lambda u: -Decimal(str(u["raw"])))
        yield "index.html", env.get_template("index.html").render(
            year=year, units=units, count=count, total=_wan(year_total), annual=_wan(year_annual),
            version=__version__)
