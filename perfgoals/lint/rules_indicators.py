"""Rules on the 绩效指标 tree and on each indicator's quality (can it be scored at year end?)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterator

from .. import framework
from .. import model as m
from ..target import Target, mentions_time, parse
from ..textnorm import squash
from .engine import Finding, Source, rule

PLACEHOLDERS = {"无", "/", "／", "-", "—", "暂无", "无指标"}
_TIMELY = re.compile(r"及时(性|率)|及时$|按时|时效性|时限|准时")
_COSTLIKE = re.compile(r"成本|费|金额|预算|单价|标准|支出|资金|价格|元|经费|造价|审计|补贴|补助")
_RATE = re.compile(r"率$")
#: Names that say what is counted, so the bare number's unit is plain: 党组织数 95, 参与人数 300.
_UNIT_IN_NAME = re.compile(r"(人|次|个|户|件|场|所|篇|期|批|项|名|家|组织|站点|点位|条|份|天)数(量)?$|数量$|个数$")
_COUNT_IN_NAME = re.compile(r"\d+\s*(?:次|份|人|个|件|场|户|所|篇|期|批|项|名|位|天|家|万件|万人)")
_GENERIC_FULL = {"100%", "=100%", "100", "100(%)", "≥100%"}
_TIME_UNITS = ("小时", "天", "日", "工作日", "个工作日", "分钟", "周", "月")
_NOT_DEADLINE = {"全年", "及时", "实时", "按时", "立即", "随时"}
#: Bare words that state a direction but no level: a year-end evaluator cannot score them.
VAGUE = {
    "提升", "提高", "保障", "加强", "增强", "改善", "完善", "促进", "推进", "营造", "持续", "弘扬", "缓解",
    "巩固", "强化", "丰富", "深化", "稳定", "友好", "杜绝", "消除", "规范", "有效", "合理", "显著改善",
    "保障运行", "保障工作顺利", "意识提升", "质量提升", "质量提高", "建设稳定", "影响力扩大", "推动",
    "一定程度提升", "满意", "建立健全", "建立完善", "健全", "不断完善", "逐步完善", "进一步提升", "进一步加强",
}
#: Openings that leave the degree open whatever follows ("一定程度提升居民满意度", "有所改善").
_VAGUE_START = re.compile(r"^(一定程度(上)?|有所|进一步|不断|逐步|持续)")
#: values that state a state, not a direction, when the name is an institution (制度、机制、体系)
_STATE_WORDS = {"健全", "完善", "建立完善", "建立健全", "健全完善", "完善健全", "建立", "建成", "形成"}
_INSTITUTION = re.compile(r"制度|机制|体系|体制|规章|办法|预案")


#: Words of an economic effect: income, savings, cost, tax, rent, output value, jobs.
_ECONOMIC = re.compile(r"收入|增收|创收|节约|节省|降低成本|成本|经费|资金|租金|税|产值|营收|收益|效益|投资|价格|费用|"
                       r"开支|支出|元|就业|产业|消费|招商|营商")


_BARE_PERCENT = re.compile(r"\s*[=≥>]?\s*\d{1,3}(\.\d+)?\s*[%％]\s*")
#: Names that are a ratio (率, 度, 比例…) or a property checked as yes/no (…性), where 100% reads.
_RATIO_NAME = re.compile(r"(?<!效)率|度|比例|占比|性$|覆盖面|百分比|完成情况")


def _name(row: m.Indicator) -> str:
    name = row.name
    return name.strip() if name else ""


def _real(row: m.Indicator) -> bool:
    name = row.name.strip() if row.name else ""
    return bool(name) and name not in PLACEHOLDERS


# -- the tree ------------------------------------------------------------------------------

@rule("level1-missing", "error")
def level1_missing(src: Source) -> Iterator[Finding]:
    """产出指标、效益指标、满意度指标三类一级指标都应至少有一个指标。

    依据：财预〔2015〕88号——绩效指标主要包括产出指标、效益指标和满意度指标；中发〔2018〕34号要求绩效目标
    同时包括产出、效益和服务对象满意度。
    通过：（三类一级指标下都有填写的三级指标）
    不通过：删去 服务对象满意度指标（没有任何满意度指标）
    """
    p = src.project
    present = {g.level1 for g in p.groups if any(_real(r) for r in g.rows)}
    for level1 in (framework.OUTPUT, framework.BENEFIT, framework.SATISFACTION):
        if level1 not in present:
            yield Finding(m.K_INDICATORS, f"缺少{level1}：至少应设一个有实际内容的{level1}")


@rule("quantity-missing", "error")
def quantity_missing(src: Source) -> Iterator[Finding]:
    """产出指标中至少要有一个数量指标。

    依据：财预〔2015〕88号、〔2021〕101号——数量指标反映提供产品或服务的数量，是核心产出指标。
    通过：数量指标: 活动开展次数 12次
    不通过：数量指标: 无 100%（数量指标下只有“无 100%”）
    """
    p = src.project
    if not any(_real(r) for g in p.groups if g.level2 == framework.QUANTITY for r in g.rows):
        yield Finding(f"{m.K_INDICATORS}.{framework.OUTPUT}", "没有数量指标：应至少设一个反映产出数量的指标")


@rule("level2-name", "warning", kind="any")
def level2_name(src: Source) -> Iterator[Finding]:
    """二级指标名称应取自规定的指标体系（数量指标、质量指标、时效指标、成本指标、经济效益指标……）。

    别处的表常用自己的写法（“长效管理指标”“可持续发展指标”“社会效益”）：这样的表照样读入、打印、计分，
    本规则只提示一次（警告，不是错误：表就是这样填的），并给出最相近的规定名称。
    依据：财预〔2015〕88号与〔2021〕101号规定的指标框架。
    通过：效益指标.可持续影响指标: 维权工作制度 修订并印发制度≥2项
    不通过：效益指标.可持续发展指标: 维权工作制度 修订并印发制度≥2项
    """
    for g in src.doc.groups:
        if g.level2 not in framework.LEVEL2_PARENT:
            close = framework.nearest_level2(g.level1, g.level2)
            hint = f"，最相近的规定名称是“{close}”" if close else ""
            yield Finding(f"{m.K_INDICATORS}.{g.level1}.{g.level2}", f"“{g.level2}”不是规定的二级指标名称{hint}")


@rule("level2-parent", "warning", kind="any")
def level2_parent(src: Source) -> Iterator[Finding]:
    """二级指标要放在对应的一级指标下（如社会效益指标属于效益指标）。

    依据：财预〔2015〕88号（成本指标属产出指标）与〔2021〕101号（成本指标为一级指标，下设经济成本、社会成本、
    生态环境成本指标）的指标框架，两种都认可。
    通过：效益指标.社会效益指标: 妇女儿童维权知晓率 较上一年度提升5个百分点
    不通过：产出指标.社会效益指标: 妇女儿童维权知晓率 较上一年度提升5个百分点
    """
    for g in src.doc.groups:
        allowed = framework.FORM_2024.get(g.level1, ()) + framework.FORM_101.get(g.level1, ())
        if g.level2 in framework.LEVEL2_PARENT and g.level2 not in allowed:
            yield Finding(f"{m.K_INDICATORS}.{g.level1}.{g.level2}",
                          f"“{g.level2}”不属于{g.level1}，应放在{framework.LEVEL2_PARENT[g.level2]}下")


@rule("placeholder-row", "warning")
def placeholder_row(src: Source) -> Iterator[Finding]:
    """“无”之类的占位行不应带指标值（如“无 100%”）：没有指标就删去这一行。

    成本指标下的占位行由 cost-missing 报告一次（那里的修改是写出成本指标，而不是删去这一行）。
    依据：常识——“无 100%”在年终自评时会被当作一个已完成的指标，虚增得分。
    通过：（删去空着的二级指标行）
    通过：成本指标: 无 100%（cost-missing 报告）
    不通过：经济效益指标: 无 100%
    """
    for path, g, _i, row in src.project.rows():
        if _name(row) in PLACEHOLDERS and row.value and not _cost_group(g):
            yield Finding(path, f"占位行“{_name(row)}”带有指标值“{row.value}”：不设此指标就删去该行")


@rule("empty-value", "error")
def empty_value(src: Source) -> Iterator[Finding]:
    """有指标名称的行必须填写年度指标值。

    依据：财政部〔2020〕10号——年终按目标值打分，没有目标值的指标无法评价。
    通过：服务对象满意度指标: 社工满意度 ≥90%
    不通过：服务对象满意度指标: 社工满意度 null
    """
    for path, _g, _i, row in src.project.rows():
        if _real(row) and not (row.value or "").strip():
            yield Finding(f"{path}.{m.K_ROW_VALUE}", f"“{_name(row)}”没有填写年度指标值")


@rule("empty-name", "error")
def empty_name(src: Source) -> Iterator[Finding]:
    """有指标值的行必须写明三级指标名称。

    依据：常识——只有数值没有名称，无人知道考核的是什么。
    通过：数量指标: 活动开展次数 ≥12次
    不通过：数量指标: null ≥12次
    """
    for path, _g, _i, row in src.project.rows():
        if not _name(row) and (row.value or "").strip():
            yield Finding(f"{path}.{m.K_ROW_NAME}", f"指标值“{row.value}”没有对应的三级指标名称")


@rule("name-truncated", "warning")
def name_truncated(src: Source) -> Iterator[Finding]:
    """三级指标名称在词语中间断掉：以“的”“和”“及”“与”、顿号、逗号结尾，或以乱码“�”结尾。

    依据：常识——从窄小的表格单元格复制时名称被截断，看不出考核的是什么。
    通过：质量指标: 困难妇女儿童帮扶覆盖率 ≥95%
    不通过：质量指标: 困难妇女儿童的 ≥95%
    不通过：数量指标: 走访困难妇女和 33人
    """
    for path, _g, _i, row in src.project.rows():
        name = _name(row)
        if len(name) >= 3 and (name[-1] in _NAME_CUT or name[-1] == "\ufffd" or "\ud800" <= name[-1] <= "\udfff"):
            yield Finding(f"{path}.{m.K_ROW_NAME}", f"三级指标名称“{name}”似乎在词语中间被截断（结尾为“{name[-1]}”），请补全")


#: a 三级指标 name never ends on these: a particle or a list still going on
_NAME_CUT = "的和及与或、，,"


@rule("duplicate-indicator", "warning")
def duplicate_indicator(src: Source) -> Iterator[Finding]:
    """同一个三级指标在一张表中出现两次。

    依据：财预〔2021〕101号“高度关联、重点突出”——重复的指标多是复制粘贴时的遗漏，也会在自评时重复计分。
    通过：数量指标: 国防集中宣传活动开展次数 ≥2次 / 时效指标: 国防集中宣传活动完成时间 10月底前
    不通过：数量指标: 国防集中宣传活动开展次数 ≥2次 / 时效指标: 国防集中宣传活动开展次数 10月底前
    """
    seen: dict[str, str] = {}
    p = src.project
    for (path, g, _i, row), name in zip(p.rows(), p.row_keys()):
        if not _real(row):
            continue
        if name in seen:
            yield Finding(path, f"三级指标“{_name(row)}”重复出现（另见{seen[name]}）")
        else:
            seen[name] = g.level2


# -- indicator quality ----------------------------------------------------------------------

def _cost_group(g: m.Group) -> bool:
    return g.level2 == "成本指标" or g.level1 == framework.COST


@rule("cost-missing", "warning", **{"error-above": Decimal(100), "info-below": Decimal(5)})
def cost_missing(src: Source) -> Iterator[Finding]:
    """项目没有成本指标：成本指标下空白、只写“无”或没有这一组，都算没有。

    依据：中发〔2018〕34号《关于全面实施预算绩效管理的意见》要求关注成本效益，财预〔2021〕101号把成本指标
    列为必设的一级指标（经济、社会、生态环境成本）；没有成本指标就无法判断钱花得值不值。预算越大越要紧：
    年度资金申请总额达到选项 error-above（万元，默认 100）时报告为错误，低于选项 info-below（万元，默认 5）时
    只作提示（几万元的小项目，审核不会因此退回；用户把本规则设为其他级别时按其设置）。成本指标下只有带值的
    占位行（“无 100%”）时也由本规则报告，指向那一行（placeholder-row 不再重复）。
    通过：成本指标: 人均培训成本 ≤1500元/人
    不通过：成本指标: 无 100%
    不通过：删去 成本指标
    不通过：年度资金申请总额: 150.00 / 当年财政拨款: 150.00 / 项目资金总额: 150.00 / 财政资金: 150.00 / 删去 成本指标
    """
    p = src.project
    costs = [row for g in p.groups if _cost_group(g) for row in g.rows
             if _real(row) and row.value and squash(row.value) not in PLACEHOLDERS]
    if costs:
        return
    annual = p.amount_in_wan(p.annual.total)
    threshold = Decimal(str(src.options.get("error-above", 100)))
    large = annual is not None and annual >= threshold
    small = annual is not None and annual < Decimal(str(src.options.get("info-below", 5)))
    where = next((f"{m.K_INDICATORS}.{g.level1}.{g.level2}" for g in p.groups if _cost_group(g)),
                 f"{m.K_INDICATORS}.{framework.OUTPUT}")
    size = f"（年度资金申请总额 {format(annual, 'f')} 万元）" if annual is not None else ""
    stand_in = next(((path, row) for path, g, _i, row in p.rows() if _cost_group(g) and _name(row) in PLACEHOLDERS
                     and row.value), None)
    said = f"成本指标下只有占位行“{_name(stand_in[1])}　{stand_in[1].value}”" if stand_in else "没有成本指标"
    yield Finding(stand_in[0] if stand_in else where,
                  f"{said}{size}：应设置单位成本或总成本指标，如“人均补贴标准 ≤300元/人”（34号·101号·成本）",
                  "error" if large else "info" if small else None)


@rule("trivial-target", "warning", **{"min-budget": Decimal(50)})
def trivial_target(src: Source) -> Iterator[Finding]:
    """一个有相当预算的项目，数量指标全都只是“1个”“≥1人”：这样的目标不可能达不到，也说明不了钱做了什么。

    依据：财预〔2020〕10号以目标值与实际值的偏离度评价，财预〔2015〕88号要求目标“合理可行”、与资金量
    “相应匹配”；预算达到选项 min-budget（万元，默认 50）的项目，产出不应只有 1 件。
    通过：年度资金申请总额: 65.52 / 数量指标: 帮扶就业残疾人数 ≥60人
    不通过：年度资金申请总额: 65.52 / 数量指标: 修缮站点数 =1个
    """
    p = src.project
    annual = p.amount_in_wan(p.annual.total)
    if annual is None or annual < Decimal(str(src.options.get("min-budget", 50))):
        return
    rows = [(path, row) for path, g, _i, row in p.rows() if g.level2 == framework.QUANTITY and _real(row) and row.value]
    targets = [parse(row.value) for _path, row in rows]
    if rows and all(t.kind == "number" and t.number is not None and t.number <= 1 for t in targets):
        shown = "、".join(f"{_name(row)} {row.value}" for _path, row in rows)
        yield Finding(f"{rows[0][0]}.{m.K_ROW_VALUE}",
                      f"年度资金 {format(annual, 'f')} 万元的项目，数量指标只有“{shown}”：目标过低，应写明实际提供的"
                      "产品或服务数量（10号·偏离度，88号·相应匹配）")


_ECOLOGICAL = re.compile(r"环境|生态|绿化|绿色|节能|能耗|节约|减排|排放|垃圾|污染|水质|空气|噪声|噪音|碳|资源|循环|环保"
                         r"|整洁|卫生|美化|植被|河道|土壤|能源|烟")
_OUTPUT_UNITS = ("次", "件", "条", "人", "个", "场", "户", "篇", "期", "批", "项", "名", "所", "家", "份")


@rule("benefit-misfiled", "warning")
def benefit_misfiled(src: Source) -> Iterator[Finding]:
    """效益指标下的行不是效益：产出数量、衡量质量或服务的“经济效益”、与环境无关的“生态效益”。

    产出的件数、条数（“20件”“20条”）是产出数量；经济效益指标下的行应与收入、节约、成本有关；
    生态效益指标下的行应与环境、资源、能耗有关。

    指标值本身可以衡量（数量、比率、期限）的，只是放错了位置，年终照样能打分：报告为提示并建议移到哪里；
    指标值无法衡量的仍是警告。
    依据：财预〔2015〕88号的指标分类——效益指标反映项目实施带来的经济、社会、生态效益和可持续影响，
    提供了多少件（条、次）属于产出指标中的数量指标。
    通过：社会效益指标: 群众创建知晓率 ≥90%
    不通过：社会效益指标: 民情民意收集数量 20件
    不通过：生态效益指标: 每年解决协管员工作就餐 保障
    不通过：经济效益指标: 食堂菜品质量考核得分 90分
    """
    for path, g, _i, row in src.project.rows():
        if g.level1 != framework.BENEFIT or not _real(row):
            continue
        t = parse(row.value)
        scored = _measurable(t)
        if t.kind == "number" and (t.unit or "").startswith(_OUTPUT_UNITS):
            yield Finding(path, f"“{_name(row)}”（{row.value}）是产出的数量，应移到产出指标的数量指标（88号·指标分类）",
                          "info")
        elif g.level2 == "经济效益指标" and not _ECONOMIC.search(_name(row) + (row.value or "")) \
                and not _TIMELY.search(_name(row)):  # 及时性 rows: timeliness-misplaced says where they go
            yield Finding(path, f"“{_name(row)}”衡量的是质量或服务，不是经济效益（收入、节约、成本）；应移到质量指标"
                                "或社会效益指标（88号·指标分类）", "info" if scored else None)
        elif g.level2 == "生态效益指标" and not _ECOLOGICAL.search(_name(row) + (row.value or "")):
            yield Finding(path, f"“{_name(row)}”与生态环境无关，不是生态效益；应移到相应的效益指标或删去"
                                "（88号·指标分类）", "info" if scored else None)


@rule("effect-bare-percent", "warning")
def effect_bare_percent(src: Source) -> Iterator[Finding]:
    """效益指标或质量指标只写一个百分比（“100%”“96%”“≥95%”），而所写的效果或质量不是一个比率：
    这个百分比说不清要达到什么、怎样核实。

    如“确保国家秘密安全 100%”“提高服务效率 100%”“质量要求必须达标 100%”。名称为“…率”“…度”“…性”的
    比率指标不在此列。

    依据：财预〔2015〕88号要求绩效指标“可衡量”“可考核”；定量指标应有比率的分子分母，否则应写成具体的
    定性标准。
    通过：社会效益指标: 政策知晓率 =100%
    通过：质量指标: 慰问补贴发放准确率 ≥98%
    不通过：社会效益指标: 确保国家秘密安全 100%
    不通过：社会效益指标: 提高服务效率 100%
    不通过：社会效益指标: 残疾人生活水平 96%
    不通过：质量指标: 质量要求必须达标，适合实际的需求 100%
    """
    for path, g, _i, row in src.project.rows():
        where = g.level1 == framework.BENEFIT or g.level2 == "质量指标"
        if where and _real(row) and _BARE_PERCENT.fullmatch(row.value or "") \
                and not _RATIO_NAME.search(_name(row)):
            shown = (row.value or "").strip()
            yield Finding(path, f"“{_name(row)}”不是比率，“{shown}”无法核实：应改写成可衡量的比率（如知晓率"
                                "≥90%）或具体的定性标准（88号·可衡量）")


@rule("timeliness-misplaced", "warning")
def timeliness_misplaced(src: Source) -> Iterator[Finding]:
    """“及时性”“按时”一类指标应放在时效指标下。

    指标值可以衡量（期限、比率、数量）时只是放错了位置，报告为提示；无法衡量时仍是警告。
    依据：财预〔2015〕88号对产出指标的划分——时效指标反映完成的及时程度。
    通过：时效指标: 活动开展及时性 10月底前
    不通过：经济效益指标: 响应维修及时性 24小时
    """
    for path, g, _i, row in src.project.rows():
        if g.level2 != "时效指标" and _TIMELY.search(_name(row)) and "满意" not in _name(row):
            scored = _measurable(parse(row.value))  # misplaced but scored all the same: a hint
            yield Finding(path, f"“{_name(row)}”是时效类指标，却放在{g.level2}下，应移到时效指标",
                          "info" if scored else None)


@rule("cost-misuse", "warning", **{"info-below": Decimal(5)})
def cost_misuse(src: Source) -> Iterator[Finding]:
    """成本指标下应填写成本（单位成本、总成本、成本控制数），而不是比率、质量或数量。

    年度资金申请总额低于选项 info-below（万元，默认 5）的小项目只作提示。
    依据：财预〔2015〕88号——成本指标反映提供产品或服务的成本；〔2021〕101号将其细分为经济、社会、生态环境成本。
    通过：成本指标: 困难妇女儿童慰问补贴标准 300元/人
    不通过：成本指标: 验收通过率 100%
    不通过：成本指标: 志愿者费用合规性 ≥95%（名称里有“费”，指标值却是比率）
    """
    annual = src.project.amount_in_wan(src.project.annual.total)
    level = "info" if annual is not None and annual < Decimal(str(src.options.get("info-below", 5))) else None
    for path, g, _i, row in src.project.rows():
        if not _cost_group(g) or not _real(row):
            continue
        t = parse(row.value)
        # a percentage is no cost, whatever the name holds ("志愿者费用合规性 ≥95%")
        costlike = (_COSTLIKE.search(_name(row)) and t.kind != "percent") or (t.unit or "").startswith(("元", "万元")) \
            or "预算" in (row.value or "") or "元" in (row.value or "")
        if not costlike:
            yield Finding(path, f"“{_name(row)}”不是成本指标（成本指标应反映单位成本或总成本），应移到相应的二级指标",
                          level)


@rule("satisfaction-misplaced", "warning")
def satisfaction_misplaced(src: Source) -> Iterator[Finding]:
    """满意度类指标应放在满意度指标（服务对象满意度指标）下。

    依据：财预〔2015〕88号——满意度指标反映服务对象对项目实施效果的认可程度，单列为一级指标。
    通过：服务对象满意度指标: 居民满意度 ≥90%
    不通过：可持续影响指标: 服务指标满意率 95%
    """
    for path, g, _i, row in src.project.rows():
        if g.level1 != framework.SATISFACTION and "满意" in _name(row):
            yield Finding(path, f"“{_name(row)}”是满意度指标，却放在{g.level2}下，应移到服务对象满意度指标")


@rule("rate-without-percent", "warning")
def rate_without_percent(src: Source) -> Iterator[Finding]:
    """名称为“…率”的比率指标，指标值应是百分比（如 ≥95%）。

    依据：财预〔2021〕101号“量化易评”——比率以百分比计量，写成“合格”“验收通过”或不带 % 的数字无法打分。
    日期、期限和频次本身就可以衡量，不要求改成百分比；“效率”不是比率。
    通过：质量指标: 验收合格率 100%
    通过：时效指标: 资金拨付及时率 6月30日前
    不通过：质量指标: 工程验收合格率 验收通过
    """
    for path, _g, _i, row in src.project.rows():
        name = _name(row)
        if _RATE.search(name) and not name.endswith("效率") and row.value:
            t = parse(row.value)
            if t.kind != "percent" and not _has_deadline(t):
                yield Finding(f"{path}.{m.K_ROW_VALUE}",
                              f"“{name}”是比率，指标值“{row.value}”应写成百分比（如 ≥95%）（101号·量化易评）")


@rule("number-without-unit", "warning")
def number_without_unit(src: Source) -> Iterator[Finding]:
    """数值型指标值要带计量单位（人、次、个、户、件、㎡……）。

    依据：财预〔2021〕101号——指标值须明确度量单位。
    名称已经说明单位的（“党组织数”“参与人数”“开展次数”）不报告。
    通过：数量指标: 食堂日均用餐人数 500人
    通过：数量指标: 党组织数 95
    不通过：数量指标: 食堂日均用餐面积 500
    """
    for path, _g, _i, row in src.project.rows():
        t = parse(row.value)
        if t.kind == "number" and not t.unit and not _RATE.search(_name(row)) and not _UNIT_IN_NAME.search(_name(row)):
            yield Finding(f"{path}.{m.K_ROW_VALUE}", f"“{_name(row)}”的指标值“{row.value}”没有计量单位（101号·度量单位）")


@rule("percent-range", "error")
def percent_range(src: Source) -> Iterator[Finding]:
    """百分比应在 0% 到 100% 之间。

    依据：常识——完成率、覆盖率、满意度都不可能超过 100%。
    通过：质量指标: 验收合格率 ≥95%
    不通过：质量指标: 验收合格率 120%
    """
    for path, _g, _i, row in src.project.rows():
        t = parse(row.value)
        if t.kind == "percent" and t.number is not None and not Decimal(0) <= t.number <= Decimal(100) \
                and "增长" not in _name(row) and "提高" not in _name(row):
            yield Finding(f"{path}.{m.K_ROW_VALUE}", f"百分比 {row.value} 超出 0%–100%")


_COUNT_IN_TEXT = re.compile(r"\d+\s*(?:次|份|人|个|件|场|户|所|篇|期|批|项|名|位|家|条|处|座|台|辆|套|门|场次|人次|户次)")


@rule("quantity-not-count", "warning")
def quantity_not_count(src: Source) -> Iterator[Finding]:
    """数量指标的指标值应是数量（如“12次”“300人”），不是百分比或文字。

    依据：财预〔2015〕88号——数量指标反映提供产品或服务的数量；完成率属质量指标。
    文字中写明了数量的（“公民办25所学校”“8月开展1次”）就是数量，不报告；比率放在数量指标下，
    建议移到质量指标，而不是改写成数量。
    通过：数量指标: 活动开展次数 12次
    通过：数量指标: 覆盖学校 公民办25所学校
    不通过：数量指标: 宣传工作 按要求开展
    """
    for path, g, _i, row in src.project.rows():
        if g.level2 != framework.QUANTITY or not _real(row) or not row.value:
            continue
        t = parse(row.value)
        if t.kind == "percent" and _COUNT_IN_NAME.search(_name(row)):
            continue  # "培训3次 100%": the count is in the name (target-in-name says so, once)
        if t.kind == "percent":  # measurable, only under the wrong heading: a hint
            yield Finding(path, f"数量指标“{_name(row)}”是比率（{row.value}），比率反映质量，应移到质量指标（88号·指标分类）",
                          "info")
        elif t.kind in ("text", "deadline") and not _COUNT_IN_TEXT.search(row.value):
            what = {"text": "文字", "deadline": "日期"}[t.kind]
            yield Finding(f"{path}.{m.K_ROW_VALUE}",
                          f"数量指标“{_name(row)}”的指标值“{row.value}”是{what}，应写成数量（如“12次”“300人”）"
                          "（88号·可衡量）")


def _measurable(t: Target) -> bool:
    """A value a year-end 自评 can score: a number, a percentage, a deadline or a frequency."""
    return t.quantitative or t.kind in ("deadline", "frequency")


def _has_deadline(t: Target) -> bool:
    if t.text.strip() in _NOT_DEADLINE:
        return False
    if t.kind in ("deadline", "frequency") or mentions_time(t.text):
        return True
    return t.kind == "number" and bool(t.unit) and t.unit.startswith(_TIME_UNITS)  # type: ignore[union-attr]


_TIMELINESS_RATE = re.compile(r"及时(性|率)|按时(率|完成率|性)|准时率|时效性")


@rule("timeliness-no-deadline", "warning")
def timeliness_no_deadline(src: Source) -> Iterator[Finding]:
    """时效指标的指标值应是日期、期限或频次（“10月底前”“每季度”“24小时内”），不能只写“及时”“全年”。

    依据：财预〔2015〕88号——时效指标反映完成的及时程度，需可衡量；“及时”在年终无法判断是否达成。
    及时性、及时率、按时率写百分比（“发放及时率 ≥95%”）可以衡量，不报告；其他比率（完成率、合格率）
    放在时效指标下是放错了位置，报告为应移到质量指标，而不是“没有时限”。
    通过：时效指标: 活动开展及时性 10月底前
    通过：时效指标: 补贴发放及时率 ≥95%
    不通过：时效指标: 车辆停放及时性 及时
    """
    for path, g, _i, row in src.project.rows():
        if g.level2 != "时效指标" or not _real(row) or not row.value:
            continue
        t = parse(row.value)
        if _has_deadline(t):
            continue
        name = _name(row)
        if t.kind == "percent":
            if _TIMELINESS_RATE.search(name):
                continue  # a percentage of things done on time is measurable
            if _RATE.search(name):  # measurable, only under the wrong heading: a hint
                yield Finding(path, f"“{name}”是比率而不是时效，放在时效指标下不合适，应移到质量指标（88号·指标分类）",
                              "info")
                continue
        yield Finding(f"{path}.{m.K_ROW_VALUE}",
                      f"时效指标“{name}”的指标值“{row.value}”没有时限，应写明日期、期限或频次（如“10月底前”）"
                      "（88号·可衡量）")


@rule("vague-qualitative", "warning")
def vague_qualitative(src: Source) -> Iterator[Finding]:
    """指标值只有一个方向词（“提升”“保障”“加强”），或只是重复指标名称的动词，年终无法打分。

    一个制度、机制、体系“健全”“完善”“建立完善”是可以打分的状态（建成了就是达成），不报告；方向词（提升、
    加强、改善、有效）仍报告。
    依据：财预〔2015〕88号“不能以量化形式表述的，可采用定性表述，但应具有可衡量性”；〔2021〕101号要求
    定性指标分级分档表述（如“较上一年度提升”“达到优良”）。
    通过：社会效益指标: 市民文明素质 较上一年度提升
    通过：可持续影响指标: 长效管理机制 建立完善
    不通过：社会效益指标: 提升员工用餐质量 提升
    不通过：可持续影响指标: 长效管理水平 不断完善
    """
    for path, g, _i, row in src.project.rows():
        if not _real(row) or not row.value or g.level2 == "时效指标" or g.level1 == framework.SATISFACTION:
            continue
        value = squash(row.value)
        if value in _STATE_WORDS and _INSTITUTION.search(_name(row)):
            continue  # a 制度/机制/体系 that is 健全 or 完善 is a state, scored 达成 or 未达成
        echo = len(value) <= 4 and _name(row).startswith(value) and parse(row.value).kind == "text"
        opening = _VAGUE_START.match(value) and parse(row.value).kind == "text" and not re.search(r"\d", value)
        if value in VAGUE or echo or opening:
            why = "只是重复了指标名称中的动词" if echo and value not in VAGUE else "只有方向没有程度"
            yield Finding(f"{path}.{m.K_ROW_VALUE}", f"“{_name(row)}”的指标值“{row.value}”{why}，无法衡量；"
                                                     "应量化或分级表述（如“较上年提升 5%”“达到优良”）")


@rule("reversed-direction", "warning")
def reversed_direction(src: Source) -> Iterator[Finding]:
    """产出数量、受益人数是越多越好的正向指标，不应写“≤”（上限）。

    依据：财预〔2021〕101号——正向指标用“≥”，反向指标（成本、投诉数）用“≤”；数量写成“≤”等于允许少做。
    通过：数量指标: 受益人数 ≥3500人
    不通过：数量指标: 受益人数 ≤590.00(人)
    """
    for path, g, _i, row in src.project.rows():
        if g.level2 != framework.QUANTITY or _COSTLIKE.search(_name(row)):
            continue
        t = parse(row.value)
        if t.op in ("≤", "<") and t.kind in ("number", "percent"):
            yield Finding(f"{path}.{m.K_ROW_VALUE}",
                          f"数量指标“{_name(row)}”写成了上限“{row.value}”：产出数量是正向指标，应使用“≥”或“=”")


@rule("satisfaction-format", "warning")
def satisfaction_format(src: Source) -> Iterator[Finding]:
    """满意度指标应衡量服务对象的满意程度，指标值为百分比，且不宜定为 100%。

    依据：财预〔2015〕88号——满意度指标反映服务对象的认可程度，通常以调查满意率计（如 ≥90%）；
    定为 100% 既不现实也无法分档评价。
    通过：服务对象满意度指标: 居民满意度 ≥90%
    不通过：服务对象满意度指标: 当地居民满意度 100%
    """
    for path, g, _i, row in src.project.rows():
        if g.level1 != framework.SATISFACTION or not _real(row):
            continue
        if "满意" not in _name(row):
            yield Finding(path, f"“{_name(row)}”放在满意度指标下，但不是满意度指标")
            continue
        if not row.value:
            continue
        t = parse(row.value)
        if t.kind != "percent":
            yield Finding(f"{path}.{m.K_ROW_VALUE}", f"满意度“{row.value}”应写成百分比（如 ≥90%）")
        elif t.number is not None and t.number >= 100:
            yield Finding(f"{path}.{m.K_ROW_VALUE}", f"满意度目标定为 {row.value} 不切实际，通常设为 ≥90% 或 ≥95%")


@rule("target-in-name", "warning")
def target_in_name(src: Source) -> Iterator[Finding]:
    """目标数写进了指标名称，指标值却只写“100%”（如“印刷品350份 100%”）。

    依据：财预〔2021〕101号——指标名称与指标值分列，指标值应是可核对的目标数。
    通过：数量指标: 印刷品数量 350份
    不通过：数量指标: 印刷品350份 100%
    """
    for path, _g, _i, row in src.project.rows():
        if _COUNT_IN_NAME.search(_name(row)) and (row.value or "").replace(" ", "") in _GENERIC_FULL:
            yield Finding(path, f"目标数写在了指标名称“{_name(row)}”中，指标值却是“{row.value}”：应把数量写入指标值")
