"""Rules on a 自评表 (year-end self-evaluation), alone and against its approved target table.

The scores are recomputed by `perfgoals.scoring` (财预〔2020〕10号's formulas); these rules say
where the form disagrees with them, and where the 自评 strays from what was approved.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from .. import scoring
from .. import selfeval as se
from ..textnorm import squash
from .engine import EvalSource, Finding, selfeval_rule
from .rules_money import IMPLAUSIBLE_WAN

_TOTAL = f"{se.K_MONEY}.{se.R_TOTAL}"
_PLACEHOLDERS = {"", "无", "/", "-", "—"}


def _n(value: Decimal | None) -> str:
    return "空白" if value is None else format(value.normalize(), "f")


@selfeval_rule("selfeval-score-mismatch", "error")
def score_mismatch(src: EvalSource) -> Iterator[Finding]:
    """自评表上的执行率、预算得分、指标得分或总分与按规则计算的结果不符。

    定量指标按目标方向计算（≥ 类：实际 ÷ 目标 × 分值；≤ 类：超过目标后线性递减，到目标的 2 倍为 0）；
    定性指标按档次（达成 80–100%、部分达成 60–80%、未达成 0–60% 的分值）；总分 = 预算得分 + 各指标得分。
    允许相差表上所写最后一位数字的 1 个单位（写 9.22 允许差 0.01）。
    依据：财预〔2020〕10号附件的自评表评分方法。
    通过：执行率 92.18%，分值 10，得分 9.22
    不通过：执行率 92.18%，分值 10，得分 10
    """
    ev = src.evaluation
    result = scoring.score(ev, src.options.get("policy"))
    if ev.stated_rate is not None and result.rate is not None \
            and abs(ev.stated_rate - result.rate) > scoring.tolerance(ev.rate_text):
        yield Finding(f"{_TOTAL}.{se.C_RATE}", f"执行率应为 {_n(result.rate)}%（全年执行数 ÷ 全年预算数），表上为 "
                                               f"{_n(ev.stated_rate)}%（10号·预算执行率）")
    elif ev.budget_score is not None and result.budget_score is not None \
            and abs(ev.budget_score - result.budget_score) > scoring.tolerance(ev.budget_score_text):
        yield Finding(f"{_TOTAL}.{se.C_SCORE}", f"预算执行得分应为 {_n(result.budget_score)}（执行率 {_n(result.rate)}% × "
                                                f"分值 {_n(ev.budget_weight)}，不超过分值），表上为 {_n(ev.budget_score)}"
                                                "（10号·预算执行率）")
    for i in result.indicators:
        if i.stated_ok or i.full_marks_short:  # full marks on a shortfall: selfeval-full-marks-shortfall
            continue
        if i.band is not None:
            yield Finding(f"{i.path}.{se.I_SCORE}", f"“{i.name}”实际完成情况为“{i.tier}”，得分应在 {_n(i.band[0])}–"
                                                    f"{_n(i.band[1])} 之间，表上为 {_n(i.stated)}（10号·定性指标分档）")
        else:
            yield Finding(f"{i.path}.{se.I_SCORE}", f"“{i.name}”按目标与实际完成值计算得分应为 {_n(i.computed)}，"
                                                    f"表上为 {_n(i.stated)}（10号·{'反向指标' if i.method == '≤' else '正向指标'}）")
    if ev.total is not None:
        parts = [ev.budget_score or Decimal(0)] + [r.score or Decimal(0) for _p, _g, _i, r in ev.rows()]
        stated_sum = sum(parts, Decimal(0))
        if abs(stated_sum - ev.total) > scoring.tolerance(ev.total_text):
            yield Finding(se.K_TOTAL, f"总分应为预算执行得分与各指标得分之和 {_n(stated_sum)}，表上为 {_n(ev.total)}")


@selfeval_rule("selfeval-full-marks-shortfall", "error")
def full_marks_shortfall(src: EvalSource) -> Iterator[Finding]:
    """“自评打高分”：实际完成值没有达到年度指标值，却给了满分。

    定量指标实际值低于目标（≤ 类高于目标）、期限指标晚于期限、定性指标只是“基本”“部分”达成或未达成，
    都不应得满分。
    依据：财预〔2020〕10号——自评应如实反映目标完成情况，未完成的指标按完成程度扣分。
    通过：质量指标: 项目一次验收合格率 100%，实际 100%，分值 11，得分 11
    不通过：质量指标: 项目一次验收合格率 100%，实际 80%，分值 11，得分 11
    """
    for i in scoring.score(src.evaluation, src.options.get("policy")).indicators:
        if i.full_marks_short:
            should = f"应为 {_n(i.computed)}" if i.band is None else f"应在 {_n(i.band[0])}–{_n(i.band[1])} 之间"
            row = next(r for p, _g, _k, r in src.evaluation.rows() if p == i.path)
            yield Finding(f"{i.path}.{se.I_SCORE}", f"“{i.name}”实际完成值“{row.actual or '空白'}”未达到年度指标值"
                                                    f"“{row.target}”，却给了满分 {_n(i.stated)}；得分{should}（10号·如实自评）")


@selfeval_rule("selfeval-weights", "error")
def weights(src: EvalSource) -> Iterator[Finding]:
    """预算执行率与各指标的分值合计应为 100 分。

    依据：财预〔2020〕10号自评表：预算执行率 10 分，各项绩效指标合计 90 分，总分 100 分。
    通过：预算执行率分值 10，指标分值合计 90
    不通过：预算执行率分值 10，指标分值合计 80
    """
    ev = src.evaluation
    values = [ev.budget_weight] + [r.weight for _p, _g, _i, r in ev.rows()]
    if any(v is not None for v in values):
        total = sum((v or Decimal(0) for v in values), Decimal(0))
        if total != 100:
            yield Finding(se.K_INDICATORS, f"预算执行率与各指标的分值合计为 {_n(total)}，应为 100（10号·分值）")


@selfeval_rule("selfeval-reason-missing", "warning")
def reason_missing(src: EvalSource) -> Iterator[Finding]:
    """实际完成值没有达到目标，却没有填写偏差原因分析及改进措施。

    依据：财预〔2020〕10号——未完成绩效目标的，应分析偏差原因并提出改进措施。
    通过：实际 186人（目标 ≥200人），偏差原因：部分老人入住养老机构
    不通过：实际 186人（目标 ≥200人），偏差原因：null
    """
    for i in scoring.score(src.evaluation, src.options.get("policy")).indicators:
        row = next(r for p, _g, _k, r in src.evaluation.rows() if p == i.path)
        if i.short and (row.reason or "").strip() in _PLACEHOLDERS:
            yield Finding(f"{i.path}.{se.I_REASON}", f"“{i.name}”未达到目标（实际“{row.actual or '空白'}”，目标“{row.target}”），"
                                                     "应填写偏差原因分析及改进措施（10号）")


@selfeval_rule("selfeval-money-sum", "error")
def money_sum(src: EvalSource) -> Iterator[Finding]:
    """年度资金总额应等于当年财政拨款、上年结转资金与其他资金之和（每一栏分别计算，空白按 0 计）。

    依据：表格自身的算术关系。
    通过：年度资金总额 全年执行数 276540.00 = 当年财政拨款 276540.00
    不通过：年度资金总额 全年执行数 276540.00，当年财政拨款 270000.00
    """
    ev = src.evaluation
    for column in se.MONEY_COLUMNS:
        total = ev.row_money(se.R_TOTAL).column(column)
        parts = [ev.row_money(k).column(column) for k in se.MONEY_ROWS[1:]]
        if total is None or all(p is None for p in parts):
            continue
        added = sum((p or Decimal(0) for p in parts), Decimal(0))
        if added != total:
            yield Finding(f"{_TOTAL}.{column}", f"年度资金总额的{column} {_n(total)} 不等于其中各项之和 {_n(added)}"
                                                f"（{ev.money_unit}）")


@selfeval_rule("selfeval-overspent", "error")
def overspent(src: EvalSource) -> Iterator[Finding]:
    """全年执行数不能超过全年预算数。

    依据：预算法——支出以经批准的预算为依据，未列入预算的不得支出。
    通过：全年预算数 300000.00，全年执行数 276540.00
    不通过：全年预算数 300000.00，全年执行数 310000.00
    """
    ev = src.evaluation
    for key in se.MONEY_ROWS:
        row = ev.row_money(key)
        if row.budget is not None and row.spent is not None and row.spent > row.budget:
            yield Finding(f"{se.K_MONEY}.{key}.{se.C_SPENT}", f"{key}的全年执行数 {_n(row.spent)} 超过全年预算数 "
                                                             f"{_n(row.budget)}（{ev.money_unit}）")


@selfeval_rule("selfeval-amount-implausible", "error")
def amount_implausible(src: EvalSource) -> Iterator[Finding]:
    """金额大到任何项目都不可能（超过一千亿元），多半是把元填进了万元表。

    依据：常识。
    通过：金额单位 万元，全年预算数 14.50
    不通过：金额单位 万元，全年预算数 145000000
    """
    ev = src.evaluation
    for key in se.MONEY_ROWS:
        for column in se.MONEY_COLUMNS:
            value = se.in_wan(ev, ev.row_money(key).column(column))
            if value is not None and value > IMPLAUSIBLE_WAN:
                yield Finding(f"{se.K_MONEY}.{key}.{column}", f"{key}的{column} {_n(ev.row_money(key).column(column))}"
                                                              f"{ev.money_unit}不可能：是否把元填成了{ev.money_unit}？")


@selfeval_rule("selfeval-target-changed", "error")
def target_changed(src: EvalSource) -> Iterator[Finding]:
    """自评表上的年度指标值与批复的目标表不同：自评应对照批复的目标打分，不能改目标。

    依据：财预〔2020〕10号——自评以批复的绩效目标为依据。只在目标表（同名 .yaml）存在时检查。
    通过：目标表 ≥200人，自评表 ≥200人
    不通过：目标表 ≥200人，自评表 ≥180人
    """
    if src.target is None:
        return
    approved = {squash(r.name or ""): r.value for _p, _g, _i, r in src.target.rows() if r.name}
    for path, _g, _i, row in src.evaluation.rows():
        key = squash(row.name or "")
        if key in approved and squash(approved[key] or "") != squash(row.target or ""):
            yield Finding(f"{path}.{se.I_TARGET}", f"“{row.name}”的年度指标值“{row.target or '空白'}”与批复的目标表"
                                                   f"“{approved[key] or '空白'}”不同（10号·按批复目标自评）")


@selfeval_rule("selfeval-indicators-changed", "warning")
def indicators_changed(src: EvalSource) -> Iterator[Finding]:
    """自评表增加或删去了批复目标表中的指标。

    依据：财预〔2020〕10号——自评以批复的绩效目标为依据，指标不应在年终增删。只在目标表存在时检查。
    通过：自评表的三级指标与目标表一一对应
    不通过：目标表有“宣传活动次数”，自评表没有
    """
    if src.target is None:
        return
    approved = {squash(r.name or ""): r.name for _p, _g, _i, r in src.target.rows()
                if (r.name or "").strip() not in _PLACEHOLDERS}
    written = {squash(r.name or ""): (p, r.name) for p, _g, _i, r in src.evaluation.rows()
               if (r.name or "").strip() not in _PLACEHOLDERS}
    for key, (path, name) in written.items():
        if key not in approved:
            yield Finding(path, f"“{name}”不在批复的目标表中：年终不应增加指标")
    missing = [name for key, name in approved.items() if key not in written]
    if missing:
        yield Finding(se.K_INDICATORS, f"批复的目标表中的指标在自评表中缺失：{'、'.join(f'“{n}”' for n in missing)}")


@selfeval_rule("selfeval-initial-budget", "error")
def initial_budget(src: EvalSource) -> Iterator[Finding]:
    """年初预算数应等于批复目标表的年度资金申请总额。

    依据：年初预算即批复的年度预算；只在目标表存在时检查（两张表金额单位不同时先换算）。
    通过：目标表年度资金申请总额 30.00 万元，自评表年初预算数 300000.00 元
    不通过：目标表年度资金申请总额 30.00 万元，自评表年初预算数 280000.00 元
    """
    if src.target is None or src.target.annual.total is None:
        return
    initial = se.in_wan(src.evaluation, src.evaluation.row_money(se.R_TOTAL).initial)
    approved = src.target.amount_in_wan(src.target.annual.total)
    if initial is not None and approved is not None and initial != approved:
        yield Finding(f"{_TOTAL}.{se.C_INITIAL}", f"年初预算数 {_n(initial)} 万元与批复目标表的年度资金申请总额 "
                                                  f"{_n(approved)} 万元不同")
