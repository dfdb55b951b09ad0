"""`perfgoals schema`: 输出项目文件的 JSON Schema（供 VS Code 等编辑器自动补全与校验）。"""

from __future__ import annotations

import json

import click

from .common import EXIT_OK


def run(self_eval: bool) -> int:
    from ..schema import project_schema, selfeval_schema

    click.echo(json.dumps(selfeval_schema() if self_eval else project_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK
