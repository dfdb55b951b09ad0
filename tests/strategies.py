"""Hypothesis strategies: whole projects of either framework, made of text the form could hold."""

from __future__ import annotations

import re

from hypothesis import strategies as st

from perfgoals import framework
from perfgoals import model as m

_TEXT = st.text(alphabet=st.sampled_from(list("项目资金活动开展次数率人户所保障提升居民满意度社区服务老年儿童0123456789%≥≤（）、，。-/元")),
                min_size=1, max_size=30).map(str.strip).filter(
    lambda s: s and s not in framework.LEVEL2_PARENT and s not in framework.LEVEL1_ORDER
    and not re.match(r"指标\s*\d", s) and "  " not in s)
_MONEY = st.one_of(st.none(), st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False,
                                          allow_infinity=False))


@st.composite
def generated(draw) -> m.Project:
    form = draw(st.sampled_from([framework.FORM_2024, framework.FORM_101]))
    groups = []
    for level1, names in form.items():
        for level2 in draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names))):
            rows = draw(st.lists(st.builds(m.Indicator, _TEXT, st.one_of(st.none(), _TEXT)), min_size=1, max_size=4))
            groups.append(m.Group(level1, level2, tuple(rows)))
    groups.sort(key=lambda g: framework.level2_order(g.level1, g.level2))
    new = form is framework.FORM_101
    return m.Project(
        name=draw(_TEXT), year=draw(st.integers(2020, 2030)),
        category=draw(st.sampled_from(m.NEW_CATEGORIES if new else m.CATEGORIES + (None,))),
        nature=draw(st.sampled_from(m.NATURES)) if new else None,
        department=draw(_TEXT), unit=draw(_TEXT), start="2025-01-01", end=draw(st.sampled_from(["2025-12-31", "2025-06"])),
        money_unit="元" if new else "万元",
        funds=m.Funds(draw(_MONEY), draw(_MONEY), draw(_MONEY)),
        annual=m.AnnualFunds(draw(_MONEY), draw(_MONEY), draw(_MONEY), draw(_MONEY)),
        period="2025年-2025年", goal_total=draw(_TEXT), goal_annual=draw(_TEXT), groups=tuple(groups))
