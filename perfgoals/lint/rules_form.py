"""Rules on the form's header: required fields, category, 主管部门, dates, year."""

from __future__ import annotations

import datetime as dt

import re
from typing import Iterator

from .. import forms
from .. import model as m
from .engine import Finding, Source, rule

_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")
_PERIOD = re.compile(r"(\d{4})年(?:(\d{1,2})月)?[-—至~](\d{4})年(?:(\d{1,2})月)?")
_ORG_ENDINGS = ("政府", "镇", "街道", "区", "市", "局", "委", "委员会", "办", "办公室", "所", "部", "会", "联",
                "中心", "站", "科", "院", "室", "队", "处", "团", "馆", "校", "公司", "组", "厅", "署")


@rule("required-fields", "error")
def required_fields(src: Source) -> Iterator[Finding]:
    """表头必填项（项目名称、主管部门、实施单位、计划开始日期、计划完成日期）不能为空。

    依据：表式本身——财预〔2015〕88号要求绩效目标“完整”，表头是审核的第一项。
    通过：主管部门: 浦江镇人民政府
    不通过：主管部门: null
    """
    p = src.project
    for key, value in ((m.K_NAME, p.name), (m.K_DEPT, p.department), (m.K_UNIT, p.unit),
                       (m.K_START, p.start), (m.K_END, p.end)):
        if value is None or not str(value).strip():
            yield Finding(key, f"“{key}”未填写")


@rule("category-missing", "error")
def category_missing(src: Source) -> Iterator[Finding]:
    """项目类别必须勾选一项（专项资金 / 经常性项目 / 一次性项目）；申报表还须填项目性质。

    依据：表式本身，项目类别三选一。
    通过：项目类别: 经常性项目
    不通过：项目类别: null（原表三个方框都未勾选）
    """
    p = src.project
    if p.category is None:
        choices = forms.of(p).categories or m.CATEGORIES
        yield Finding(m.K_CATEGORY, f"项目类别未勾选：{'、'.join(choices)}应勾选一项")
    if p.nature is None and m.K_NATURE in p.positions:
        yield Finding(m.K_NATURE, "项目性质未填写：经常性项目、阶段性项目、一次性项目应选一项")


_CODE = re.compile(r"\s*[\[［(（【]?\s*\d{3,}\s*[\]］)）】]?$")


@rule("department-name", "warning")
def department_name(src: Source) -> Iterator[Finding]:
    """主管部门应是一个机构名称，不能是项目名称。

    依据：表式本身——主管部门是项目的主管机构（镇级通常为镇人民政府），常见错误是把项目名称填进此栏。
    通过：主管部门: 上海市闵行区浦江镇人民政府
    不通过：项目名称: 政府零星维修 / 主管部门: 政府零星维修
    """
    p = src.project
    # 主管部门及代码 (the national table): the code after the name is not part of it
    dept = _CODE.sub("", (p.department or "").strip())
    if not dept:
        return
    if p.name and (dept == p.name.strip() or (len(dept) >= 4 and dept in p.name)):
        yield Finding(m.K_DEPT, f"主管部门“{dept}”与项目名称相同，应填写主管机构（如镇人民政府）")
    elif not dept.endswith(_ORG_ENDINGS):
        yield Finding(m.K_DEPT, f"主管部门“{dept}”看起来不是机构名称")


@rule("department-is-unit", "warning")
def department_is_unit(src: Source) -> Iterator[Finding]:
    """主管部门与实施单位是同一个：主管部门是实施单位的上级（镇级通常为镇人民政府），两者不应相同。

    依据：表式本身与财预〔2015〕88号——主管部门负责审核实施单位申报的绩效目标，自己审核自己等于没有审核。
    通过：主管部门: 浦江镇人民政府 / 实施单位: 妇联
    不通过：主管部门: 妇联 / 实施单位: 妇联
    """
    p = src.project
    dept, unit = (p.department or "").strip(), (p.unit or "").strip()
    if dept and dept == unit:
        yield Finding(m.K_DEPT, f"主管部门与实施单位都是“{dept}”：主管部门应是实施单位的上级（如镇人民政府）（88号·审核）")


_ONE_OFF_WORK = re.compile(r"修缮|工程|改造|装修|新建|改建|扩建|购置")


@rule("category-one-off", "warning")
def category_one_off(src: Source) -> Iterator[Finding]:
    """修缮、工程、改造、购置一类项目勾选了“经常性项目”：这类支出通常一次完成，应为一次性项目。

    依据：项目类别的含义——经常性项目每年重复发生；工程、修缮、购置完成即止，属一次性项目，其绩效目标与
    资金安排也按一次性审核。
    通过：项目名称: 政府零星维修 / 项目类别: 经常性项目
    不通过：项目名称: 办公用房修缮工程项目 / 项目类别: 经常性项目
    """
    p = src.project
    hit = _ONE_OFF_WORK.search(p.name or "")
    if hit and p.category == "经常性项目":
        yield Finding(m.K_CATEGORY, f"“{p.name}”是{hit.group(0)}类项目，却勾选了经常性项目；通常应为一次性项目")


