"""Views of a diff `Report`: terminal text, Markdown for a pull-request comment, JSON."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Callable, Mapping

from .diff import Change, ProjectDiff, Report, fmt_money, percent
from . import report as tables
from .report import Column, Table

STATUS = {"added": "新增项目", "removed": "取消项目", "renamed": "改名", "changed": "有变化"}
KIND = {"money": "资金", "field": "表头", "goal": "目标", "indicator-added": "新增指标",
        "indicator-removed": "删除指标", "indicator-moved": "指标改变归类", "target": "指标值"}


def _signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + format(value, "f")


def totals_table(r: Report) -> Table:
    columns = [Column("单位"), Column("项目数（前）", "int"), Column("项目数（后）", "int"),
               Column(f"年度申请总额·前（{r.money_unit}）", "money"), Column(f"年度申请总额·后（{r.money_unit}）", "money"),
               Column("增减", "money"), Column("增减%", "percent")]
    rows = [[t.group, t.count_before, t.count_after, t.before, t.after, t.difference, percent(t.before, t.after)]
            for t in r.totals if t.difference != 0 or t.count_before != t.count_after
            or any(p.group == t.group for p in r.projects)]
    footer = ["合计", sum(t.count_before for t in r.totals), sum(t.count_after for t in r.totals),
              r.total_before, r.total_after, r.total_after - r.total_before, percent(r.total_before, r.total_after)]
    return Table(f"资金变化（{r.before_label} → {r.after_label}）", columns, rows, footer, [])


def headline(r: Report) -> str:
    if not r.changed:
        return f"{r.before_label} → {r.after_label}：没有变化（{r.unchanged} 个项目相同）"
    parts = [f"{STATUS[s]} {len(r.by_status(s))} 个" for s in ("added", "removed", "renamed", "changed")
             if r.by_status(s)]
    diff = r.total_after - r.total_before
    lowered = f"；⚠ 目标降低或期限推后 {len(r.lowered)} 处" if r.lowered else ""
    return (f"{r.before_label} → {r.after_label}：{'，'.join(parts)}；年度资金申请总额 "
            f"{fmt_money(r.total_before)} → {fmt_money(r.total_after)} {r.money_unit}（{_signed(diff)}）{lowered}")


def _change_line(c: Change) -> str:
    mark = "⚠ " if c.lowered else ""
    if c.kind == "money":
        return f"{mark}{c.what}：{c.before} → {c.after} {c.note}".rstrip()
    if c.kind == "goal":
        return f"{c.what}：{c.note}"
    if c.kind == "indicator-added":
        return f"新增指标 {c.what}：{c.after or '（空）'}"
    if c.kind == "indicator-removed":
        return f"删除指标 {c.what}：{c.before or '（空）'}"
    if c.kind == "indicator-moved":
        return f"指标“{c.what}”从{c.before}移到{c.after}"
    if c.kind == "target":
        tail = f"（{c.note}）" if c.note else ""
        return f"{mark}{c.what}：{c.before or '（空）'} → {c.after or '（空）'}{tail}"
    return f"{c.what}：{c.before or '（空）'} → {c.after or '（空）'}"


def _project_title(p: ProjectDiff) -> str:
    if p.status == "added":
        return f"新增项目“{p.name}”（年度申请 {fmt_money(p.annual_after)}）"
    if p.status == "removed":
        return f"取消项目“{p.name}”（原年度申请 {fmt_money(p.annual_before)}）"
    if p.status == "renamed":
        return f"改名“{p.old_name}”→“{p.name}”（相似度 {p.similarity:.2f}）"
    return f"“{p.name}”"


def as_text(r: Report) -> str:
    lines = [headline(r), ""]
    if r.lowered:
        lines.append("目标降低或期限推后：")
        lines += [f"  {p.group} “{p.name}” {_change_line(c)}" for p, c in r.lowered]
        lines.append("")
    group = None
    for p in r.projects:
        if p.group != group:
            group = p.group
            lines.append(f"【{group}】")
        lines.append(f"  {_project_title(p)}")
        lines += [f"    - {_change_line(c)}" for c in p.changes]
    if r.projects:
        lines.append("")
        lines.append(tables.as_text(totals_table(r)).rstrip("\n"))
    return "\n".join(lines) + "\n"


def as_markdown(r: Report) -> str:
    """A pull-request comment: the headline, lowered targets, project changes, then details folded."""
    out = [f"## 绩效目标表变化：{r.before_label} → {r.after_label}", "", f"**{headline(r)}**", ""]
    if not r.changed:
        return "\n".join(out)
    if r.lowered:
        out += ["### ⚠ 目标降低或期限推后", "", "| 单位 | 项目 | 指标 | 原值 | 新值 |", "|---|---|---|---|---|"]
        out += [f"| {p.group} | {p.name} | {c.what} | {c.before} | {c.after} |" for p, c in r.lowered]
        out.append("")
    moves = [p for p in r.projects if p.status != "changed"]
    if moves:
        out += ["### 新增、取消、改名的项目", ""]
        out += [f"- {p.group}：{_project_title(p)}" for p in moves]
        out.append("")
    out += [tables.as_markdown(totals_table(r)), ""]
    detailed = [p for p in r.projects if p.changes]
    if detailed:
        out += ["<details><summary>逐项变化（" + str(len(detailed)) + " 个项目）</summary>", ""]
        group = None
        for p in detailed:
            if p.group != group:
                group = p.group
                out += [f"#### {group}", ""]
            out.append(f"- {_project_title(p)}")
            out += [f"  - {_change_line(c)}" for c in p.changes]
        out += ["", "</details>", ""]
    return "\n".join(out)


def _json_change(c: Change) -> dict[str, Any]:
    return {"kind": c.kind, "what": c.what, "before": c.before, "after": c.after, "lowered": c.lowered, "note": c.note}


def as_json(r: Report) -> str:
    body = {
        "before": r.before_label,
        "after": r.after_label,
        "money_unit": r.money_unit,
        "changed": r.changed,
        "unchanged_projects": r.unchanged,
        "total_before": format(r.total_before, "f"),
        "total_after": format(r.total_after, "f"),
        "projects": [{
            "group": p.group, "status": p.status, "name": p.name, "old_name": p.old_name,
            "annual_before": None if p.annual_before is None else format(p.annual_before, "f"),
            "annual_after": None if p.annual_after is None else format(p.annual_after, "f"),
            "similarity": p.similarity,
            "changes": [_json_change(c) for c in p.changes],
        } for p in r.projects],
        "totals": [{"group": t.group, "count_before": t.count_before, "count_after": t.count_after,
                    "before": format(t.before, "f"), "after": format(t.after, "f")} for t in r.totals],
    }
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


FORMATS: Mapping[str, Callable[[Report], str]] = {"text": as_text, "markdown": as_markdown, "json": as_json}
