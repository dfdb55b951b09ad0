"""Lint output formats, chosen by name: text, json, github (Actions annotations), sarif, gitlab
(Code Quality)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Callable, Iterator, Mapping

from urllib.parse import quote

from ..problems import LEVEL_NAMES
from ..textsafe import one_line
from ..workspace import from_root
from . import LintResult
from .store import ProblemStore
from .registry import BUILTIN, RULES

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_RESET, _DIM, _BOLD = "\033[0m", "\033[2m", "\033[1m"


def _levels(result: LintResult) -> Counter[str]:
    problems = result.problems
    return problems.levels if isinstance(problems, ProblemStore) else Counter(p.level for p in problems)


def summary_line(result: LintResult) -> str:
    counts = _levels(result)
    parts = "，".join(f"{LEVEL_NAMES[lv]} {counts.get(lv, 0)}" for lv in ("error", "warning", "info"))
    extra = ""
    if result.hidden_by_baseline:
        extra += f"；基线中已知的 {result.hidden_by_baseline} 个未列出"
    if result.suppressed:
        extra += f"；行内注释忽略 {result.suppressed} 个"
    if result.since is not None:
        return (f"检查了 {result.files} 个文件，与 {result.since} 相比新出现 {len(result.problems)} 个问题：{parts}"
                f"；已修复 {result.fixed or 0} 个{extra}")
    return f"检查了 {result.files} 个文件，发现 {len(result.problems)} 个问题：{parts}{extra}"


def text_lines(result: LintResult, colour: bool = False, quiet: bool = False) -> Iterator[str]:
    """``path:line:col: 级别 消息 [rule-id]``, a blank line between files, then the counts
    (``quiet``: the problem lines only) — line by line, so a huge run is written as it is read."""
    last = None
    shown = ""
    for p in result.problems:
        if p.path != last:
            if last is not None and not quiet:
                yield "\n"
            last, shown = p.path, one_line(p.path)  # once per file, not per problem
        level = LEVEL_NAMES.get(p.level, p.level)
        where = f"{shown}:{p.line}:{p.column}:"
        message = one_line(p.message)  # a name with a line break cannot start a line of its own
        if colour:
            yield (f"{_BOLD}{where}{_RESET} {_COLOURS.get(p.level, '')}{level}{_RESET} "
                   f"{message} {_DIM}[{p.rule}]{_RESET}\n")
        else:
            yield f"{where} {level} {message} [{p.rule}]\n"
    if quiet:
        return
    if last is not None:
        yield "\n"
    yield summary_line(result) + "\n"


def text(result: LintResult, colour: bool = False, quiet: bool = False) -> str:
    return "".join(text_lines(result, colour, quiet))


def statistics_table(result: LintResult) -> str:
    """Problems per rule, most first (``lint --statistics``), then the counts line."""
    counts = Counter((p.rule, p.level) for p in result.problems)
    width = max((len(rule) for rule, _level in counts), default=0)
    lines = [f"{n:>5}  {rule:<{width}}  {LEVEL_NAMES.get(level, level)}  "
             f"{RULES[rule].summary if rule in RULES else BUILTIN.get(rule, '')}"
             for (rule, level), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def as_json(result: LintResult, colour: bool = False, quiet: bool = False) -> str:
    body = {
        "files": result.files,
        "counts": dict(_levels(result)),
        "problems": [
            {"path": p.path, "line": p.line, "column": p.column, "level": p.level, "rule": p.rule,
             "data_path": p.data_path, "message": p.message}
            for p in result.problems
        ],
    }
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def _escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github(result: LintResult, colour: bool = False, quiet: bool = False) -> str:
    """GitHub Actions workflow commands: each problem becomes an annotation on the pull request."""
    kinds = {"error": "error", "warning": "warning", "info": "notice"}
    lines = [
        f"::{kinds.get(p.level, 'error')} file={_escape(from_root(p.path), True)},line={p.line},col={p.column},"
        f"title={_escape(p.rule, True)}::{_escape(p.message)}"
        for p in result.problems
    ]
    if not quiet:
        lines.append(summary_line(result))
    return "".join(line + "\n" for line in lines)


def sarif(result: LintResult, colour: bool = False, quiet: bool = False) -> str:
    """SARIF 2.1.0, for code-scanning dashboards."""
    from .. import __version__
    used = sorted({p.rule for p in result.problems})
    rules = [{"id": rid, "shortDescription": {"text": RULES[rid].summary if rid in RULES else BUILTIN.get(rid, rid)}}
             for rid in used]
    levels = {"error": "error", "warning": "warning", "info": "note"}
    body = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "perfgoals", "version": __version__, "rules": rules}},
            "results": [{
                "ruleId": p.rule,
                "level": levels.get(p.level, "error"),
                "message": {"text": p.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": quote(from_root(p.path))},
                    "region": {"startLine": p.line, "startColumn": p.column}}}],
            } for p in result.problems],
        }],
    }
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def gitlab(result: LintResult, colour: bool = False, quiet: bool = False) -> str:
    """GitLab Code Quality (the Code Climate JSON subset GitLab's merge-request widget reads).

    The fingerprint names a problem by file, rule, place in the form and message — not by line —
    so GitLab tells new problems from old ones across commits that move lines.
    """
    import hashlib
    severity = {"error": "major", "warning": "minor", "info": "info"}
    body = [{
        "description": f"{p.message} [{p.rule}]",
        "check_name": p.rule,
        "fingerprint": hashlib.sha256(f"{from_root(p.path)}|{p.rule}|{p.data_path}|{p.message}".encode("utf-8")
                                      ).hexdigest(),
        "severity": severity.get(p.level, "major"),
        "location": {"path": from_root(p.path), "lines": {"begin": p.line}},
    } for p in result.problems]
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


#: A reporter turns a result into the text to print: ``(result, colour, quiet) -> str``.
REPORTERS: Mapping[str, Callable[[LintResult, bool, bool], str]] = {
    "text": text,
    "json": as_json,
    "github": github,
    "sarif": sarif,
    "gitlab": gitlab,
}
