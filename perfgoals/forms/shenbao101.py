"""Shanghai's 财政项目支出绩效目标申报表 (财预〔2021〕101号 framework): 成本指标 is a 一级 indicator
with 经济/社会/生态环境成本指标 under it, printed first; 项目性质 in the header; amounts in 元."""

from __future__ import annotations

from ..model import NEW_CATEGORIES
from .base import BENEFIT, COST, OUTPUT, SATISFACTION, Form

FORM = Form(
    id="shenbao101",
    title="财政项目支出绩效目标申报表",
    kind="target",
    levels={
        COST: ("经济成本指标", "社会成本指标", "生态环境成本指标"),
        OUTPUT: ("数量指标", "质量指标", "时效指标"),
        BENEFIT: ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
        SATISFACTION: ("服务对象满意度指标",),
    },
    money_unit="元",
    nature=True,
    value_head="年度(/项目)指标值",
    users="上海市各区（2022 年起的项目支出绩效目标申报）",
    example="tests/examples/sources/申报表样例.txt（perfgoals import 读入）",
    aliases=("101",),
    categories=NEW_CATEGORIES,
)
