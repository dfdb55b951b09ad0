"""Rules on a 监控表 (mid-year monitoring), alone, against the approved target table beside it,
and against the 自评表 of the same year: the 双监控 reviewers' questions — who is behind
序时进度 without saying why, who says 确定能 while the numbers say otherwise, who quietly changed
an approved target, whose forecast did not hold."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterator

from .. import monitor as mo
from ..monitor.compute import RED, YELLOW, falls_short, short_of, status
from ..monitor.values import (
    C_BUDGET, C_FORECAST, C_INITIAL, D_ACTION, D_REASONS, I_DONE, I_LIKELY, I_REMARK, I_TARGET,
    K_INDICATORS, K_MONEY, K_PERIOD, MONEY_COLUMNS, R_APPROPRIATION, R_CARRYOVER, R_OTHER, R_TOTAL,
)
from ..textnorm import squash
from .engine import Finding, MonitorSource, monitor_rule

_TOTAL = f"{K_MONEY}.{R_TOTAL}"
_ADJUSTED = re.compile(r"调整|调减|调增|变更")
#: what an adjustment rests on: an approval, a meeting, a document (〔2024〕3号)
_BASIS = re.compile(r"批准|批复|同意|审定|会议|文件|〔|号")


def _adjusted(text: str | None) -> bool:
    """A note that says the target was adjusted and on what basis (经镇政府批准调减为10次)."""
    return bool(text and _ADJUSTED.search(text) and _BASIS.search(text))
ZERO = Decimal(0)


def _n(value: Decimal | None) -> str:
    return "空白" if value is None else format(value, "f")


@monitor_rule("monitor-money-sum", "error")
def money_sum(src: MonitorSource) -> Iterator[Finding]:
    """项目资金的每一列（年初预算数、全年预算数、执行数、全年预计执行数）中，年度资金总额应等于当年财政拨款、
    上年结转资金与其他资金之和（空白按 0 计）。

    依据：表格自身的算术关系（财预〔2019〕136号附件的监控表）。
    通过：年度资金总额.执行数: 1.80 / 当年财政拨款.执行数: 1.80
    不通过：年度资金总额.执行数: 1.80 / 当年财政拨款.执行数: 1.50
    """
    mon = src.monitor
    for column in MONEY_COLUMNS:
        total = mon.row_money(R_TOTAL).column(column)
        parts = [mon.row_money(k).column(column) for k in (R_APPROPRIATION, R_CARRYOVER, R_OTHER)]
        if total is None and all(p is None for p in parts):
            continue
        expected = sum((p or ZERO for p in parts), ZERO)
        if total != expected:
            yield Finding(f"{_TOTAL}.{column}", f"年度资金总额的{column}应为 {_n(expected)}（当年财政拨款 + 上年结转资金 + "
                                               f"其他资金），表上为 {_n(total)}")


@monitor_rule("monitor-money-order", "warning")
def money_order(src: MonitorSource) -> Iterator[Finding]:
    """执行数不应超过全年预计执行数，全年预计执行数不应超过全年预算数；确有原因（如追加预算尚未调整）的，
    在年度资金总额的原因说明中写明。

    依据：财预〔2019〕136号——全年预计执行数是对年底执行情况的预判，已执行的不会在年底前减少，预计超支须说明。
    通过：年度资金总额.全年预计执行数: 2.70
    不通过：年度资金总额.全年预计执行数: 1.50
    不通过：年度资金总额.全年预计执行数: 3.00
    """
    row = src.monitor.row_money(R_TOTAL)
    if (row.deviation.note or "").strip():
        return
    if row.spent is not None and row.forecast is not None and row.spent > row.forecast:
        yield Finding(f"{_TOTAL}.{C_FORECAST}", f"全年预计执行数 {_n(row.forecast)} 少于已经执行的 {_n(row.spent)}："
                                               "应至少为执行数，或在原因说明中写明原因")
    elif row.forecast is not None and row.budget is not None and row.forecast > row.budget:
        yield Finding(f"{_TOTAL}.{C_FORECAST}", f"全年预计执行数 {_n(row.forecast)} 超过全年预算数 {_n(row.budget)}："
                                               "预计超支应在原因说明中写明原因（如追加预算）")


@monitor_rule("monitor-behind-no-reason", "warning")
def behind_no_reason(src: MonitorSource) -> Iterator[Finding]:
    """预算执行落后于序时进度（预警为红或黄），或有指标预计完成不了年度指标值，却没有写偏差原因或纠偏措施。

    依据：财预〔2019〕136号——对偏离绩效目标的，要分析原因、及时采取措施予以纠正。
    通过：年度资金总额.执行数: 0.50 / 当年财政拨款.执行数: 0.50 / 年度资金总额.偏差原因: [经费保障] / 年度资金总额.纠偏措施: 下半年集中开展慰问，9月底前支付
    不通过：年度资金总额.执行数: 0.50 / 当年财政拨款.执行数: 0.50（进度比 31.75%，红）
    不通过：活动开展次数.全年预计完成情况: 10次 / 活动开展次数.完成目标可能性: 有可能 / 活动开展次数.原因说明: 场地维修
    """
    found = status(src.monitor, src.options.get("thresholds"))
    total = src.monitor.row_money(R_TOTAL).deviation
    if found.light in (RED, YELLOW) and not (total.reasons and (total.action or "").strip()):
        missing = "偏差原因" if not total.reasons else "纠偏措施"
        yield Finding(f"{_TOTAL}.{D_REASONS if not total.reasons else D_ACTION}",
                      f"预算执行率 {mo.compute.percent(found.rate)}% 落后于序时进度 {mo.compute.percent(found.elapsed)}%"
                      f"（进度比 {mo.compute.percent(found.ratio)}%，{found.light}色预警），没有写{missing}")
    for path, _g, _i, row in src.monitor.rows():
        why = short_of(row)
        if why and not (row.deviation.reasons and (row.deviation.action or "").strip()):
            missing = "偏差原因" if not row.deviation.reasons else "纠偏措施"
            yield Finding(f"{path}.{D_REASONS if not row.deviation.reasons else D_ACTION}",
                          f"“{row.name}”可能完成不了（{why}），没有写{missing}")


@monitor_rule("monitor-likelihood-mismatch", "warning")
def likelihood_mismatch(src: MonitorSource) -> Iterator[Finding]:
    """完成目标可能性与预计完成情况不一致：填“确定能”而全年预计完成情况达不到年度指标值，填“完全不可能”而预计
    能够达到；填“有可能”却没有原因说明。

    依据：财预〔2019〕136号——监控要如实预判年底能否实现绩效目标。
    通过：活动开展次数.全年预计完成情况: 12次 / 活动开展次数.完成目标可能性: 确定能
    不通过：活动开展次数.全年预计完成情况: 10次 / 活动开展次数.完成目标可能性: 确定能
    不通过：活动开展次数.完成目标可能性: 完全不可能
    不通过：活动开展次数.完成目标可能性: 有可能
    """
    for path, _g, _i, row in src.monitor.rows():
        short = bool(row.forecast and row.target and falls_short(row.target, row.forecast))
        where = f"{path}.{I_LIKELY}"
        if row.likely == mo.values.SURE and short:
            yield Finding(where, f"“{row.name}”填了“确定能”，但全年预计完成“{row.forecast}”达不到年度指标值“{row.target}”")
        elif row.likely == mo.values.IMPOSSIBLE and row.forecast and not short:
            yield Finding(where, f"“{row.name}”填了“完全不可能”，但全年预计完成“{row.forecast}”能达到年度指标值“{row.target}”")
        elif row.likely == mo.values.LIKELY and not (row.deviation.note or "").strip():
            yield Finding(where, f"“{row.name}”填了“有可能”，应在原因说明中写明不确定在哪里")


@monitor_rule("monitor-target-changed", "warning")
def target_changed(src: MonitorSource) -> Iterator[Finding]:
    """监控表上的年度指标值、指标的增减或年初预算数与批复的目标表不一致，而备注（年初预算数：年度资金总额的原因说明）
    中没有说明经批准的调整：既要写调整（调整、调减、调增、变更），也要写依据（批准、批复、会议、文件号）。

    与同目录的目标表（<项目>.yaml）对照。年初预算数应等于目标表的年度资金申请总额。
    依据：财预〔2019〕136号——需要调整绩效目标的，应按程序报批，不能在监控表上自行改动批复的目标。
    通过：活动开展次数.年度指标值: 10次 / 活动开展次数.备注: 经镇政府批准调减为10次
    不通过：活动开展次数.年度指标值: 10次
    不通过：活动开展次数.年度指标值: 10次 / 活动开展次数.备注: 调减为10次（只说调整，没有依据）
    不通过：删去 活动开展次数
    不通过：年度资金总额.年初预算数: 3.00 / 当年财政拨款.年初预算数: 3.00
    """
    target, mon = src.target, src.monitor
    if target is None:
        return
    approved: dict[str, tuple[str, str | None]] = {}
    for _p, g, _i, given in target.rows():
        if given.name and not given.blank:
            approved.setdefault(squash(given.name), (g.level2, given.value))
    seen = set()
    for path, _g, _i, row in mon.rows():
        key = squash(row.name or "")
        seen.add(key)
        said = _adjusted(row.remark)
        if key not in approved:
            if not said:
                yield Finding(f"{path}.{I_REMARK}", f"“{row.name}”不在批复的目标表中：新增指标应经批准，并在备注中说明")
        elif (approved[key][1] or "") != (row.target or "") and not said:
            yield Finding(f"{path}.{I_TARGET}", f"“{row.name}”的年度指标值“{row.target}”与批复的“{approved[key][1]}”不一致："
                                                "调整目标应经批准，并在备注中说明")
    for key, (level2, value) in approved.items():
        if key not in seen:
            group = next((f"{K_INDICATORS}.{g.level1}.{g.level2}" for g in mon.groups if g.level2 == level2), K_INDICATORS)
            yield Finding(group, f"批复的指标“{key}”（{value}）不在监控表中：不能自行删去批复的指标")
    cash = mon.row_money(R_TOTAL)
    if cash.initial is not None and target.annual.total is not None and cash.initial != target.annual.total \
            and not _adjusted(cash.deviation.note):
        yield Finding(f"{_TOTAL}.{C_INITIAL}", f"年初预算数 {_n(cash.initial)} 与目标表的年度资金申请总额 "
                                               f"{_n(target.annual.total)} 不一致")


@monitor_rule("monitor-forecast-missed", "warning", share=20)
def forecast_missed(src: MonitorSource) -> Iterator[Finding]:
    """年中的预计没有兑现：同年度的自评表显示，全年执行数与年中填的全年预计执行数相差超过 20%（选项 share），
    或年中填“确定能”的指标在自评中没有完成。

    与同目录的自评表（<项目>.自评.yaml）对照；没有自评表时不检查。
    依据：财预〔2019〕136号与〔2020〕10号——监控的预判要经得起年终自评的检验，屡次失准的单位应改进预判。
    通过：自评 全年执行数: 2.60
    不通过：自评 全年执行数: 1.80
    不通过：自评 活动开展次数: 10次
    """
    ev, mon = src.evaluation, src.monitor
    if ev is None:
        return
    forecast = mon.row_money(R_TOTAL).forecast
    spent = ev.row_money(mo.values.R_TOTAL).spent
    share = Decimal(str(src.options.get("share", 20))) / 100
    if forecast and spent is not None and abs(spent - forecast) > forecast * share:
        yield Finding(f"{_TOTAL}.{C_FORECAST}", f"年中预计全年执行 {_n(forecast)}，自评表的全年执行数为 {_n(spent)}，"
                                               f"相差 {mo.compute.percent(abs(spent - forecast) / forecast)}%")
    actual = {squash(r.name or ""): r for _p, _g, _i, r in ev.rows()}
    for path, _g, _i, row in mon.rows():
        done = actual.get(squash(row.name or ""))
        if row.likely == mo.values.SURE and done is not None and done.actual and row.target \
                and falls_short(row.target, done.actual):
            yield Finding(f"{path}.{I_LIKELY}", f"“{row.name}”年中填“确定能”，自评的实际完成值“{done.actual}”未达到"
                                                f"年度指标值“{row.target}”")


_MONTH = re.compile(r"(\d{1,2})\s*月")


@monitor_rule("monitor-period", "error")
def period(src: MonitorSource) -> Iterator[Finding]:
    """监控期间应写作 1-N月（N 为 1 到 12），执行情况不应写到监控期间之后的月份。

    依据：财预〔2019〕136号——监控以 1-N月的执行数据为准（多数地方为 1-6月或 1-7月）。
    通过：监控期间: 1-6月
    不通过：监控期间: 13月
    不通过：监控期间: 1-13月
    不通过：活动开展次数.执行情况: 9月已开展9次
    """
    mon = src.monitor
    months = mon.months
    if mon.period is not None and months is None:
        yield Finding(K_PERIOD, f"监控期间“{mon.period}”应写作 1-N月（N 为 1 到 12），如 1-7月")
        return
    if months is None:
        return
    for path, _g, _i, row in mon.rows():
        later = [int(n) for n in _MONTH.findall(row.done or "") if months < int(n) <= 12]
        if later:
            yield Finding(f"{path}.{I_DONE}", f"“{row.name}”的执行情况写到了 {later[0]} 月，晚于监控期间 {mon.period}")
    spent = mon.row_money(R_TOTAL).spent
    if spent is not None and mon.row_money(R_TOTAL).budget is None:
        yield Finding(f"{_TOTAL}.{C_BUDGET}", "有执行数却没有全年预算数：执行率无从计算")


__all__ = ["money_sum", "money_order", "behind_no_reason", "likelihood_mismatch", "target_changed",
           "forecast_missed", "period"]
