"""The year-end 财政项目支出绩效自评表 (财预〔2020〕10号): budget execution and each indicator's
result, points and score; kept beside its target table as ``<project>.自评.yaml``."""

from __future__ import annotations

from .base import Form
from .town2024 import FORM as TOWN

FORM = Form(
    id="selfeval2020",
    title="财政项目支出绩效自评表",
    kind="selfeval",
    suffix=".自评.yaml",
    package="perfgoals.selfeval",
    levels=TOWN.levels,
    users="各级预算单位的年终绩效自评（财预〔2020〕10号附件）",
    example="tests/examples/selfeval/社区助老服务补贴.自评.yaml",
)