def _date(text: str | None) -> tuple[int, int, int | None] | None:
    if not text:
        return None
    hit = _DATE.fullmatch(text.strip())
    if not hit:
        return None
    y, mo, d = int(hit.group(1)), int(hit.group(2)), hit.group(3)
    try:  # a real calendar date: 2024-02-30 and 2024-13-01 are not
        dt.date(y, mo, int(d) if d else 1)
    except ValueError:
        return None
    return y, mo, int(d) if d else None


@rule("date-format", "error")
def date_format(src: Source) -> Iterator[Finding]:
    """计划开始日期、计划完成日期应为有效日期，写作 2024-01-01（只有年月时 2024-01）。

    依据：常识与表式——日期不可解析就无法检查项目周期。
    通过：计划开始日期: 2024-01-01
    不通过：计划开始日期: 2024年初
    不通过：计划完成日期: 2024-02-30（日历上没有这一天）
    """
    p = src.project
    for key, value in ((m.K_START, p.start), (m.K_END, p.end)):
        if value and _date(value) is None:
            yield Finding(key, f"“{key}”不是有效日期：“{value}”，应写作 2024-01-01 或 2024-01")


@rule("date-order", "error")
def date_order(src: Source) -> Iterator[Finding]:
    """计划开始日期不能晚于计划完成日期。

    依据：常识。
    通过：计划开始日期: 2024-01-01 / 计划完成日期: 2024-12-31
    不通过：计划开始日期: 2024-12-31 / 计划完成日期: 2024-01-01
    """
    a, b = _date(src.project.start), _date(src.project.end)
    if a and b and (a[0], a[1], a[2] or 1) > (b[0], b[1], b[2] or 31):
        yield Finding(m.K_END, f"计划完成日期 {src.project.end} 早于计划开始日期 {src.project.start}")


def period_years(period: str | None) -> tuple[int, int] | None:
    """"2024年-2024年" / "2024年1月-2024年12月" → (2024, 2024)."""
    if not period:
        return None
    hit = _PERIOD.fullmatch(period.replace(" ", ""))
    return (int(hit.group(1)), int(hit.group(3))) if hit else None


@rule("date-year", "warning")
def date_year(src: Source) -> Iterator[Finding]:
    """计划日期应覆盖本表年度，并与项目总目标的期间一致。

    资金表明是跨年度的项目（项目资金总额大于年度资金申请总额，如上年完工、本年付尾款的修缮）时，计划日期
    描述的是整个项目，不报告。
    依据：表式本身——“项目总目标（2024年-2024年）”与计划开始、完成日期描述的是同一个项目周期。
    通过：计划开始日期: 2024-01-01 / 计划完成日期: 2024-12-31（总目标期间 2024年-2024年）
    通过：计划开始日期: 2023-03-01 / 计划完成日期: 2023-12-31 / 项目资金总额: 9.70 / 财政资金: 9.70（上年完工、本年付尾款）
    不通过：计划开始日期: 2021-01-01（总目标期间 2024年-2024年）
    """
    p = src.project
    total, annual = p.funds.total, p.annual.total
    if total is not None and annual is not None and total > annual:
        return  # the money shows a project over several years: its dates are the whole project's
    a, b = _date(p.start), _date(p.end)
    if p.year and a and b and not (a[0] <= p.year <= b[0]):
        yield Finding(m.K_START, f"计划日期 {p.start} 至 {p.end} 不含本表年度 {p.year} 年")
        return
    span = period_years(p.period)
    if span and a and b and (a[0], b[0]) != span:
        yield Finding(m.K_START, f"计划日期 {p.start} 至 {p.end} 与总目标期间“{p.period}”不一致")


@rule("period-format", "warning")
def period_format(src: Source) -> Iterator[Finding]:
    """总目标期间应写作“2024年-2024年”，且包含本表年度。

    依据：表式本身——项目总目标后括注期间。
    通过：总目标期间: 2024年-2024年
    不通过：总目标期间: 全年
    """
    p = src.project
    key = f"{m.K_GOALS}.{m.K_PERIOD}"
    if p.period is None:
        yield Finding(key, "总目标期间未填写（如“2024年-2024年”）")
        return
    span = period_years(p.period)
    if span is None:
        yield Finding(key, f"总目标期间“{p.period}”格式不对，应写作“2024年-2024年”")
    elif span[0] > span[1]:
        yield Finding(key, f"总目标期间“{p.period}”起始年晚于结束年")
    elif p.year and not span[0] <= p.year <= span[1]:
        yield Finding(key, f"总目标期间“{p.period}”不含本表年度 {p.year} 年")


@rule("year-folder", "error")
def year_folder(src: Source) -> Iterator[Finding]:
    """文件中的“年度”应与所在的年度文件夹一致（data/2024/… 中应为 2024）。

    依据：常识——汇总、对比都按文件夹取年度，两者不一致会算错年份。
    通过：年度: 2024（文件在 data/2024/ 下）
    不通过：年度: 2023（文件在 data/2024/ 下）
    """
    p = src.project
    if p.year is not None and src.folder_year is not None and p.year != src.folder_year:
        yield Finding(m.K_YEAR, f"年度 {p.year} 与所在文件夹 {src.folder_year} 不一致")
