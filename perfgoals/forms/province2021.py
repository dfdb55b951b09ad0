"""The provincial 项目支出绩效目标表 several provinces use since 2021 (the 财预〔2021〕101号 indicator
framework): a money block of 年度资金总额 = 年度本级预算金额 + 上级资金 + 其他资金, one 年度总体目标,
and indicator rows that carry 指标值及单位 and 绩效标准 (计划标准, 行业标准, 历史标准…) as columns."""

from __future__ import annotations

from .base import Form
from .shenbao101 import FORM as SHENBAO

STANDARDS = ("计划标准", "行业标准", "历史标准", "其他标准")

FORM = Form(
    id="province2021",
    title="项目支出绩效目标表",
    kind="target",
    levels=SHENBAO.levels,
    blank=SHENBAO.levels,
    value_head="指标值及单位",
    users="2021 年起多个省份的项目支出绩效目标表（带“绩效标准”列、本级预算与上级资金分列）",
    example="tests/examples/forms/province2021.yaml",
    aliases=("2021",),
    layout=(
        ("项目名称", "name"),
        ("年度", "year"),
        ("主管部门", "department"),
        ("实施单位", "unit"),
        ("金额单位", "money_unit"),
        ("项目资金.年度资金总额", "annual.total"),
        ("项目资金.年度本级预算金额", "annual.appropriation"),
        ("项目资金.上级资金", "annual.upper"),
        ("项目资金.其他资金", "annual.other"),
        ("年度总体目标", "goal_annual"),
        ("绩效指标", "groups"),
    ),
    row_keys=("三级指标", "指标值及单位", "绩效标准"),
    indicator_head=("二级指标", "三级指标", "指标值及单位", "绩效标准"),
)
