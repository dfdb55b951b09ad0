"""The mid-year 项目支出绩效目标执行监控表 (财预〔2019〕136号, "双监控"): how much of the budget has
been spent by the end of the period (1-N月), how far each indicator has come, what is expected by
year end, why a project is behind and what it will do; kept beside its target table as
``<project>.监控.yaml``."""

from __future__ import annotations

from .base import Form
from .town2024 import FORM as TOWN

FORM = Form(
    id="monitor2019",
    title="项目支出绩效目标执行监控表",
    kind="monitor",
    suffix=".监控.yaml",
    package="perfgoals.monitor",
    levels=TOWN.levels,
    value_head="年度指标值",
    users="各级预算单位的年中绩效运行监控（财预〔2019〕136号，1-6月或1-7月）",
    example="tests/examples/monitor/妇女儿童维权.监控.yaml",
    # drawn and read by the 监控 package, which holds its values (imported when first used)
    grid="perfgoals.monitor.sheet:grid",
    read="perfgoals.monitor.sheet:read",
)
