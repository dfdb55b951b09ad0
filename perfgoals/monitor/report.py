"""`perfgoals monitor`: the 监控表 read, their status computed (`status`), and shown per project
(worst first), per unit and for the whole town, as text, JSON, CSV, Markdown or a workbook."""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from typing import Any, Callable, Mapping, Sequence

from .. import report
from ..problems import InputError
from ..workspace import ProjectFile
from .reader import load_file
from .compute import GREEN, ORDER, RED, UNKNOWN, YELLOW, Status, Thresholds, percent, status

#: the 预警 colours in a workbook (Excel's own light fills for bad, neutral, good)
FILLS = {RED: "#FFC7CE", YELLOW: "#FFEB9C", GREEN: "#C6EFCE"}

PROJECT_COLUMNS = [
    report.Column("文件"), report.Column("项目名称"), report.Column("实施单位"), report.Column("监控期间"),
    report.Column("序时进度%", "percent"), report.Column("执行率%", "percent"), report.Column("进度比%", "percent"),
    report.Column("预警"), report.Column("预计执行率%", "percent"), report.Column("落后于序时进度（万元）", "money"),
    report.Column("可能无法完成的指标", "int"), report.Column("需要纠偏"),
]


def load(files: Sequence[ProjectFile], thresholds: Thresholds) -> list[tuple[ProjectFile, Status]]:
    """Every 监控表 with its status, worst first; a file that cannot be read stops the run with
    its file, line and column (exit 2), as `perfgoals score` does."""
    out, broken = [], []
    for f in files:
        mon, problems = load_file(f.path, f.shown)
        if mon is None or problems:
            broken.extend(problems)
            continue
        out.append((f, status(mon, thresholds)))
    if broken:
        raise InputError("以下监控表无法读取，请先修正（perfgoals lint 可列出全部问题）：\n"
                         + "\n".join(f"  {p.path}:{p.line}:{p.column}: {p.message}" for p in broken[:20]))
    out.sort(key=lambda fs: (ORDER[fs[1].light], fs[1].ratio if fs[1].ratio is not None else Decimal(0), fs[0].shown))
    return out


def _unit(f: ProjectFile, s: Status) -> str:
    return f.unit or s.monitor.unit or ""


def projects(rows: Sequence[tuple[ProjectFile, Status]]) -> report.Table:
    body = [[f.shown, s.monitor.name, _unit(f, s), s.monitor.period, percent(s.elapsed), percent(s.rate),
             percent(s.ratio), s.light, percent(s.forecast_rate), s.behind, len(s.at_risk),
             "是" if s.needs_action else "否"] for f, s in rows]
    return report.Table("绩效运行监控（按预警由重到轻）", PROJECT_COLUMNS, body, fills=FILLS, notes=[
        "序时进度 = 监控月数 / 12；执行率 = 年度资金总额的执行数 / 全年预算数；进度比 = 执行率 / 序时进度；"
        "预警：红 进度比低于 60%，黄 60%–80%，绿 80% 及以上（可在 .perfgoals.yaml 的 monitor 中调整）"])


def units(rows: Sequence[tuple[ProjectFile, Status]]) -> report.Table:
    """Per unit and for the whole town: projects, how many of each colour, money behind."""
    by: dict[str, list[Status]] = defaultdict(list)
    for f, s in rows:
        by[_unit(f, s)].append(s)
    columns = [report.Column("实施单位"), report.Column("项目数", "int"),
               *(report.Column(c, "int") for c in (RED, YELLOW, GREEN, UNKNOWN)),
               report.Column("落后于序时进度（万元）", "money"), report.Column("需要纠偏", "int")]

    def line(name: str, group: Sequence[Status]) -> list[Any]:
        return [name, len(group), *(sum(1 for s in group if s.light == c) for c in (RED, YELLOW, GREEN, UNKNOWN)),
                sum((s.behind for s in group if s.behind is not None), Decimal(0)),
                sum(1 for s in group if s.needs_action)]
    body = sorted((line(u, g) for u, g in by.items()), key=lambda r: (-r[2], -r[3], r[0]))
    return report.Table("各单位监控汇总", columns, body, footer=line("合计", [s for _f, s in rows]))


def _num(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def as_json(rows: Sequence[tuple[ProjectFile, Status]]) -> str:
    """The per-project results with the form's words as keys."""
    out = [{
        "文件": f.shown, "项目名称": s.monitor.name, "实施单位": _unit(f, s), "监控期间": s.monitor.period,
        "序时进度": _num(percent(s.elapsed)), "执行率": _num(percent(s.rate)), "进度比": _num(percent(s.ratio)),
        "预警": s.light, "预计执行率": _num(percent(s.forecast_rate)), "落后于序时进度": _num(s.behind),
        "可能无法完成的指标": [{"指标": name, "原因": why} for _path, name, why in s.at_risk],
        "需要纠偏": s.needs_action,
    } for f, s in rows]
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def as_text(rows: Sequence[tuple[ProjectFile, Status]]) -> str:
    parts = [report.as_text(projects(rows)), "", report.as_text(units(rows))]
    risky = [(f, s) for f, s in rows if s.at_risk]
    if risky:
        parts += ["", "可能无法完成的指标："]
        for f, s in risky:
            parts += [f"  {f.shown}（{s.monitor.name}）"] + [f"    {name}：{why}" for _p, name, why in s.at_risk]
    return "\n".join(parts).rstrip("\n") + "\n"


def as_markdown(rows: Sequence[tuple[ProjectFile, Status]]) -> str:
    """For a pull request or a briefing: the town's counts, the red and yellow projects, then all."""
    total = units(rows).footer or []
    head = (f"**绩效运行监控**：{len(rows)} 个项目，红 {total[2]} 个、黄 {total[3]} 个、绿 {total[4]} 个、"
            f"无法计算 {total[5]} 个；落后于序时进度的资金共 {report.shown(total[6], 'money')} 万元。\n")
    return "\n".join([head, report.as_markdown(projects(rows)), "", report.as_markdown(units(rows))])


def as_csv(rows: Sequence[tuple[ProjectFile, Status]]) -> str:
    return report.as_csv(projects(rows))


FORMATS: Mapping[str, Callable[[Sequence[tuple[ProjectFile, Status]]], str]] = {
    "text": as_text, "json": as_json, "csv": as_csv, "markdown": as_markdown,
}
