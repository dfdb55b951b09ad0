"""The town's 财政项目支出绩效目标表 (浦江镇 2024; the 财预〔2015〕88号 framework): 成本指标 is a
二级 indicator under 产出指标; amounts in 万元."""

from __future__ import annotations

from ..model import CATEGORIES
from .base import BENEFIT, OUTPUT, SATISFACTION, Form

FORM = Form(
    id="town2024",
    title="财政项目支出绩效目标表",
    kind="target",
    levels={
        OUTPUT: ("数量指标", "质量指标", "时效指标", "成本指标"),
        BENEFIT: ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
        SATISFACTION: ("服务对象满意度指标",),
    },
    # the blank 2024 浦江 form pre-prints no 质量指标 row
    blank={
        OUTPUT: ("数量指标", "时效指标", "成本指标"),
        BENEFIT: ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
        SATISFACTION: ("服务对象满意度指标",),
    },
    users="上海市闵行区浦江镇等镇、街道（2024 年度项目支出绩效目标）",
    example="data/2024/妇联/妇女儿童维权.yaml",
    aliases=("2024",),
    categories=CATEGORIES,
)
