"""One line per case: a clean table, one edit, how many findings of that rule it must give.

Every rule has at least one failing and one passing case here (checked at the bottom).
"""

from __future__ import annotations

import pytest

from perfgoals import loader
from perfgoals.lint import lint_sources
from perfgoals.lint.config import default
from perfgoals.lint.engine import Source
from perfgoals.lint.registry import RULES

from .conftest import CLEAN

BASE = CLEAN.read_text(encoding="utf-8")
R = "      - {三级指标: %s, 年度指标值: %s}"  # one indicator row


def findings(rule: str, *texts: str, year: int = 2024) -> list[str]:
    sources = []
    for i, text in enumerate(texts):
        project, problems = loader.load_text(text, f"p{i}.yaml")
        assert problems == [], problems
        sources.append(Source(project, year, "妇联"))
    return [p.message for p in lint_sources(sources, default()).problems if p.rule == rule]


def edit(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


ROW = R % ("妇女儿童满意度", "≥90%")
QTY = R % ("活动开展次数", "≥12次")
TIME = R % ("慰问补贴发放及时性", "10月底前")
COST = R % ("困难妇女儿童慰问补贴标准", "≤300元/人")
SOC = R % ("妇女儿童维权知晓率", "较上一年度提升5个百分点")

CASES = [
    # rule, old text, new text, expected number of findings
    ("required-fields", "主管部门: 浦江镇人民政府", "主管部门: null", 1),
    ("required-fields", "主管部门: 浦江镇人民政府", "主管部门: 浦江镇妇联", 0),
    ("category-missing", "项目类别: 经常性项目", "项目类别: null", 1),
    ("category-missing", "项目类别: 经常性项目", "项目类别: 一次性项目", 0),
    ("department-name", "主管部门: 浦江镇人民政府", "主管部门: 妇女儿童维权", 1),
    ("department-name", "主管部门: 浦江镇人民政府", "主管部门: 帮困助学", 1),
    ("department-name", "主管部门: 浦江镇人民政府", "主管部门: 上海市闵行区浦江镇人民政府", 0),
    ("date-format", "计划开始日期: 2024-01-01", "计划开始日期: 2024年初", 1),
    ("date-format", "计划开始日期: 2024-01-01", "计划开始日期: 2024-13", 1),
    ("date-format", "计划开始日期: 2024-01-01", "计划开始日期: 2024-01", 0),
    ("date-order", "计划完成日期: 2024-12-31", "计划完成日期: 2023-12-31", 1),
    ("date-order", "计划完成日期: 2024-12-31", "计划完成日期: 2024-01-01", 0),
    ("date-year", "计划开始日期: 2024-01-01", "计划开始日期: 2021-01-01", 1),
    ("date-year", "计划完成日期: 2024-12-31", "计划完成日期: 2023-12-31", 1),
    ("date-year", "计划开始日期: 2024-01-01", "计划开始日期: 2024-03-01", 0),
    ("period-format", "总目标期间: 2024年-2024年", "总目标期间: 全年", 1),
    ("period-format", "总目标期间: 2024年-2024年", "总目标期间: 2025年-2026年", 1),
    ("period-format", "总目标期间: 2024年-2024年", "总目标期间: 2024年1月-2024年12月", 0),
    ("year-folder", "年度: 2024", "年度: 2023", 1),
    ("year-folder", "年度: 2024", "年度: 2024  # 本年", 0),
    ("funds-total-sum", "  财政资金: 2.70", "  财政资金: 2.61", 1),
    ("funds-total-sum", "  其他资金: null\n年度", "  其他资金: 0\n年度", 0),
    ("funds-total-sum", "  财政资金: 2.70", "  财政资金: null", 1),  # names the blank part
    ("funds-total-sum", "  项目资金总额: 2.70", "  项目资金总额: 2.695", 0),  # one cause: amount-precision
    ("annual-total-sum", "当年财政拨款: 2.50", "当年财政拨款: null", 1),
    ("annual-total-sum", "年度资金申请总额: 2.70", "年度资金申请总额: null", 1),
    ("annual-total-sum", "当年财政拨款: 2.50", "当年财政拨款: 2.5", 0),
    ("funds-missing", "  项目资金总额: 2.70\n  财政资金: 2.70", "  项目资金总额: null\n  财政资金: null", 1),
    ("funds-missing", "  项目资金总额: 2.70\n  财政资金: 2.70", "  项目资金总额: 2.70\n  财政资金: null", 0),
    ("annual-vs-total", "年度资金申请总额: 2.70\n  当年财政拨款: 2.50", "年度资金申请总额: 2.00\n  当年财政拨款: 1.80", 1),
    ("annual-vs-total", "总目标期间: 2024年-2024年", "总目标期间: 2023年-2024年", 0),
    ("amount-positive", "上年结转资金: 0.20", "上年结转资金: -0.20", 1),
    ("amount-positive", "上年结转资金: 0.20", "上年结转资金: 0", 0),
    ("amount-implausible", "项目资金总额: 2.70", "项目资金总额: 145000000", 1),
    ("amount-implausible", "项目资金总额: 2.70", "项目资金总额: 99999.00", 0),
    ("amount-precision", "上年结转资金: 0.20", "上年结转资金: 0.205", 1),
    ("amount-precision", "上年结转资金: 0.20", "上年结转资金: 0.2", 0),
    ("goal-missing", "  年度总体目标: 全年", "  年度总体目标: null  # ", 1),
    ("goal-missing", "  年度总体目标: 全年", "  年度总体目标: 2024年全年", 0),
    ("goal-vague", "  年度总体目标: 全年开展", "  年度总体目标: 完成全年保障工作  # ", 1),
    ("goal-vague", "  年度总体目标: 全年开展", "  年度总体目标: 完成 12 次活动  # ", 0),
    ("goal-past-tense", "  项目总目标: 开展帮困助学活动", "  项目总目标: 完成了帮困助学活动", 1),
    ("goal-past-tense", "  项目总目标: 开展帮困助学活动", "  项目总目标: 完成帮困助学活动", 0),
    ("goal-truncated", "维护妇女儿童合法权益。", "维护妇女儿童合法权益，要求每", 1),
    ("goal-truncated", "维护妇女儿童合法权益。", "维护妇女儿童合法权益", 0),
    ("goal-stale-reference", "  项目总目标: 开展", "  项目总目标: 贯彻十九大精神，开展", 1),
    ("goal-stale-reference", "  项目总目标: 开展", "  项目总目标: 贯彻二十大精神，开展", 0),
    ("goal-date-outside-plan", "  年度总体目标: 全年", "  年度总体目标: 2023年11月1日开工，全年", 1),
    ("goal-date-outside-plan", "  年度总体目标: 全年", "  年度总体目标: 2024年6月底前，全年", 0),
    ("goal-date-outside-plan", "  年度总体目标: 全年", "  年度总体目标: 落实2016年市政府实事项目，全年", 0),
    ("goal-unmeasured", "  年度总体目标: 全年", "  年度总体目标: 全年走访约50名困难妇女，", 1),
    ("goal-unmeasured", "  年度总体目标: 全年", "  年度总体目标: 全年开展活动12次，", 0),  # 活动开展次数 ≥12次
    ("goal-unmeasured", "  年度总体目标: 全年", "  年度总体目标: 全年开展庆祝三八节活动、第十二次会议，", 0),
    ("goal-stale-reference", "  项目总目标: 开展", "  项目总目标: 贯彻十九大和十九届五中全会精神，开展", 1),  # one family, one finding
    ("goal-stale-reference", "  项目总目标: 开展", "  项目总目标: 做好新冠防控，开展", 1),
    ("goal-stale-reference", "  项目总目标: 开展", "  项目总目标: 巩固拓展脱贫攻坚成果，开展", 0),
    ("level1-missing", "  满意度指标:\n    服务对象满意度指标:\n" + ROW, "", 1),
    ("level1-missing", ROW, R % ("无", "null") + "\n" + ROW, 0),
    ("level1-missing", ROW, R % ("无", "null"), 1),
    ("quantity-missing", QTY + "\n" + R % ("困难妇女儿童慰问人数", "≥33人"), R % ("无", "100%"), 1),
    ("quantity-missing", QTY, R % ("讲座次数", "≥2次"), 0),
    ("level2-name", "可持续影响指标:", "可持续发展指标:", 1),
    ("level2-name", "可持续影响指标:", "生态效益指标:", 0),
    ("level2-parent", "    社会效益指标:", "    质量指标:", 1),
    ("level2-parent", "    社会效益指标:", "    经济效益指标:", 0),
    ("placeholder-row", SOC, R % ("无", "100%"), 1),
    ("placeholder-row", SOC, R % ("无", "null"), 0),
    ("empty-value", ROW, R % ("妇女儿童满意度", "null"), 1),
    ("empty-value", ROW, R % ("无", "null"), 0),
    ("empty-name", ROW, R % ("null", "≥90%"), 1),
    ("empty-name", ROW, R % ("null", "null"), 0),
    ("duplicate-indicator", TIME, R % ("活动开展次数", "10月底前"), 1),
    ("duplicate-indicator", TIME, R % ("活动开展及时性", "10月底前"), 0),
    ("effect-bare-percent", SOC, R % ("确保国家秘密安全", "100%"), 1),
    ("effect-bare-percent", SOC, R % ("提高服务效率", "=100%"), 1),
    ("effect-bare-percent", SOC, R % ("政策知晓率", "100%"), 0),
    ("effect-bare-percent", SOC, R % ("确保国家秘密安全", "未发生泄密事件"), 0),
    ("benefit-misfiled", "    社会效益指标:\n" + SOC, "    经济效益指标:\n" + R % ("食堂菜品质量考核得分", "90分"), 1),
    ("benefit-misfiled", "    社会效益指标:\n" + SOC, "    经济效益指标:\n" + R % ("节约租金支出", "≥5万元"), 0),
    ("timeliness-misplaced", SOC, R % ("维权响应及时性", "24小时"), 1),
    ("timeliness-misplaced", SOC, R % ("及时性满意度", "≥90%"), 0),
    ("cost-misuse", COST, R % ("验收通过率", "100%"), 1),
    ("cost-misuse", COST, R % ("成本控制", "不超预算"), 0),
    ("satisfaction-misplaced", SOC, R % ("服务指标满意率", "95%"), 1),
    ("satisfaction-misplaced", SOC, R % ("服务覆盖率", "95%"), 0),
    ("rate-without-percent", R % ("慰问补贴发放准确率", "100%"), R % ("慰问补贴发放准确率", "合格"), 1),
    ("rate-without-percent", R % ("慰问补贴发放准确率", "100%"), R % ("慰问补贴发放准确率", "100"), 1),
    ("rate-without-percent", R % ("慰问补贴发放准确率", "100%"), R % ("慰问补贴发放准确率", "=100.00(%)"), 0),
    ("department-is-unit", "主管部门: 浦江镇人民政府", "主管部门: 妇联", 1),
    ("department-is-unit", "主管部门: 浦江镇人民政府", "主管部门: 浦江镇人民政府 ", 0),
    ("category-one-off", "项目名称: 妇女儿童维权", "项目名称: 妇女活动中心修缮工程", 1),
    ("category-one-off", "项目名称: 妇女儿童维权", "项目名称: 妇女儿童维权服务", 0),
    ("benefit-misfiled", SOC, R % ("民情民意收集数量", "20件"), 1),
    ("benefit-misfiled", SOC, R % ("群众创建知晓率", "≥90%"), 0),
    ("cost-missing", COST, R % ("困难妇女儿童慰问补贴标准", "无"), 1),
    ("cost-missing", COST, R % ("无", "100%"), 1),
    ("placeholder-row", COST, R % ("无", "100%"), 0),  # one fix, one finding: cost-missing says it
    ("cost-missing", COST, R % ("无", "无"), 1),
    ("cost-missing", COST, R % ("困难妇女儿童慰问补贴标准", "≤350元/人"), 0),
    ("number-without-unit", QTY, R % ("活动场地面积", "500"), 1),
    ("number-without-unit", QTY, R % ("活动开展次数", "12次"), 0),
    ("number-without-unit", QTY, R % ("活动开展次数", "12"), 0),  # the name says what is counted
    ("number-without-unit", QTY, R % ("党组织数", "95"), 0),
    ("rate-without-percent", R % ("慰问补贴发放准确率", "100%"), R % ("资金拨付及时率", "6月30日前"), 0),
    ("rate-without-percent", R % ("慰问补贴发放准确率", "100%"), R % ("工作效率", "提高"), 0),
    ("percent-range", ROW, R % ("妇女儿童满意度", "120%"), 1),
    ("percent-range", ROW, R % ("妇女儿童满意度", "≥90.00(%)"), 0),
    ("quantity-not-count", QTY, R % ("报修完成率", "100%"), 1),
    ("quantity-not-count", QTY, R % ("活动开展次数", "每月不少于1次"), 0),
    ("quantity-not-count", QTY, R % ("覆盖学校", "公民办25所学校"), 0),  # a count inside text is a count
    ("quantity-not-count", QTY, R % ("活动安排", "8月开展1次"), 0),
    ("quantity-not-count", QTY, R % ("宣传工作", "按要求开展"), 1),
    ("timeliness-no-deadline", TIME, R % ("慰问补贴发放及时性", "及时"), 1),
    ("timeliness-no-deadline", TIME, R % ("慰问补贴发放及时性", "≥95%"), 0),  # 及时性 as a percentage is measurable
    ("timeliness-no-deadline", TIME, R % ("慰问补贴发放及时率", "=100.00(%)"), 0),
    ("timeliness-no-deadline", TIME, R % ("慰问补贴发放完成率", "100%"), 1),  # a rate misfiled under 时效
    ("timeliness-no-deadline", TIME, R % ("慰问补贴发放及时性", "全年"), 1),
    ("timeliness-no-deadline", TIME, R % ("慰问补贴发放及时性", "每季度"), 0),
    ("timeliness-no-deadline", TIME, R % ("维修响应时间", "24小时"), 0),
    ("timeliness-no-deadline", TIME, R % ("购买及时性", "一年2次，4月、8月底前完成"), 0),
    ("vague-qualitative", SOC, R % ("维护妇女儿童合法权益", "提升"), 1),
    ("vague-qualitative", SOC, R % ("杜绝安全隐患的发生", "杜绝"), 1),
    ("vague-qualitative", SOC, R % ("长效管理机制", "建立健全"), 0),  # a 机制 that is 健全: a state, scored 达成 or not
    ("vague-qualitative", SOC, R % ("长效管理水平", "建立健全"), 1),  # on anything else still a direction
    ("vague-qualitative", SOC, R % ("长效管理机制", "一定程度提升"), 1),
    ("vague-qualitative", SOC, R % ("维权工作制度", "修订并印发制度≥2项"), 0),
    ("reversed-direction", QTY, R % ("受益人数", "≤590.00(人)"), 1),
    ("reversed-direction", COST, R % ("人均补贴", "≤300元"), 0),
    ("satisfaction-format", ROW, R % ("妇女儿童满意度", "满意"), 1),
    ("satisfaction-format", ROW, R % ("妇女儿童满意度", "100%"), 1),
    ("satisfaction-format", ROW, R % ("长效管理机制健全性", "健全"), 1),
    ("satisfaction-format", ROW, R % ("妇女儿童满意度", "≥95%"), 0),
    ("target-in-name", QTY, R % ("印刷品350份", "100%"), 1),
    ("target-in-name", QTY, R % ("印刷品数量", "350份"), 0),
]


@pytest.mark.parametrize("rule,old,new,expected", CASES)
def test_rule(rule, old, new, expected):
    assert len(findings(rule, edit(old, new))) == expected


def test_clean_table_has_no_findings_at_all():
    project, problems = loader.load_text(BASE, "clean.yaml")
    assert problems == []
    assert lint_sources([Source(project, 2024, "妇联")], default()).problems == []


def test_same_indicator_set_needs_two_projects():
    other = edit("项目名称: 妇女儿童维权", "项目名称: 妇女儿童发展")
    assert len(findings("same-indicator-set", BASE, other)) >= 1
    changed = other.replace("活动开展次数", "讲座次数")
    assert findings("same-indicator-set", BASE, changed) == []


def test_same_indicator_set_reports_the_copy_not_its_source():
    """The rows name 妇女儿童, the subject of 妇女儿童维权, in a table about boundary markers:
    the copy is told where its rows came from; the source, whose rows are its own, is not told."""
    copy = (edit("项目名称: 妇女儿童维权", "项目名称: 界桩界线管理")
            .replace("开展帮困助学活动，走访困难妇女儿童 33 人；开展妇科筛查与维权法律咨询服务，维护妇女儿童合法权益。",
                     "完成本镇行政区域界桩的巡查与维护。")
            .replace("全年开展维权宣传活动 12 次，10 月底前完成困难妇女儿童慰问，居民满意度达到 90% 以上。",
                     "全年巡查界桩 12 次。"))
    found = findings("same-indicator-set", BASE, copy)
    assert len(found) == 1
    assert "“妇女儿童维权”完全相同" in found[0] and "说的是“妇女儿童维权”的事" in found[0]
    # neither name is what the rows are about: nothing shows which came first, both are told
    other = copy.replace("项目名称: 界桩界线管理", "项目名称: 河道保洁").replace("界桩", "河道")
    assert len(findings("same-indicator-set", copy, other)) == 2


def test_copied_subject_compares_a_table_with_its_siblings():
    row = R % ("残疾人满意度", "≥90%")
    sibling = edit("项目名称: 妇女儿童维权", "项目名称: 残疾人交通补贴").replace(ROW, row)
    copied = edit(ROW, row)  # 妇女儿童维权 with the sibling's 残疾人满意度
    [msg] = [f for f in findings("copied-subject", copied, sibling) if "残疾人满意度" in f]
    assert "“残疾人满意度”与同单位“残疾人交通补贴”的指标相同" in msg and "“残疾人”" in msg
    assert findings("copied-subject", copied) == []  # no sibling holds it: nothing to compare with
    about = copied.replace("开展帮困助学活动", "为智障人士开展帮困助学活动")
    assert not [f for f in findings("copied-subject", about, sibling) if "残疾人满意度" in f]  # it concerns 残疾人
    other_unit = [Source(loader.load_text(t, f"{i}.yaml")[0], 2024, u)
                  for i, (t, u) in enumerate([(copied, "妇联"), (sibling, "残联")])]
    assert [p for p in lint_sources(other_unit, default()).problems if p.rule == "copied-subject"] == []


def test_target_lowered_against_last_year():
    def lint_years(old: str, new: str, unit: str = "妇联") -> list[str]:
        sources = [Source(loader.load_text(old.replace("年度: 2024", "年度: 2023"), "2023.yaml")[0], 2023, "妇联"),
                   Source(loader.load_text(new, "2024.yaml")[0], 2024, unit)]
        return [f"{p.path}:{p.line}:{p.message}" for p in lint_sources(sources, default()).problems
                if p.rule == "target-lowered"]
    assert lint_years(BASE, BASE) == []
    [msg] = lint_years(BASE, edit("年度指标值: ≥12次", "年度指标值: ≥10次"))
    assert msg.startswith("2024.yaml:26:") and "“活动开展次数”目标降低：2023 年度为“≥12次”，本年度为“≥10次”" in msg
    [msg] = lint_years(BASE, edit("年度指标值: 10月底前", "年度指标值: 12月底前"))
    assert "期限推后" in msg
    assert lint_years(BASE, edit("年度指标值: ≥12次", "年度指标值: ≥10次"), unit="团委") == []  # another unit's project


def test_duplicate_project_name_across_files():
    assert len(findings("duplicate-project-name", BASE, BASE)) == 2
    assert findings("duplicate-project-name", BASE, edit("项目名称: 妇女儿童维权", "项目名称: 妇女儿童发展")) == []


def test_arithmetic_message_states_expected_actual_difference():
    [msg] = findings("annual-total-sum", edit("年度资金申请总额: 2.70", "年度资金申请总额: null"))
    assert msg == "年度资金申请总额为空，按其中各项应为 2.70 万元（当年财政拨款 2.50 + 上年结转资金 0.20 + 其他资金 0）"
    [msg] = findings("funds-total-sum", edit("  财政资金: 2.70", "  财政资金: 2.61"))
    assert "应为 2.61 万元" in msg and "表上为 2.70，相差 0.09" in msg


def test_one_cause_one_finding_and_the_blank_part_is_named():
    over = edit("  项目资金总额: 2.70", "  项目资金总额: 2.695")
    assert findings("funds-total-sum", over) == [] and len(findings("amount-precision", over)) == 1
    [msg] = findings("funds-total-sum", edit("  财政资金: 2.70", "  财政资金: null"))
    assert msg.startswith("财政资金为空") and "应填写财政资金" in msg


def test_money_in_yuan_is_checked_in_yuan():
    text = edit("金额单位: 万元", "金额单位: 元").replace("2.70", "27000.00").replace("2.50", "25000.00") \
        .replace("0.20", "2000.00")
    assert findings("funds-total-sum", text) == [] and findings("amount-precision", text) == []
    [msg] = findings("annual-total-sum", text.replace("当年财政拨款: 25000.00", "当年财政拨款: 25000.01"))
    assert "元（" in msg and "万元" not in msg


def test_every_rule_has_a_failing_and_a_passing_case():
    # corpus rules and the budget-dependent trivial-target have tests of their own above
    own = {"same-indicator-set", "duplicate-project-name", "trivial-target", "copied-subject"}
    own |= {"target-lowered", "lowered-after-miss", "target-never-binding", "indicators-copied"}  # test_years.py
    own |= {rid for rid, r in RULES.items() if r.kind == "selfeval"}  # test_selfeval.py covers them
    own |= {rid for rid, r in RULES.items() if r.kind == "monitor"}  # test_monitor.py runs their examples
    failing = {c[0] for c in CASES if c[3] != 0} | own
    passing = {c[0] for c in CASES if c[3] == 0} | own
    assert failing == set(RULES), set(RULES) - failing
    assert passing == set(RULES), set(RULES) - passing


def test_cost_missing_weighs_more_for_large_budgets_and_takes_its_option(tmp_path, run):
    from perfgoals.lint import config as lconf
    text = edit(COST, R % ("无", "无"))
    small = lint_sources([Source(loader.load_text(text, "a.yaml")[0], 2024, "妇联")], default()).problems
    assert [p.level for p in small if p.rule == "cost-missing"] == ["info"]  # 2.70 万元: below info-below (5)
    middle = text.replace("年度资金申请总额: 2.70", "年度资金申请总额: 10.00")
    mid = lint_sources([Source(loader.load_text(middle, "a.yaml")[0], 2024, "妇联")], default()).problems
    assert [p.level for p in mid if p.rule == "cost-missing"] == ["warning"]  # 10 万元
    conf = lconf.parse("rules:\n  cost-missing: {error-above: 1}\n", "t.yaml", default(), tmp_path)
    strict = lint_sources([Source(loader.load_text(text, "a.yaml")[0], 2024, "妇联")], conf).problems
    assert [p.level for p in strict if p.rule == "cost-missing"] == ["error"]
    chosen = lconf.parse("rules:\n  cost-missing: {level: info, error-above: 1}\n", "t.yaml", default(), tmp_path)
    info = lint_sources([Source(loader.load_text(text, "a.yaml")[0], 2024, "妇联")], chosen).problems
    assert [p.level for p in info if p.rule == "cost-missing"] == ["info"]  # a level the user chose stands
    with pytest.raises(Exception, match="没有选项“threshold”"):
        lconf.parse("rules:\n  cost-missing: {threshold: 1}\n", "t.yaml", default(), tmp_path)


def test_every_rule_declares_its_default_level_beside_its_code():
    for rid, r in RULES.items():
        assert r.level in ("error", "warning", "info", "off"), rid
        assert default().levels[rid] == (None if r.level == "off" else r.level), rid


def test_trivial_target_for_a_large_budget():
    big = edit("年度资金申请总额: 2.70", "年度资金申请总额: 318.00")
    only_one = big.replace(QTY, R % ("活动开展次数", "≥1次")).replace(R % ("困难妇女儿童慰问人数", "≥33人") + "\n", "")
    assert len(findings("trivial-target", only_one)) == 1
    assert findings("trivial-target", big) == []  # 12 次 and 33 人: real outputs
    small = only_one.replace("年度资金申请总额: 318.00", "年度资金申请总额: 2.70")
    assert findings("trivial-target", small) == []  # a 2.70 万元 project may well do one thing


def test_goal_sentences_are_those_of_the_plain_pattern() -> None:
    """goal-truncated reads a goal's sentences with an anchored, possessive pattern (linear in the
    text); it must find exactly the sentences of the plain lazy pattern it replaced."""
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from perfgoals.lint.rules_goals import _SENTENCE

    plain = re.compile(r"([^。；！？]{4,}?)[。；！？]")

    @settings(max_examples=2000, deadline=None)
    @given(st.text(alphabet="ab的是，。；！？\n ", max_size=40))
    def same(text: str) -> None:
        assert [(h.group(1), h.end()) for h in _SENTENCE.finditer(text)] == \
               [(h.group(1), h.end()) for h in plain.finditer(text)]
    same()


def test_goal_promises_are_those_of_the_lookbehind_pattern() -> None:
    """goal-unmeasured finds a number and its unit first and then looks at the character before
    it; that must find exactly what the one pattern with a lookbehind finds."""
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from perfgoals.lint.rules_goals import _CN_DIGITS, _promises

    plain = re.compile(r"(?<![\d.年月日号%第一二两三四五六七八九十])(\d+(?:\.\d+)?|[一两二三四五六七八九十](?![一二三四五六七八九十]))"
                       r"\s*(?:余|多)?\s*(名|人次|人|次|场次|场|期|户|所|篇|批|项|个|件|家|条|处|座|支|门|课时|节)")

    def expected(text: str) -> list[tuple[str, str]]:
        found = ((str(_CN_DIGITS[h.group(1)]) if h.group(1) in _CN_DIGITS else h.group(1), h.group(0))
                 for h in plain.finditer(text))
        return [(value, shown) for value, shown in found if value not in ("0", "1")]

    @settings(max_examples=3000, deadline=None)
    @given(st.text(alphabet="120.年第一二十人次名余多 课时节场a中１²٣", max_size=16))
    def same(text: str) -> None:
        assert _promises(text) == expected(text)
    same()


@pytest.mark.parametrize("rule, old, new, level", [
    ("quantity-not-count", QTY, R % ("活动覆盖率", "≥90%"), "info"),  # measurable, wrong heading: a hint
    ("quantity-not-count", QTY, R % ("宣传工作", "按要求开展"), "warning"),  # cannot be scored
    ("benefit-misfiled", SOC, R % ("民情民意收集数量", "20件"), "info"),
    ("timeliness-no-deadline", TIME, R % ("补贴发放准确率", "100%"), "info"),
    ("timeliness-no-deadline", TIME, R % ("车辆停放及时性", "及时"), "warning"),
    ("timeliness-misplaced", SOC, R % ("响应维修及时性", "24小时内"), "info"),
    ("timeliness-misplaced", SOC, R % ("响应维修及时性", "及时"), "warning"),
])
def test_measurable_rows_under_the_wrong_heading_are_hints(rule, old, new, level):
    """Issue 29: a row that can be scored but sits under the wrong 二级 heading is 提示 with the
    move suggested; a value that cannot be scored stays a warning."""
    project, _ = loader.load_text(edit(old, new), "p.yaml")
    found = [p.level for p in lint_sources([Source(project, 2024, "妇联")], default()).problems if p.rule == rule]
    assert found == [level]
