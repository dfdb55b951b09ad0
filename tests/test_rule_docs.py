"""Every 通过/不通过 example in a rule's docstring is run against the clean table.

An example is a list of edits separated by " / ", applied to `tests/examples/valid/妇女儿童维权.yaml`:

- ``字段: 值`` sets a header, money or goal field (``年度资金.其他资金`` for the annual one);
- ``二级指标: 三级指标 年度指标值`` makes that group hold this row (more parts of the same group
  add rows); ``一级指标.二级指标: …`` places a group under a given 一级指标;
- ``删去 二级指标`` removes a group; an example with no edit is the clean table itself;
- a closing ``（…）`` is a note for the reader.

A 不通过 example must give a finding of its rule whose line and column are those of an edited
value (or of the group or field that holds it); a 通过 example must give none. Project rules must
have both kinds, all in this form; corpus rules (which need two tables) and 自评 rules (which
read another form) have tests of their own (`test_rules.py`, `test_selfeval.py`).
"""

from __future__ import annotations

import json
import re

import pytest

from perfgoals import framework, loader
from perfgoals import model as m
from perfgoals.lint import lint_sources
from perfgoals.lint.config import default
from perfgoals.lint.engine import Source
from perfgoals.lint.registry import RULES

from .conftest import CLEAN

BASE = CLEAN.read_text(encoding="utf-8")
FIELDS = {k: k for k in m.TOP_KEYS if k not in (m.K_FUNDS, m.K_ANNUAL, m.K_GOALS, m.K_INDICATORS)}
FIELDS |= {k: f"{m.K_FUNDS}.{k}" for k in m.FUNDS_KEYS}
FIELDS |= {f"{m.K_FUNDS}.{k}": f"{m.K_FUNDS}.{k}" for k in m.FUNDS_KEYS}
FIELDS |= {k: f"{m.K_ANNUAL}.{k}" for k in m.ANNUAL_KEYS if k != m.K_OTHER}
FIELDS |= {f"{m.K_ANNUAL}.{k}": f"{m.K_ANNUAL}.{k}" for k in m.ANNUAL_KEYS}
FIELDS |= {k: f"{m.K_GOALS}.{k}" for k in m.GOAL_KEYS}
LEVEL1 = {l2: l1 for l1, l2s in framework.FORM_2024.items() for l2 in l2s}


def examples(doc: str) -> list[tuple[bool, str]]:
    out = []
    for line in doc.splitlines():
        hit = re.match(r"\s*(通过|不通过)：(.*)$", line)
        if hit:
            out.append((hit.group(1) == "通过", hit.group(2).strip()))
    return out


def _scalar(text: str) -> str:
    text = text.strip()
    if text == "null" or re.fullmatch(r"-?\d+(\.\d+)?", text) or not re.search(r"[,:\[\]{}#&*!|>'\"%@`]|^[-?]", text):
        return text
    return json.dumps(text, ensure_ascii=False)


def _row(name: str, value: str) -> str:
    return f"      - {{{m.K_ROW_NAME}: {_scalar(name)}, {m.K_ROW_VALUE}: {_scalar(value)}}}"


