"""`perfgoals rules`: 列出全部检查规则；给出规则名时显示其完整说明（检查什么、依据、正反例）。"""

from __future__ import annotations


import click

from .common import EXIT_OK, fail


def run(rule_id: str | None) -> int:
    from ..lint import config as lconf
    from ..lint.registry import BUILTIN, RULES
    from ..problems import LEVEL_NAMES

    levels = lconf.default().levels
    if rule_id is None:
        width = max(len(r) for r in RULES)
        for rid, r in RULES.items():
            level = LEVEL_NAMES.get(levels.get(rid) or "", "关闭")
            click.echo(f"{rid:<{width}}  {level}  {r.summary}")
        for rid, text in BUILTIN.items():
            click.echo(f"{rid:<{width}}  错误  {text}（内置，不可关闭）")
        return EXIT_OK
    if rule_id in BUILTIN:
        click.echo(f"{rule_id}（错误，内置）\n\n{BUILTIN[rule_id]}")
        return EXIT_OK
    if rule_id not in RULES:
        from difflib import get_close_matches

        close = get_close_matches(rule_id, list(RULES), n=3)
        fail(f"没有规则“{rule_id}”" + (f"；相近的：{'、'.join(close)}" if close else ""))
    level = LEVEL_NAMES.get(levels.get(rule_id) or "", "关闭")
    click.echo(f"{rule_id}（默认级别：{level}）\n\n{RULES[rule_id].doc}")
    return EXIT_OK
