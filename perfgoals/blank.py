"""`perfgoals new`: a blank project with every slot of the official form, ready to fill in."""

from __future__ import annotations

from pathlib import Path

from . import forms, units, yamlio
from . import model as m
from .naming import project_path


def blank_project(name: str, year: int, unit: str, department: str | None = None,
                  form: str = "town2024") -> m.Project:
    """A project whose every 一级/二级 group has one empty row, like the printed blank form.

    ``form`` is a target form's id or alias (`forms.named`: town2024 or 2024, shenbao101 or 101).
    """
    chosen = forms.named(form)
    empty = (m.Indicator(None, None),)
    groups = tuple(m.Group(level1, level2, empty) for level1, names in chosen.levels.items() for level2 in names)
    if chosen.layout:  # a form with its own words: only the fields it has
        has = {fld for _path, fld in chosen.layout}
        long = tuple(m.Group(level1, level2, empty) for level1, names in (chosen.blank or chosen.levels).items()
                     for level2 in names) if "long_groups" in has else ()
        return m.Project(
            name=name, year=year, category=None, department=department, unit=unit, money_unit=chosen.money_unit,
            start=f"{year}-01" if "term" in has else None, end=f"{year}-12" if "term" in has else None,
            funds=m.Funds(), annual=m.AnnualFunds(), period=None, goal_total=None, goal_annual=None,
            groups=groups, long_groups=long, form=chosen.id)
    return m.Project(
        name=name, year=year, category=None, nature=None, department=department, unit=unit,
        money_unit=chosen.money_unit,
        start=f"{year}-01-01", end=f"{year}-12-31",
        funds=m.Funds(), annual=m.AnnualFunds(),
        period=f"{year}年-{year}年", goal_total=None, goal_annual=None,
        groups=groups,
    )


def hints(project: m.Project) -> dict[str, str]:
    """End-of-line comments of a new file: what each field takes, in the clerk's words, keyed by
    the file's own top-level keys (a form with its own words gets them in its words)."""
    form = forms.of(project)
    notes = _hints(project, form)
    if form.layout:
        notes[m.K_START] = f"起止年月，写作 {project.year}01-{project.year}12"
        notes[m.K_INDICATORS] = "每行一个指标：{" + "、".join(form.row_keys) + "}；用不到的空行可删去"
    out: dict[str, str] = {}
    for path, note in notes.items():
        own = form.yaml_path(path)
        if own is not None and "." not in own:
            text = form.in_words(note)
            if not text.rstrip("；"):
                continue
            out[own] = f"{out[own]}；{text}" if own in out and text not in out[own] else text
    return out


def _hints(project: m.Project, form: forms.Form) -> dict[str, str]:
    money = project.money_unit
    notes = {
        m.K_CATEGORY: "勾选一项，写其名称：" + " / ".join(form.categories or m.CATEGORIES),
        m.K_DEPT: "实施单位的上级机构，如 浦江镇人民政府",
        m.K_START: f"日期写作 {project.start}（年-月-日）",
        m.K_MONEY_UNIT: "万元 或 元（下面的金额都以此为单位）",
        m.K_FUNDS: f"金额写数字（{money}），空着的写 0；" + _sum_words(form, "funds", ("total", "fiscal", "other")),
        m.K_ANNUAL: _sum_words(form, "annual", ("total", "appropriation", "carryover", "upper", "other")),
        m.K_INDICATORS: "每行一个指标：{三级指标: 名称, 年度指标值: ≥12次}；用不到的空行可删去，也可留着（不计入指标）",
    }
    if form.nature:
        notes[m.K_NATURE] = "写其中之一：" + " / ".join(m.NATURES)
    return notes


def _sum_words(form: forms.Form, block: str, fields: tuple[str, ...]) -> str:
    """"项目资金总额 = 财政资金 + 其他资金" in the form's own words (the parts it has)."""
    words = [path.rsplit(".", 1)[-1] for f in fields if (path := form.field_path(f"{block}.{f}")) is not None]
    return f"{words[0]} = {' + '.join(words[1:])}" if len(words) > 1 else ""


