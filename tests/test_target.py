"""The structured reading of 年度指标值, on every value form the 2024 tables use."""

from decimal import Decimal

import pytest

from perfgoals.target import lowered, later, parse, weakened

CASES = [
    # text, kind, op, number, unit
    ("≥90%", "percent", "≥", "90", "%"),
    ("95%以上", "percent", "≥", "95", "%"),
    ("90%", "percent", None, "90", "%"),
    ("不低于90%", "percent", "≥", "90", "%"),
    ("大于95%", "percent", ">", "95", "%"),
    ("≥90.00(%)", "percent", "≥", "90.00", "%"),
    ("≥95 (%)", "percent", "≥", "95", "%"),
    ("=100%", "percent", "=", "100", "%"),
    ("100%，发放对象、金额符合文件标准", "percent", None, "100", "%"),
    ("大于等于10件", "number", "≥", "10", "件"),
    ("不少于3个", "number", "≥", "3", "个"),
    ("≤590.00(人)", "number", "≤", "590.00", "人"),
    ("≦85.9亩", "number", "≤", "85.9", "亩"),
    ("=28户", "number", "=", "28", "户"),
    ("12次", "number", None, "12", "次"),
    ("250元/人", "number", None, "250", "元/人"),
    ("500", "number", None, "500", None),
    ("24小时", "number", None, "24", "小时"),
    ("每月不少于1次", "frequency", "≥", "1", "次"),
    ("每两周至少1次", "frequency", "≥", "1", "次"),
    ("每年不少于2批", "frequency", "≥", "2", "批"),
    ("每季度", "frequency", None, None, None),
    ("10月底前", "deadline", None, None, None),
    ("2024年3月前最终定稿", "deadline", None, None, None),
    ("12中旬前", "deadline", None, None, None),
    ("7-8月", "deadline", None, None, None),
    ("春节、七一", "deadline", None, None, None),
    ("提升", "text", None, None, None),
    ("较上一年度提升", "text", None, None, None),
    ("建立健全", "text", None, None, None),
    (None, "empty", None, None, None),
    ("", "empty", None, None, None),
]


@pytest.mark.parametrize("text,kind,op,number,unit", CASES)
def test_parse(text, kind, op, number, unit):
    t = parse(text)
    assert (t.kind, t.op, t.number, t.unit) == (kind, op, Decimal(number) if number else None, unit)


def test_percentage_points_are_percent():
    assert parse("较上一年度提升5个百分点").kind == "percent"


@pytest.mark.parametrize("old,new,expected", [
    ("≥95%", "≥90%", True),
    ("≥90%", "≥95%", False),
    ("12次", "10次", True),
    ("12次", "10人", False),  # different units do not compare
    ("≤300元/人", "≤350元/人", True),  # a ceiling that rises is looser
    ("提升", "保障", False),
])
def test_lowered(old, new, expected):
    assert lowered(parse(old), parse(new)) is expected


def test_later_deadline():
    assert later(parse("10月底前"), parse("11月底前"))
    assert not later(parse("11月底前"), parse("10月底前"))


@pytest.mark.parametrize("old,new,why", [
    ("每季度", "每半年", "频次降低"),
    ("每月", "每季度", "频次降低"),
    ("每月2次", "每月1次", "频次降低"),
    ("每季度不少于2次", "每年不少于4次", "频次降低"),
    ("12次", "10次", "目标降低"),
    ("≥10人", "≤10人", "目标降低"),  # "at least" became "at most"
    ("≥95%", "≤95%", "目标降低"),
    ("10月底前", "11月底前", "期限推后"),
    ("6月底前", "年底前", "期限推后"),
    ("每季度", "每月", ""),
    ("每年不少于4次", "每季度不少于2次", ""),
    ("11月底前", "10月底前", ""),
    ("≤10人", "≥10人", ""),
    ("提升", "明显提升", ""),
])
def test_weakened(old, new, why):
    assert weakened(parse(old), parse(new)) == why