def apply(example: str) -> tuple[str, list[str]]:
    """The clean table with the example's edits, and the data paths it edited."""
    body = re.sub(r"（[^（）]*）$", "", example).strip()
    lines = BASE.splitlines()
    edited: list[str] = []
    groups: dict[tuple[str, str], list[str]] = {}
    removed: list[str] = []
    for part in filter(None, (s.strip() for s in body.split(" / "))):
        if part.startswith("删去 "):
            removed.append(part[3:].strip())
            continue
        key, sep, value = part.partition(": ")
        assert sep, f"不是“字段: 值”的形式：{part!r}"
        if key in FIELDS:
            path = FIELDS[key]
            field = path.rsplit(".", 1)[-1]
            indent = "  " if "." in path else ""
            section = path.split(".")[0] + ":" if "." in path else None
            start = lines.index(section) + 1 if section else 0
            for i in range(start, len(lines)):
                if re.match(rf"{indent}{re.escape(field)}:", lines[i]):
                    lines[i] = f"{indent}{field}: {_scalar(value)}"
                    break
            else:
                assert not section, f"干净表里没有 {path}"
                lines.insert(2, f"{field}: {_scalar(value)}")
            edited.append(path)
            continue
        l1, _, l2 = key.rpartition(".")
        l1 = l1 or LEVEL1.get(l2, "效益指标")
        assert l2.endswith("指标") and l1 in framework.FORM_2024, f"不认识的字段或二级指标：{key!r}"
        name, _, target = value.strip().partition(" ")
        groups.setdefault((l1, l2), []).append(_row(name, target or "null"))
    for l2 in removed:
        i = lines.index(f"    {l2}:")
        j = i + 1
        while j < len(lines) and lines[j].startswith("      "):
            j += 1
        del lines[i:j]
        edited.append(f"{m.K_INDICATORS}.{LEVEL1[l2]}")
    for (l1, l2), rows in groups.items():
        if f"  {l1}:" not in lines:
            lines.append(f"  {l1}:")
        i = lines.index(f"  {l1}:") + 1
        while i < len(lines) and lines[i].startswith("    "):
            if lines[i] == f"    {l2}:":
                j = i + 1
                while j < len(lines) and lines[j].startswith("      "):
                    j += 1
                lines[i + 1:j] = rows
                break
            i += 1
        else:
            lines[i:i] = [f"    {l2}:", *rows]
        edited.append(f"{m.K_INDICATORS}.{l1}.{l2}")
    return "\n".join(lines) + "\n", edited


def _within(path: str, edited: list[str]) -> bool:
    """True for an edited path, a path inside one, or a field or group that holds one."""
    return any(path == e or path.startswith(e + ".") or path.startswith(e + "[")
               or e.startswith(path + ".") for e in edited)


TARGET_RULES = {rid: r for rid, r in RULES.items() if r.check is not None and r.kind == "target"}
CASES = [(rid, ok, text) for rid, r in TARGET_RULES.items() for ok, text in examples(r.doc)]


@pytest.mark.parametrize("rid,passes,example", CASES, ids=[f"{c[0]}-{'通过' if c[1] else '不通过'}-{i}"
                                                           for i, c in enumerate(CASES)])
def test_docstring_example(rid, passes, example):
    text, edited = apply(example)
    project, problems = loader.load_text(text, "例.yaml")
    assert problems == [], problems
    found = [p for p in lint_sources([Source(project, 2024, "妇联")], default()).problems if p.rule == rid]
    if passes:
        assert found == [], f"{example} 应通过，却报告：{[p.message for p in found]}"
        return
    assert found, f"{example} 应报告 {rid}"
    where = {p.data_path: (p.line, p.column) for p in found}
    right = [path for path in where if _within(path, edited)]
    assert right, f"{example}：问题位置 {where} 不在所改之处 {edited}"
    for path in right:
        assert where[path] == project.position(path)


def test_every_project_rule_has_executable_examples_of_both_kinds():
    for rid, r in TARGET_RULES.items():
        kinds = {ok for ok, _ in examples(r.doc)}
        assert kinds == {True, False}, f"{rid} 的说明缺少{'通过' if True not in kinds else '不通过'}示例"


def test_the_example_reader_edits_what_it_says():
    text, edited = apply("年度资金.其他资金: 0 / 数量指标: 讲座次数 ≥2次 / 删去 可持续影响指标（注）")
    project, _ = loader.load_text(text, "x.yaml")
    assert project.annual.other == 0 and project.funds.other is None
    [qty] = [g for g in project.groups if g.level2 == "数量指标"]
    assert [(r.name, r.value) for r in qty.rows] == [("讲座次数", "≥2次")]
    assert "可持续影响指标" not in {g.level2 for g in project.groups}
    assert f"{m.K_INDICATORS}.产出指标.数量指标" in edited
