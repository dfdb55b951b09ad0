"""`perfgoals forms`: the official forms the tool knows (`perfgoals.forms.FORMS`)."""

from __future__ import annotations

import click

from .common import EXIT_OK


def run() -> int:
    from .. import forms
    from ..forms.base import KIND_WORDS

    for form in forms.FORMS.values():
        kind = KIND_WORDS[form.kind]
        names = "、".join((form.id, *form.aliases))
        click.echo(
            f"{names}  {form.title}（{kind}，金额单位{form.money_unit}）\n"
            f"    用于：{form.users}\n    示例：{form.example}"
        )
    return EXIT_OK
