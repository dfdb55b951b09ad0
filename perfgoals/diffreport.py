"""Views of a diff `Report`: terminal text, Markdown for a pull-request comment, JSON."""

from __future__ import annotations

import json
from typing import Any, Callable, Iterator, Mapping

from . import report as tables
from .diff import Change, ProjectDiff, Report, fmt_money, percent
from .report import Column, Table
from .textsafe import md_text, one_line

STATUS = {"added": "新增项目", "removed": "取消项目", "renamed": "改名", "changed": "有变化"}


def totals_table(r: Report) -> Table:
    columns = [Column("单位"), Column("项目数（前）", "int"), Column("项目数（后）", "int"),
               Column(f"年度申请总额·前（{r.money_unit}）", "money"), Column(f"年度申请总额·后（{r.money_unit}）", "money"),
               Column("增减", "money"), Column("增减%", "percent")]
    touched = {p.group for p in r.projects}  # a set: a city has thousands of units and of changed projects
    rows = [[t.group, t.count_before, t.count_after, t.before, t.after, t.difference, percent(t.before, t.after)]
            for t in r.totals if t.difference != 0 or t.count_before != t.count_after or t.group in touched]
    footer = ["合计", sum(t.count_before for t in r.totals), sum(t.count_after for t in r.totals),
              r.total_before, r.total_after, r.total_after - r.total_before, percent(r.total_before, r.total_after)]
    return Table(f"资金变化（{r.before_label} → {r.after_label}）", columns, rows, footer, [])


def headline(r: Report) -> str:
    if not r.changed:
        return f"{r.before_label} → {r.after_label}：没有变化（{r.unchanged} 个项目相同）"
    parts = [f"{STATUS[s]} {r.count(s)} 个" for s in ("added", "removed", "renamed", "changed") if r.count(s)]
    parts += [f"单位文件夹改名 {a} → {b}" for a, b in r.renamed_groups]
    diff = r.total_after - r.total_before
    lowered = f"；⚠ 目标降低或期限推后 {len(r.lowered)} 处" if r.lowered else ""
    return (f"{r.before_label} → {r.after_label}：{'，'.join(parts)}；年度资金申请总额 "
            f"{tables.shown(r.total_before, 'money')} → {tables.shown(r.total_after, 'money')} {r.money_unit}"
            f"（{'+' if diff > 0 else ''}{tables.shown(diff, 'money')}）{lowered}")


Escape = Callable[[str], str]


def _plain(text: str) -> str:
    return one_line(text)


def change_line(c: Change, esc: Escape = _plain) -> str:
    """One change in words; ``esc`` makes the table's own texts safe for the output format."""
    mark = "⚠ " if c.lowered else ""
    what, before, after = esc(c.what), esc(c.before or "（空）"), esc(c.after or "（空）")
    if c.kind == "money":
        return f"{mark}{what}：{before} → {after} {esc(c.note)}".rstrip()
    if c.kind == "goal":
        return f"{what}：{esc(c.note)}"
    if c.kind == "indicator-added":
        return f"新增指标 {what}：{after}"
    if c.kind == "indicator-removed":
        return f"删除指标 {what}：{before}"
    if c.kind == "indicator-moved":
        return f"指标“{what}”从{before}移到{after}"
    if c.kind == "target":
        tail = f"（{c.note}）" if c.note else ""
        return f"{mark}{what}：{before} → {after}{tail}"
    return f"{what}：{before} → {after}"


def project_title(p: ProjectDiff, esc: Escape = _plain) -> str:
    if p.status == "added":
        return f"新增项目“{esc(p.name)}”（年度申请 {fmt_money(p.annual_after)}）"
    if p.status == "removed":
        return f"取消项目“{esc(p.name)}”（原年度申请 {fmt_money(p.annual_before)}）"
    if p.status == "renamed":
        return f"改名“{esc(p.old_name or '')}”→“{esc(p.name)}”（相似度 {p.similarity:.2f}）"
    return f"“{esc(p.name)}”"


def as_text(r: Report) -> str:
    return "\n".join(text_lines(r)) + "\n"


def text_lines(r: Report) -> Iterator[str]:
    """The terminal view a line at a time: a city's diff has a section per changed project."""
    yield headline(r)
    yield ""
    if r.lowered:
        yield "目标降低或期限推后："
        for p, c in r.lowered:
            yield f"  {one_line(p.group)} “{one_line(p.name)}” {change_line(c)}"
        yield ""
    group = None
    for p in r.projects:
        if p.group != group:
            group = p.group
            yield f"【{one_line(group)}】"
        yield f"  {project_title(p)}"
        for c in p.changes:
            yield f"    - {change_line(c)}"
    if r.projects:
        yield ""
        yield from tables.text_lines(totals_table(r))


def as_markdown(r: Report) -> str:
    """A pull-request comment: the headline, lowered targets, project changes, then details folded."""
    out = [f"## 绩效目标表变化：{md_text(r.before_label)} → {md_text(r.after_label)}", "", f"**{md_text(headline(r))}**", ""]
    if not r.changed:
        return "\n".join(out)
    if r.lowered:
        out += ["### ⚠ 目标降低或期限推后", "", "| 单位 | 项目 | 指标 | 原值 | 新值 |", "|---|---|---|---|---|"]
        out += [f"| {md_text(p.group)} | {md_text(p.name)} | {md_text(c.what)} | {md_text(c.before or '')} | "
                f"{md_text(c.after or '')} |" for p, c in r.lowered]
        out.append("")
    moves = [p for p in r.projects if p.status != "changed"]
    if moves:
        out += ["### 新增、取消、改名的项目", ""]
        out += [f"- {md_text(p.group)}：{project_title(p, md_text)}" for p in moves]
        out.append("")
    out += [tables.as_markdown(totals_table(r)), ""]
    detailed = [p for p in r.projects if p.changes]
    if detailed:
        out += ["<details><summary>逐项变化（" + str(len(detailed)) + " 个项目）</summary>", ""]
        group = None
        for p in detailed:
            if p.group != group:
                group = p.group
                out += [f"#### {md_text(group)}", ""]
            out.append(f"- {project_title(p, md_text)}")
            out += [f"  - {change_line(c, md_text)}" for c in p.changes]
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
        "renamed_groups": [{"before": a, "after": b} for a, b in r.renamed_groups],
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
