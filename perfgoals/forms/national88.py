"""The national 项目支出绩效目标申报表 of 财预〔2015〕88号 (used by many provinces and central
departments): 主管部门及代码, 项目属性 (新增/延续), 项目起止时间 (202401-202612); 项目资金 as 资金总额 /
当年资金总额 with their 财政拨款 and 其他资金; 总体目标 as 中期目标 and 年度目标; the indicators in two
column groups, 长期 and 年度 (二级指标, 三级指标, 指标值 each), the 长期 side often left empty."""

from __future__ import annotations

from .base import BENEFIT, OUTPUT, SATISFACTION, Form

LEVELS = {
    OUTPUT: ("数量指标", "质量指标", "时效指标", "成本指标"),
    BENEFIT: ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    SATISFACTION: ("服务对象满意度指标",),
}

FORM = Form(
    id="national88",
    title="项目支出绩效目标申报表",
    kind="target",
    levels=LEVELS,
    blank={OUTPUT: ("数量指标", "质量指标", "时效指标", "成本指标"),
           BENEFIT: ("社会效益指标",), SATISFACTION: ("服务对象满意度指标",)},
    value_head="指标值",
    users="财政部 财预〔2015〕88号附件的格式：中央部门及沿用该表的省、市、县",
    example="tests/examples/forms/national88.yaml",
    aliases=("88",),
    categories=("新增项目", "延续项目"),
    layout=(
        ("项目名称", "name"),
        ("年度", "year"),
        ("主管部门及代码", "department"),
        ("实施单位", "unit"),
        ("项目属性", "category"),
        ("项目起止时间", "term"),
        ("金额单位", "money_unit"),
        ("项目资金.资金总额", "funds.total"),
        ("项目资金.其中财政拨款", "funds.fiscal"),
        ("项目资金.其他资金", "funds.other"),
        ("项目资金.当年资金总额", "annual.total"),
        ("项目资金.当年财政拨款", "annual.appropriation"),
        ("项目资金.当年其他资金", "annual.other"),
        ("总体目标.中期目标", "goal_total"),
        ("总体目标.年度目标", "goal_annual"),
        ("长期绩效指标", "long_groups"),
        ("年度绩效指标", "groups"),
    ),
    row_keys=("三级指标", "指标值"),
)
