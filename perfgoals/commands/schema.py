"""`perfgoals schema`: 输出项目文件的 JSON Schema（供 VS Code 等编辑器自动补全与校验）。"""

from __future__ import annotations

import json

import click

from .common import EXIT_OK


def run(self_eval: bool, form: str | None = None) -> int:
    from .. import forms
    from ..schema import form_schema, project_schema, selfeval_schema

    chosen = forms.named(form) if form else None
    if self_eval:
        made = selfeval_schema()
    elif chosen is not None and chosen.layout:
        made = form_schema(chosen)
    else:
        made = project_schema()
    click.echo(json.dumps(made, ensure_ascii=False, indent=2))
    return EXIT_OK
