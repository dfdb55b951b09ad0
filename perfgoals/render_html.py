"""HTML pages of the official form through Jinja templates. Only this module imports jinja2.

Settings and why: ``autoescape=True`` — a project text containing ``<script>`` or ``{{ }}``
is shown as text, never run or expanded; ``StrictUndefined`` — a typo in a template is an error,
not a silently empty cell. Templates come from ``--templates DIR`` first (any file there
overrides the shipped one), then the repository's ``templates/``, then the copy installed
under ``<prefix>/share/perfgoals/templates`` by a non-editable install.
"""

from __future__ import annotations

import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Iterator, Sequence

import jinja2

from . import __version__, formgrid
from .importers import safe_name
from .problems import InputError
from .summary import Item, convert

TEMPLATE_NAMES = ("base.html", "project.html", "unit.html", "index.html", "style.css")
REPO_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
INSTALLED_TEMPLATES = Path(sys.prefix) / "share" / "perfgoals" / "templates"


def template_dirs(override: Path | None = None) -> list[Path]:
    """Where templates are looked up, in order: --templates, the repository, the installed copy."""
    dirs = [override] if override else []
    dirs += [d for d in (REPO_TEMPLATES, INSTALLED_TEMPLATES) if d.is_dir()]
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


def page_names(items: Sequence[Item]) -> list[str]:
    """A safe, unique file name per project page."""
    taken: set[str] = set()
    names = []
    for item in items:
        stem = safe_name(item.project.name or "未命名项目")
        name = f"{stem}.html"
        n = 2
        while name.lower() in taken or name.lower() == "index.html":
            name = f"{stem}-{n}.html"
            n += 1
        taken.add(name.lower())
        names.append(name)
    return names


def render_site(items: Sequence[Item], year: int, env: jinja2.Environment, blank_slots: bool = True,
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


def _site(items: Sequence[Item], year: int, env: jinja2.Environment, blank_slots: bool,
          with_index: bool) -> Iterator[tuple[str, str]]:
    by_unit: dict[str, list[Item]] = {}
    for item in items:
        by_unit.setdefault(item.unit_folder or safe_name(item.project.unit or "未填实施单位"), []).append(item)
    project_t = env.get_template("project.html")
    unit_t = env.get_template("unit.html")
    units = []
    for unit in sorted(by_unit):
        members = by_unit[unit]
        folder = safe_name(unit)
        rows = []
        for item, name in zip(members, page_names(members)):
            p = item.project
            grid = formgrid.build(p, blank_slots)
            yield f"{folder}/{name}", project_t.render(
                project=p, grid=grid, widths=formgrid.WIDTHS, unit=unit, year=year,
                source=p.path or "", version=__version__)
            rows.append({"name": p.name or "（未命名）", "href": name, "category": p.category or p.nature or "",
                         "total": _wan(convert(item, p.funds.total, "万元")),
                         "annual": _wan(convert(item, p.annual.total, "万元"))})
        total = _sum([convert(i, i.project.funds.total, "万元") for i in members])
        annual = _sum([convert(i, i.project.annual.total, "万元") for i in members])
        yield f"{folder}/index.html", unit_t.render(unit=unit, year=year, projects=rows, total=_wan(total),
                                                    annual=_wan(annual), version=__version__)
        units.append({"name": unit, "href": f"{folder}/index.html", "count": len(members),
                      "total": _wan(total), "annual": _wan(annual), "raw": annual})
    if with_index:
        units.sort(key=lambda u: -u["raw"])
        yield "index.html", env.get_template("index.html").render(
            year=year, units=units, count=len(items),
            total=_wan(_sum([convert(i, i.project.funds.total, "万元") for i in items])),
            annual=_wan(_sum([convert(i, i.project.annual.total, "万元") for i in items])),
            version=__version__)