def new_files(data: Path, name: str, year: int, unit: str, new_unit: bool = False, department: str | None = None,
              form: str = "town2024") -> dict[str, str]:
    """What ``perfgoals new`` writes, path (relative to ``data``) → text; the project file first.

    ``unit`` is a folder or a full 实施单位 name known to the data directory; an unknown one is
    an InputError naming the closest units, unless ``new_unit`` (then units.yaml records it).
    """
    folder = units.folder_for(data, unit, allow_new=new_unit, creating=True)
    registry = units.load(data)
    listed = registry.get(folder, [])
    full = unit if unit in listed or not listed else listed[0]  # the full name typed, else the first known
    project = blank_project(name, year, full, department, form)
    doc = yamlio.document(project)
    for key, note in hints(project).items():  # two spaces before each "#", as fmt keeps them
        value = doc[key]
        shown = "" if isinstance(value, dict) else " " + ("null" if value is None else str(value))
        doc.yaml_add_eol_comment(note, key, column=len(key) + 1 + len(shown) + 2)
    writes = {project_path(year, folder, name): yamlio.dump(doc)}
    if full not in listed:
        writes[units.UNITS_FILE] = units.text(units.with_unit(registry, folder, full), data)
    return writes


def selfeval_files(data: Path, name: str, year: int, unit: str) -> dict[str, str]:
    """What ``perfgoals new --自评`` writes: the 自评表 of an existing target table, pre-filled
    from it (`selfeval.from_target`), next to it as ``<file name>.自评.yaml``."""
    from . import selfeval
    rel, project = _target(data, name, year, unit)
    header = f"{name} {year} 年度绩效自评表：由目标表预填，请填写全年预算数、全年执行数、实际完成值、分值和得分"
    return {str(selfeval.path_for(Path(rel))): selfeval.text(selfeval.from_target(project), header)}


def monitor_files(data: Path, name: str, year: int, unit: str, period: str) -> dict[str, str]:
    """What ``perfgoals new --监控`` writes: the 监控表 of an existing target table for the period
    1-N月, pre-filled from it (`monitor.from_target`), next to it as ``<file name>.监控.yaml``."""
    from . import monitor
    from .problems import InputError
    if monitor.months_of(period) is None:
        raise InputError(f"--period 应为 1-N月（N 为 1 到 12），如 1-7月，实为“{period}”")
    rel, project = _target(data, name, year, unit)
    header = (f"{name} {year} 年度绩效运行监控表（{period}）：由目标表预填，请填写执行数、全年预计执行数、"
              f"各指标的执行情况与全年预计完成情况；偏差原因取自 {' / '.join(monitor.REASONS)}，"
              f"完成目标可能性为 {' / '.join(monitor.LIKELIHOODS)}")
    return {str(monitor.path_for(Path(rel))): monitor.text(monitor.from_target(project, period), header)}


def _target(data: Path, name: str, year: int, unit: str) -> tuple[str, m.Project]:
    """The path (relative to ``data``) and the table of an existing target table, or an InputError
    saying where it is not (and which years do hold it)."""
    from . import loader
    from .problems import InputError
    folder = units.folder_for(data, unit)
    rel = project_path(year, folder, name)
    target = data / rel
    if not target.is_file():
        from .workspace import elsewhere, years_holding
        found = years_holding(data, project=name, unit=folder, besides=year)
        if found:
            raise InputError(f"{year} 年度没有项目“{name}”的目标表 {target}{elsewhere('该项目', found)}")
        raise InputError(f"找不到目标表 {target}：请先用 perfgoals new 或 perfgoals import 建立项目“{name}”")
    project, problems = loader.load_file(target)
    if project is None:
        first = problems[0]
        raise InputError(f"目标表无法读取：{first.path}:{first.line}: {first.message}")
    return rel, project
