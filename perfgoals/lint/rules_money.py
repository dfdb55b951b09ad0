"""Rules on 项目资金: the form's own arithmetic, exact in the file's 金额单位."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Iterator

from .. import forms
from .. import model as m
from .engine import Finding, Source, rule
from .rules_form import period_years

ZERO = Decimal(0)


def fmt(value: Decimal | None) -> str:
    return "空" if value is None else format(value, "f")


_CENT = Decimal("0.01")


def _sum_check(total: Decimal | None, parts: list[tuple[str, Decimal | None]], total_name: str,
               unit: str) -> tuple[str, str | None] | None:
    """What is wrong with ``total = Σ parts`` (a blank part counts 0), and the part to point at
    (None: the total): a blank part is named when it is what breaks the sum."""
    if total is None and all(v is None for _, v in parts):
        return None
    expected = sum((v or ZERO for _, v in parts), ZERO)
    if total is not None and total == expected:
        return None
    if total is not None and total.as_tuple().exponent < -2 and total.quantize(_CENT, ROUND_HALF_UP) == expected:  # type: ignore[operator]
        return None  # 40.605 for 40.61: one cause, which amount-precision reports
    blank = [name for name, v in parts if v is None]
    if total is not None and blank and expected == ZERO:
        also = f"（{'、'.join(blank[1:])}也为空）" if len(blank) > 1 else ""
        return (f"{blank[0]}为空{also}：{total_name} {fmt(total)} {unit}由哪些资金构成无从核对，应填写{blank[0]}"
                f"（没有的写 0）", blank[0])
    shown = " + ".join(f"{name} {fmt(v) if v is not None else '0'}" for name, v in parts)
    if total is None:
        return f"{total_name}为空，按其中各项应为 {fmt(expected)} {unit}（{shown}）", None
    return f"{total_name}应为 {fmt(expected)} {unit}（{shown}），表上为 {fmt(total)}，相差 {fmt(total - expected)}", None


@rule("funds-total-sum", "error")
def funds_total_sum(src: Source) -> Iterator[Finding]:
    """项目资金总额应等于财政资金与其他资金之和（空白按 0 计）。

    依据：表格自身的算术关系：项目资金总额 = 其中：财政资金 + 其他资金。总额写多了小数位而四舍五入后相符的
    （40.605 对 40.61），只由 amount-precision 报告一次；各项都空着时，指出空着的项。
    通过：项目资金总额: 2.70 / 财政资金: 2.70 / 其他资金: null
    不通过：项目资金总额: 40.60 / 财政资金: 40.61
    不通过：项目资金总额: 133.87 / 财政资金: null / 其他资金: null
    """
    p = src.project
    f = p.funds
    hit = _sum_check(f.total, [(m.K_FISCAL, f.fiscal), (m.K_OTHER, f.other)], m.K_TOTAL, p.money_unit)
    if hit:
        yield Finding(f"{m.K_FUNDS}.{hit[1] or m.K_TOTAL}", hit[0])


@rule("annual-total-sum", "error")
def annual_total_sum(src: Source) -> Iterator[Finding]:
    """年度资金申请总额应等于当年财政拨款、上年结转资金与其他资金之和（空白按 0 计）。

    依据：表格自身的算术关系：年度资金申请总额 = 当年财政拨款 + 上年结转资金 + 其他资金。
    通过：年度资金申请总额: 0.80 / 当年财政拨款: 0.80 / 上年结转资金: null
    不通过：年度资金申请总额: null / 当年财政拨款: 0.80
    """
    p = src.project
    a = p.annual
    form = forms.of(p)
    parts = [(m.K_APPROPRIATION, a.appropriation, "annual.appropriation"), (m.K_CARRYOVER, a.carryover, "annual.carryover"),
             (m.K_UPPER, a.upper, "annual.upper"), (m.K_OTHER, a.other, "annual.other")]
    # the parts this form has (上级资金 only where a provincial form has it)
    hit = _sum_check(a.total, [(k, v) for k, v, fld in parts if form.field_path(fld) is not None],
                     m.K_ANNUAL_TOTAL, p.money_unit)
    if hit:
        yield Finding(f"{m.K_ANNUAL}.{hit[1] or m.K_ANNUAL_TOTAL}", hit[0])


@rule("funds-missing", "error")
def funds_missing(src: Source) -> Iterator[Finding]:
    """项目资金总额与年度资金申请总额不能整栏空白。

    依据：财预〔2015〕88号“相应匹配”——不知道资金就无法判断目标与资金是否匹配。
    通过：项目资金总额: 2.70
    不通过：项目资金总额: null / 财政资金: null / 其他资金: null
    """
    p = src.project
    if p.funds.total is None and p.funds.fiscal is None and p.funds.other is None:
        yield Finding(f"{m.K_FUNDS}.{m.K_TOTAL}", "项目资金总额未填写")
    a = p.annual
    if a.total is None and a.appropriation is None and a.carryover is None and a.upper is None and a.other is None:
        yield Finding(f"{m.K_ANNUAL}.{m.K_ANNUAL_TOTAL}", "年度资金申请总额未填写")


@rule("annual-vs-total", "error")
def annual_vs_total(src: Source) -> Iterator[Finding]:
    """年度资金申请总额不能超过项目资金总额；一年期项目两者应相等。

    依据：表格自身的逻辑：年度资金是项目资金在本年度的部分；总目标期间只有一年时，两者是同一笔钱。
    通过：总目标期间: 2024年-2024年 / 项目资金总额: 2.70 / 年度资金申请总额: 2.70
    不通过：总目标期间: 2024年-2024年 / 项目资金总额: 133.87 / 财政资金: 133.87 / 年度资金申请总额: 47.00
    """
    p = src.project
    total, annual = p.funds.total, p.annual.total
    if total is None or annual is None:
        return
    where = f"{m.K_ANNUAL}.{m.K_ANNUAL_TOTAL}"
    if annual > total:
        yield Finding(where, f"年度资金申请总额 {fmt(annual)} 超过项目资金总额 {fmt(total)} {p.money_unit}")
        return
    span = period_years(p.period)
    if span and span[0] == span[1] and annual != total:
        yield Finding(where, f"一年期项目（{p.period}）的年度资金申请总额 {fmt(annual)} 应等于项目资金总额 "
                             f"{fmt(total)} {p.money_unit}，相差 {fmt(total - annual)}")


_AMOUNT_PATHS = tuple(f"{group}.{key}" for group, key in (
    (m.K_FUNDS, m.K_TOTAL), (m.K_FUNDS, m.K_FISCAL), (m.K_FUNDS, m.K_OTHER), (m.K_ANNUAL, m.K_ANNUAL_TOTAL),
    (m.K_ANNUAL, m.K_APPROPRIATION), (m.K_ANNUAL, m.K_CARRYOVER), (m.K_ANNUAL, m.K_UPPER), (m.K_ANNUAL, m.K_OTHER)))


def _amounts(p: m.Project) -> Iterator[tuple[str, Decimal | None]]:
    """Every amount of the form with its data path."""
    f, a = p.funds, p.annual
    return zip(_AMOUNT_PATHS, (f.total, f.fiscal, f.other, a.total, a.appropriation, a.carryover, a.upper, a.other))


@rule("amount-positive", "error")
def amount_positive(src: Source) -> Iterator[Finding]:
    """金额不能为负数；项目资金总额与年度资金申请总额应大于 0。

    依据：常识——支出项目的资金不可能为负，总额为 0 的项目无需申报绩效目标。
    通过：其他资金: 0
    不通过：上年结转资金: -0.20
    """
    for path, value in _amounts(src.project):
        if value is None:
            continue
        if value < 0:
            yield Finding(path, f"金额不能为负数：{fmt(value)}")
        elif value == 0 and path.endswith(("项目资金总额", "年度资金申请总额")):
            yield Finding(path, "总额为 0：没有资金的项目不应申报")


IMPLAUSIBLE_WAN = Decimal(10) ** 7
"""一千亿元 (10^7 万元): no single project of a town, a district or a city is near it."""


@rule("amount-implausible", "error")
def amount_implausible(src: Source) -> Iterator[Finding]:
    """金额大到任何预算项目都不可能（单个项目超过一千亿元），多半是把元填成了万元或多打了数字。

    依据：常识——一个镇、区乃至一个市的单个项目都远小于这个数；这样的数也会让合计失去意义。
    通过：项目资金总额: 2.70（万元）
    不通过：项目资金总额: 145000000（万元，即 1.45 万亿元）
    """
    p = src.project
    for path, value in _amounts(p):
        wan = p.amount_in_wan(value)
        if wan is not None and abs(wan) >= IMPLAUSIBLE_WAN:
            yield Finding(path, f"金额 {fmt(value)} {p.money_unit}超出任何预算项目的合理范围（单个项目超过一千亿元）："
                                f"是否把元填成了万元，或多打了数字？")


@rule("amount-precision", "warning")
def amount_precision(src: Source) -> Iterator[Finding]:
    """金额最多保留两位小数（万元表中即百元；元表中即分）。

    依据：表式惯例——预算金额以万元列示到小数点后两位；多出的位数通常是计算或录入错误。
    通过：项目资金总额: 40.61 / 财政资金: 40.61
    不通过：项目资金总额: 40.605 / 财政资金: 40.605
    """
    for path, value in _amounts(src.project):
        if value is not None and value.as_tuple().exponent < -2:  # type: ignore[operator]
            yield Finding(path, f"金额 {fmt(value)} 超过两位小数（按两位为 {fmt(value.quantize(_CENT, ROUND_HALF_UP))}）")
