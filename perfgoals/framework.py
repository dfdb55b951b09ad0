"""The official indicator framework: which 一级/二级 indicators a form may hold.

Two frameworks are in use and both are valid:

* the 2024 town form (财预〔2015〕88号 era): 成本指标 is a 二级 indicator under 产出指标;
* the newer Shanghai 申报表 (财预〔2021〕101号): 成本指标 is a 一级 indicator with
  经济成本指标 / 社会成本指标 / 生态环境成本指标 under it.

The forms themselves (their vocabulary, blank rows, titles) live in `perfgoals.forms`; this module
derives what the readers and rules need from them: which 一级 a 二级 name belongs under, the names
other towns write, the order of a (一级, 二级) pair.
"""

from __future__ import annotations

from typing import Final

from .forms import SHENBAO_101, TOWN_2024
from .forms.base import BENEFIT, COST, LEVEL1_ORDER, OUTPUT, QUANTITY, SATISFACTION, SERVED_SATISFACTION

__all__ = ["BENEFIT", "COST", "LEVEL1_ORDER", "OUTPUT", "SATISFACTION", "QUANTITY", "SERVED_SATISFACTION"]

#: 一级 → 二级 in form order, 2024 town form (`forms.town2024`).
FORM_2024: Final = TOWN_2024.levels

#: 一级 → 二级 in form order, 101号 framework (`forms.shenbao101`: 成本指标 first, as the 申报表 prints it).
FORM_101: Final = SHENBAO_101.levels

#: The 二级 slots the blank 2024 浦江 form pre-prints (it has no 质量指标 row).
BLANK_FORM_2024: Final = TOWN_2024.blank


#: Every 二级 name either framework allows, mapped to the 一级 it belongs under.
#: 成本指标 is only a 二级 in the 2024 form, so it maps to 产出指标.
LEVEL2_PARENT: Final[dict[str, str]] = {
    name: level1 for form in (FORM_2024, FORM_101) for level1, names in form.items() for name in names
}

#: Short labels an extractor leaves when it drops the trailing 指标: label → full name.
LEVEL2_SHORT: Final[dict[str, str]] = {
    name[: -len("指标")]: name for name in LEVEL2_PARENT if name.endswith("指标")
}

#: 二级 names of published forms (other towns, other years) outside the framework, with the
#: standard name each stands for. Files keep them as written; lint suggests the standard one.
LEVEL2_SYNONYMS: Final[dict[str, str]] = {
    "可持续发展指标": "可持续影响指标",
    "长效管理指标": "可持续影响指标",
    "可持续指标": "可持续影响指标",
    "社会效益": "社会效益指标",
    "经济效益": "经济效益指标",
    "生态效益": "生态效益指标",
    "生态环境效益指标": "生态效益指标",
    "满意度指标": "服务对象满意度指标",
    "服务对象满意度": "服务对象满意度指标",
    "社会公众满意度指标": "服务对象满意度指标",
    "群众满意度指标": "服务对象满意度指标",
    "产出数量指标": "数量指标",
    "产出质量指标": "质量指标",
    "产出时效指标": "时效指标",
    "产出成本指标": "成本指标",
}

#: Misspelt or shortened 二级 labels seen on real forms, with the 一级 they stand under.
#: The importer keeps the label as written (lint reports it); it only needs the parent.
LEVEL2_VARIANTS: Final[dict[str, str]] = {
    variant: LEVEL2_PARENT[standard] for variant, standard in LEVEL2_SYNONYMS.items()
    if variant not in LEVEL2_PARENT and variant not in LEVEL2_SHORT  # a short label is expanded, not kept
}



def parent_of(level2: str) -> str | None:
    """The 一级 indicator a 二级 label belongs under, or None when unknown."""
    return LEVEL2_PARENT.get(level2) or LEVEL2_VARIANTS.get(level2)


def nearest_level2(level1: str, level2: str) -> str | None:
    """The standard 二级 name a non-standard one most likely means, preferring the names of its
    own 一级 (长效管理指标 under 效益指标 → 可持续影响指标); None when nothing is close."""
    import difflib
    if level2 in LEVEL2_SYNONYMS:
        return LEVEL2_SYNONYMS[level2]
    own = list(dict.fromkeys(FORM_2024.get(level1, ()) + FORM_101.get(level1, ())))
    for names, cutoff in ((own, 0.4), (list(LEVEL2_PARENT), 0.5)):
        close = difflib.get_close_matches(level2, names, n=1, cutoff=cutoff)
        if close:
            return close[0]
    return None


def level2_order(level1: str, level2: str) -> tuple[int, int]:
    """A sort key placing a (一级, 二级) pair in form order; unknown names go last."""
    i = LEVEL1_ORDER.index(level1) if level1 in LEVEL1_ORDER else len(LEVEL1_ORDER)
    names = FORM_101.get(level1, ()) + FORM_2024.get(level1, ())
    j = names.index(level2) if level2 in names else len(names)
    return i, j
