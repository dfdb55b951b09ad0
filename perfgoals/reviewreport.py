"""Views of a `review.Review`: a pull-request comment (Markdown), terminal text, JSON.

The order is the reviewer's: new lint problems (errors first), lowered targets, what changed
in each project (marked where money went up while a target went down), new / cancelled /
renamed projects, then the totals per unit. Every text that comes from a table goes through
`report.md_text` in Markdown, so a project name cannot break the comment or ping anyone.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Mapping

from . import report as tables
from .diffreport import change_line, project_title, totals_table
from .problems import LEVEL_NAMES, Problem
from .textsafe import code_span, md_text, one_line
from .workspace import from_root
from .review import Review

FOLD_OVER = 10
"""Lists longer than this are folded into <details> in the Markdown comment."""
COMMENT_LIMIT = 60_000
"""Characters a Markdown comment is kept under: GitHub refuses a comment over 65,536 and GitLab's
notes have a limit too. What is cut is said in the comment; errors and lowered targets never are."""


def _ordered(problems: list[Problem]) -> list[Problem]:
    rank = {"error": 0, "warning": 1, "info": 2}
    return sorted(problems, key=lambda p: (rank.get(p.level, 3), p.path, p.line, p.column))


def headline(rv: Review) -> str:
    counts = {lv: sum(1 for p in rv.since.new if p.level == lv) for lv in ("error", "warning", "info")}
    d = rv.diff
    parts = [f"新出现的问题：错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']}；"
             f"已修复 {rv.since.fixed} 个" + (f"（另有 {rv.since.gone} 个随删除的项目一起去掉）" if rv.since.gone else "")]
    if rv.config.any:
        parts.insert(0, f"本次修改了检查配置（{len(rv.config.lines) + len(rv.config.suppressions)} 处），"
                        f"被隐藏的问题 {len(rv.hidden)} 个（其中错误 {len(rv.hidden_errors)} 个）")
    if d.lowered:
        parts.append(f"降低的目标 {len(d.lowered)} 处")
    moves = [f"{label} {d.count(s)} 个" for s, label in
             (("added", "新增项目"), ("removed", "取消项目"), ("renamed", "改名"), ("changed", "有变化的项目"))
             if d.count(s)]
    if moves:
        parts.append("，".join(moves))
    diff = d.total_after - d.total_before
    parts.append(f"年度资金申请总额 {tables.shown(d.total_before, 'money')} → {tables.shown(d.total_after, 'money')} "
                 f"{d.money_unit}（{'+' if diff > 0 else ''}{tables.shown(diff, 'money')}）")
    return "；".join(parts)


def _problem_text(p: Problem) -> str:
    return f"{p.path}:{p.line}:{p.column}: {LEVEL_NAMES.get(p.level, p.level)} {one_line(p.message)} [{p.rule}]"


def _config_lines(rv: Review) -> list[str]:
    """What the pull request changed in the checks, each change a line (suppressions with file:line)."""
    return [one_line(line) for line in rv.config.lines] + [
        f"{path}:{number}: 新加忽略注释 {one_line(comment)}" for path, number, comment in rv.config.suppressions]


def as_text(rv: Review) -> str:
    d = rv.diff
    flagged = set(rv.money_up_target_down())
    lines = [f"审核：{rv.since.base_label} → {rv.since.head_label}", headline(rv), ""]
    if rv.whole:
        lines[-1:-1] = [rv.whole]
    if rv.config.any:
        lines.append("本次修改了检查配置：")
        lines += [f"  {line}" for line in _config_lines(rv)]
        lines.append(f"被本次配置隐藏的问题（{len(rv.hidden)}，按基准版本的配置、不计忽略注释检查得出）：")
        lines += [f"  {_problem_text(p)}" for p in _ordered(rv.hidden)] or ["  无"]
        lines.append("")
    lines.append(f"一、新出现的检查问题（{len(rv.since.new)}）")
    lines += [f"  {_problem_text(p)}" for p in _ordered(rv.since.new)] or ["  无"]
    lines += ["", f"二、降低的目标（{len(d.lowered)}）"]
    lines += [f"  {one_line(p.group)} “{one_line(p.name)}” {change_line(c)}"
              + ("  ⚠ 同一项目资金增加" if (p.group, p.name) in flagged else "") for p, c in d.lowered] or ["  无"]
    changed = [p for p in d.projects if p.status == "changed"]
    lines += ["", f"三、各项目的变化（{len(changed)}）"]
    for p in changed:
        mark = "  ⚠ 资金增加而目标降低" if (p.group, p.name) in flagged else ""
        lines.append(f"  {one_line(p.group)} {project_title(p)}{mark}")
        lines += [f"    - {change_line(c)}" for c in p.changes]
    if not changed:
        lines.append("  无")
    moves = [p for p in d.projects if p.status != "changed"]
    lines += ["", f"四、新增、取消、改名的项目（{len(moves) + len(d.renamed_groups)}）"]
    lines += [f"  单位文件夹改名：{one_line(a)} → {one_line(b)}" for a, b in d.renamed_groups]
    for p in moves:
        lines.append(f"  {one_line(p.group)} {project_title(p)}")
        lines += [f"    - {change_line(c)}" for c in (*p.changes, *rv.new_content.get((p.group, p.name), ()))]
    if not moves and not d.renamed_groups:
        lines.append("  无")
    lines += ["", "五、各单位年度资金申请总额", tables.as_text(totals_table(d)).rstrip("\n")]
    return "\n".join(lines) + "\n"


def _fold(summary: str, body: list[str], count: int) -> list[str]:
    if count <= FOLD_OVER:
        return body
    return [f"<details><summary>{summary}</summary>", "", *body, "", "</details>"]


def as_markdown(rv: Review) -> str:
    d = rv.diff
    flagged = set(rv.money_up_target_down())
    out = [f"## 绩效目标表审核：{md_text(rv.since.base_label)} → {md_text(rv.since.head_label)}", "",
           f"**{md_text(headline(rv))}**", ""]
    if rv.whole:
        out += [md_text(rv.whole), ""]
    if rv.config.any:
        out += ["### ⚠ 本次修改了检查配置", ""]
        out += [f"- {md_text(line)}" for line in rv.config.lines]
        out += [f"- {code_span(f'{from_root(path)}:{number}')} 新加忽略注释 {code_span(comment)}"
                for path, number, comment in rv.config.suppressions]
        out += ["", f"#### {'❌' if rv.hidden_errors else '⚠'} 被本次配置隐藏的问题（{len(rv.hidden)}）", "",
                "按基准版本的配置、不计忽略注释检查时新出现，而本次的配置不报告的问题：", ""]
        if rv.hidden:
            table = ["| 级别 | 位置 | 问题 | 规则 |", "|---|---|---|---|"]
            table += [f"| {LEVEL_NAMES.get(p.level, p.level)} | {code_span(f'{from_root(p.path)}:{p.line}')} | "
                      f"{md_text(p.message)} | `{p.rule}` |" for p in _ordered(rv.hidden)]
            out += table
        else:
            out.append("没有。")
        out.append("")
    errors = len(rv.new_errors)
    out += [f"### {'❌' if errors else '✅'} 新出现的检查问题（{len(rv.since.new)}）", ""]
    head = ["| 级别 | 位置 | 问题 | 规则 |", "|---|---|---|---|"]
    if rv.new_errors:  # errors are never folded away with the warnings
        out += head + [_problem_row(p) for p in _ordered(rv.new_errors)]
    others = [p for p in _ordered(rv.since.new) if p.level != "error"]
    if others:
        out += ([""] if rv.new_errors else []) + _fold(f"展开 {len(others)} 个警告与提示",
                                                     head + [_problem_row(p) for p in others], len(others))
    if not rv.since.new:
        out.append("没有新问题。")
    out += ["", f"### {'⚠ ' if d.lowered else ''}降低的目标（{len(d.lowered)}）", ""]
    if d.lowered:
        table = ["| 单位 | 项目 | 指标 | 原值 | 新值 | 说明 |", "|---|---|---|---|---|---|"]
        table += [f"| {md_text(p.group)} | {md_text(p.name)} | {md_text(c.what)} | {md_text(c.before or '')} | "
                  f"{md_text(c.after or '')} | {c.note}{'；⚠ 同一项目资金增加' if (p.group, p.name) in flagged else ''} |"
                  for p, c in d.lowered]
        out += _fold(f"展开全部 {len(d.lowered)} 处", table, len(d.lowered))
    else:
        out.append("没有降低的目标。")
    changed = [p for p in d.projects if p.status == "changed"]
    out += ["", f"### 各项目的变化（{len(changed)}）", ""]
    if changed:
        body = []
        for p in changed:
            mark = " **⚠ 资金增加而目标降低**" if (p.group, p.name) in flagged else ""
            body.append(f"- {md_text(p.group)} {project_title(p, md_text)}{mark}")
            body += [f"  - {change_line(c, md_text)}" for c in p.changes]
        out += ["<details><summary>逐项变化（" + str(len(changed)) + " 个项目）</summary>", "", *body, "",
                "</details>"]
    else:
        out.append("没有。")
    moves = [p for p in d.projects if p.status != "changed"]
    out += ["", f"### 新增、取消、改名的项目（{len(moves) + len(d.renamed_groups)}）", ""]
    body = [f"- 单位文件夹改名：{md_text(a)} → {md_text(b)}" for a, b in d.renamed_groups]
    for p in moves:  # a renamed project's own changes too (6.50 → 9.50), as in the text report
        body.append(f"- {md_text(p.group)}：{project_title(p, md_text)}")
        body += [f"  - {change_line(c, md_text)}" for c in p.changes]
        content = rv.new_content.get((p.group, p.name), ())
        if content:  # a new project is reviewed from its goals and indicators
            body += ["", f"  <details><summary>目标与指标（{len(content)} 项）</summary>", ""]
            body += [f"  - {change_line(c, md_text)}" for c in content]
            body += ["", "  </details>", ""]
    count = len(moves) + len(d.renamed_groups)
    out += _fold(f"展开全部 {count} 项", body, count) if body else ["没有。"]
    out += ["", tables.as_markdown(totals_table(d)), ""]
    return _capped(out, rv)


def _problem_row(p: Problem) -> str:
    return (f"| {LEVEL_NAMES.get(p.level, p.level)} | {code_span(f'{from_root(p.path)}:{p.line}')} | "
            f"{md_text(p.message)} | `{p.rule}` |")


def _capped(lines: list[str], rv: Review, limit: int | None = None) -> str:
    """The comment under ``limit`` characters: lines are dropped from the end of the report
    upwards (totals, then the projects' details, then warnings), never an error row or a lowered
    target, and a closing line says what was cut and where the whole report is."""
    limit = COMMENT_LIMIT if limit is None else limit
    text = "\n".join(lines)
    if len(text) <= limit:
        return text
    keep = {_problem_row(p) for p in rv.new_errors} | {_problem_row(p) for p in rv.hidden}
    keep |= {line for line in lines if line.startswith("#")}  # the headings
    lowered = {f"| {md_text(p.group)} | {md_text(p.name)} | {md_text(c.what)} |" for p, c in rv.diff.lowered}
    notice = (f"\n\n> ✂ 报告超过评论的长度上限，已截去 {{n}} 行（各单位合计、逐项变化、部分警告）；错误与降低的目标都已列出。"
              f"完整报告：`perfgoals review --rev {md_text(rv.since.base_label).split('（')[0]} --format markdown -o 审核.md`"
              "（CI 中可作为附件保存）。")
    out = list(lines)
    size = len(text) + len(notice) + 10
    cut = 0
    for i in range(len(out) - 1, -1, -1):
        if size <= limit:
            break
        line = out[i]
        if line in keep or any(line.startswith(prefix) for prefix in lowered) or line in ("", "</details>") \
                or line.startswith("<details>"):
            continue
        size -= len(line) + 1
        out[i] = "\0"
        cut += 1
    body = "\n".join(line for line in out if line != "\0")
    return body + notice.replace("{n}", str(cut))


def _problem_json(p: Problem) -> dict[str, Any]:
    return {"path": from_root(p.path), "line": p.line, "column": p.column, "level": p.level, "rule": p.rule,
            "data_path": p.data_path, "message": p.message}


def as_json(rv: Review) -> str:
    from .diffreport import as_json as diff_json
    flagged = [{"group": g, "project": n} for g, n in sorted(set(rv.money_up_target_down()))]
    body = {
        "base": rv.since.base_label,
        "head": rv.since.head_label,
        "new_problems": [_problem_json(p) for p in _ordered(rv.since.new)],
        "new_errors": len(rv.new_errors),
        "config_changes": rv.config.lines,
        "whole_comparison": rv.whole or None,
        "suppressions_added": [{"path": from_root(p), "line": n, "comment": c} for p, n, c in rv.config.suppressions],
        "hidden_problems": [_problem_json(p) for p in _ordered(rv.hidden)],
        "hidden_errors": len(rv.hidden_errors),
        "fixed": rv.since.fixed,
        "gone_with_deleted_projects": rv.since.gone,
        "lowered": [{"group": p.group, "project": p.name, "indicator": c.what, "before": c.before,
                     "after": c.after, "note": c.note} for p, c in rv.diff.lowered],
        "money_up_target_down": flagged,
        "diff": json.loads(diff_json(rv.diff)),
    }
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


FORMATS: Mapping[str, Callable[[Review], str]] = {"markdown": as_markdown, "text": as_text, "json": as_json}
