"""`perfgoals score`: 自评表 read, scored by `scoring`, and written as text, json, csv or a table."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any, Callable, Mapping, Sequence

from . import report, scoring, selfeval
from .problems import InputError
from .workspace import ProjectFile

PROJECT_COLUMNS = [
    report.Column("文件"), report.Column("项目名称"), report.Column("实施单位"),
    report.Column("表上执行率", "percent"), report.Column("执行率", "percent"),
    report.Column("表上预算得分", "percent"), report.Column("预算得分", "percent"),
    report.Column("表上总分", "percent"), report.Column("总分", "percent"), report.Column("差额", "percent"),
    report.Column("等级"),
]


def load(files: Sequence[ProjectFile], policy: scoring.Policy) -> list[tuple[ProjectFile, scoring.Scored]]:
    """Every 自评表 scored; a file that cannot be read stops the run with its file and line."""
    out, broken = [], []
    for f in files:
        evaluation, problems = selfeval.load_file(f.path, f.shown)
        if evaluation is None or problems:
            broken.extend(problems)
            continue
        out.append((f, scoring.score(evaluation, policy)))
    if broken:
        raise InputError("以下自评表无法读取，请先修正（perfgoals lint 可列出全部问题）：\n"
                         + "\n".join(f"  {p.path}:{p.line}:{p.column}: {p.message}" for p in broken[:20]))
    return out


def _unit(f: ProjectFile, s: scoring.Scored) -> str:
    return f.unit or s.evaluation.unit or ""


def _diff(s: scoring.Scored) -> Decimal | None:
    return None if s.evaluation.total is None else s.evaluation.total - s.total


def projects(scored: Sequence[tuple[ProjectFile, scoring.Scored]], title: str) -> report.Table:
    rows = [[f.shown, s.evaluation.name, _unit(f, s), s.evaluation.stated_rate, s.rate, s.evaluation.budget_score,
             s.budget_score, s.evaluation.total, s.total, _diff(s), s.grade] for f, s in scored]
    return report.Table(title, PROJECT_COLUMNS, rows,
                        notes=["执行率、预算得分、总分按财预〔2020〕10号的方法计算；差额 = 表上总分 − 计算的总分"])


def units(scored: Sequence[tuple[ProjectFile, scoring.Scored]], grades: Sequence[str]) -> report.Table:
    """Per unit: projects, average computed 总分, how many of each grade."""
    by: dict[str, list[scoring.Scored]] = defaultdict(list)
    for f, s in scored:
        by[_unit(f, s)].append(s)
    columns = [report.Column("实施单位"), report.Column("项目数", "int"), report.Column("平均总分", "percent"),
               *(report.Column(g, "int") for g in grades)]
    rows = []
    for unit in sorted(by):
        items = by[unit]
        count = Counter(s.grade for s in items)
        average = sum((s.total for s in items), Decimal(0)) / len(items)
        rows.append([unit, len(items), average, *(count.get(g, 0) for g in grades)])
    return report.Table("各单位自评得分", columns, rows)


def _indicator_lines(s: scoring.Scored) -> list[str]:
    rows = {p: r for p, _g, _i, r in s.evaluation.rows()}
    lines = []
    for i in s.indicators:
        row = rows[i.path]
        if i.band is not None:
            rule = f"定性·{i.tier}（{report.shown(i.band[0], 'percent')}–{report.shown(i.band[1], 'percent')}）"
        else:
            rule = {"≥": "正向", "≤": "反向", "期限": "期限", "": i.note}.get(i.method, i.method)
        flag = f"  ← {i.flag}" if i.flag else ""
        lines.append(f"  {i.name}：目标 {row.target or '—'}，实际 {row.actual or '—'}，分值 "
                     f"{report.shown(i.weight, 'text')}，表上 {report.shown(i.stated, 'text')}，"
                     f"计算 {report.shown(i.computed, 'percent')}［{rule}］{flag}")
    return lines


def as_text(scored: Sequence[tuple[ProjectFile, scoring.Scored]], grades: Sequence[str]) -> str:
    out = []
    for f, s in scored:
        ev = s.evaluation
        out.append(f"{f.shown}  {ev.name}")
        out.append(f"  执行率 表上 {report.shown(ev.stated_rate, 'percent')}%，计算 {report.shown(s.rate, 'percent')}%"
                   f"{('（' + s.budget_note + '）') if s.budget_note else ''}；预算得分 表上 "
                   f"{report.shown(ev.budget_score, 'text')}，计算 {report.shown(s.budget_score, 'percent')}")
        out.extend(_indicator_lines(s))
        diff = _diff(s)
        out.append(f"  总分 表上 {report.shown(ev.total, 'text')}，计算 {report.shown(s.total, 'percent')}"
                   + (f"，差额 {report.shown(diff, 'percent')}" if diff else "") + f"；等级 {s.grade}")
        out.append("")
    out.append(report.as_text(units(scored, grades)).rstrip("\n"))
    return "\n".join(out) + "\n"


def _num(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def as_json(scored: Sequence[tuple[ProjectFile, scoring.Scored]], grades: Sequence[str]) -> str:
    """A list of objects: 文件, 项目名称, 执行率, 预算得分, 总分 (computed), 表上总分, 等级, 指标…"""
    body: list[dict[str, Any]] = []
    for f, s in scored:
        ev = s.evaluation
        body.append({
            "文件": f.shown, "项目名称": ev.name, "实施单位": _unit(f, s),
            "执行率": _num(s.rate), "表上执行率": _num(ev.stated_rate),
            "预算得分": _num(s.budget_score), "表上预算得分": _num(ev.budget_score),
            "总分": _num(s.total), "表上总分": _num(ev.total), "差额": _num(_diff(s)), "等级": s.grade,
            "指标": [{"三级指标": i.name, "分值": _num(i.weight), "表上得分": _num(i.stated), "得分": _num(i.computed),
                     "计分方法": i.method or i.note, "档次": i.tier, "未达到目标": i.short, "与计算相符": i.stated_ok,
                     "问题": i.flag or None}
                    for i in s.indicators],
        })
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


#: ``score --format``: each takes the scored 自评表, the grade names and the per-project table
#: (``xlsx`` is the workbook of that table, written by the command).
FORMATS: Mapping[str, Callable[[Sequence[tuple[ProjectFile, scoring.Scored]], Sequence[str], report.Table], str]] = {
    "text": lambda scored, grades, _table: as_text(scored, grades),
    "json": lambda scored, grades, _table: as_json(scored, grades),
    "csv": lambda _scored, _grades, table: report.as_csv(table),
}
