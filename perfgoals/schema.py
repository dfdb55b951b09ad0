"""The JSON Schema of a project file (`perfgoals schema`), for editors such as VS Code YAML.

Built from the same key lists and indicator framework the loader checks against, so the two
cannot disagree about what a valid file looks like.
"""

from __future__ import annotations

from typing import Any

from . import forms, framework
from . import model as m

SCHEMA_ID = "https://perfgoals.invalid/schema/project.json"

_MONEY = {"type": ["number", "null"], "description": "金额（单位见“金额单位”），表上空白写 null，不要写 0"}


def _text(title: str, description: str = "", nullable: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {"type": ["string", "null"] if nullable else "string", "title": title}
    if description:
        out["description"] = description
    return out


def _rows(title: str, keys: tuple[str, ...] = m.ROW_KEYS) -> dict[str, Any]:
    if keys != m.ROW_KEYS:  # a form's own row keys: name, value (and 绩效标准)
        return {"title": title, "type": ["array", "null"],
                "items": {"type": "object", "title": "三级指标行", "additionalProperties": False,
                          "properties": {k: {"type": ["string", "number", "null"], "title": k} for k in keys}}}
    return {
        "title": title,
        "type": ["array", "null"],
        "items": {
            "type": "object",
            "title": "三级指标行",
            "additionalProperties": False,
            "properties": {
                m.K_ROW_NAME: {"type": ["string", "null"], "title": "三级指标", "description": "指标名称，如“活动开展次数”"},
                m.K_ROW_VALUE: {"type": ["string", "number", "null"], "title": "年度指标值",
                                "description": "按表上原样填写，如“≥90%”“12次”“10月底前”"},
            },
        },
    }


def project_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one project file."""
    level1: dict[str, Any] = {}
    for name in framework.LEVEL1_ORDER:
        children = dict.fromkeys(framework.FORM_101.get(name, ()) + framework.FORM_2024.get(name, ()))
        level1[name] = {
            "title": name,
            "type": ["object", "null"],
            "properties": {child: _rows(child) for child in children},
            # other 二级 names still load; lint's level2-name rule reports them
            "additionalProperties": _rows("二级指标"),
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": forms.TOWN_2024.title,
        "description": "一个项目一个文件：data/<年度>/<单位>/<项目名称>.yaml",
        "type": "object",
        "additionalProperties": False,
        "required": list(m.REQUIRED_KEYS),
        "properties": {
            m.K_NAME: _text("项目名称"),
            m.K_YEAR: {"type": "integer", "title": "年度", "minimum": 1990, "maximum": 2100},
            m.K_CATEGORY: {"title": "项目类别", "description": "2024 年表式：专项资金/经常性项目/一次性项目；申报表：特定目标类等",
                           "enum": [*m.CATEGORIES, *m.NEW_CATEGORIES, None]},
            m.K_NATURE: {"title": "项目性质", "description": "申报表才有：经常性项目/阶段性项目/一次性项目",
                         "enum": [*m.NATURES, None]},
            m.K_DEPT: _text("主管部门"),
            m.K_UNIT: _text("实施单位"),
            m.K_START: _text("计划开始日期", "如 2024-01-01，或只有年月时 2024-01"),
            m.K_END: _text("计划完成日期", "如 2024-12-31"),
            m.K_MONEY_UNIT: {"title": "金额单位", "enum": list(m.MONEY_UNITS), "default": "万元"},
            m.K_FUNDS: {
                "title": "项目资金", "type": "object", "additionalProperties": False,
                "description": "项目资金总额 = 财政资金 + 其他资金",
                "properties": {k: {**_MONEY, "title": k} for k in m.FUNDS_KEYS},
            },
            m.K_ANNUAL: {
                "title": "年度资金", "type": "object", "additionalProperties": False,
                "description": "年度资金申请总额 = 当年财政拨款 + 上年结转资金 + 其他资金",
                "properties": {k: {**_MONEY, "title": k} for k in m.ANNUAL_KEYS},
            },
            m.K_GOALS: {
                "title": "项目绩效目标", "type": "object", "additionalProperties": False,
                "properties": {
                    m.K_PERIOD: _text("总目标期间", "如“2024年-2024年”"),
                    m.K_GOAL_TOTAL: _text("项目总目标"),
                    m.K_GOAL_ANNUAL: _text("年度总体目标"),
                },
            },
            m.K_INDICATORS: {
                "title": "绩效指标", "type": "object", "additionalProperties": False,
                "description": "一级指标 → 二级指标 → 三级指标行；成本指标既可作产出指标下的二级指标（2024 年表式），也可作一级指标（财预〔2021〕101号）",
                "properties": level1,
            },
        },
    }


def form_schema(form: forms.Form) -> dict[str, Any]:
    """The JSON Schema of a file in a form's own words, from its layout (`forms.Form.layout`)."""
    level1: dict[str, Any] = {}
    for name, children in form.levels.items():
        level1[name] = {"title": name, "type": ["object", "null"],
                        "properties": {child: _rows(child, form.row_keys) for child in children},
                        "additionalProperties": _rows("二级指标", form.row_keys)}
    indicators = {"type": ["object", "null"], "additionalProperties": False, "properties": level1}
    props: dict[str, Any] = {}
    required: list[str] = []
    for path, fld in form.layout:
        head, _dot, key = path.partition(".")
        if fld == "year":
            one: dict[str, Any] = {"type": "integer", "title": head, "minimum": 1990, "maximum": 2100}
        elif fld == "money_unit":
            one = {"title": head, "enum": list(m.MONEY_UNITS), "default": "万元"}
        elif fld == "category":
            one = {"title": head, "enum": [*form.categories, None]}
        elif fld == "term":
            one = _text(head, "起止年月，如 202401-202612")
        elif fld in ("groups", "long_groups"):
            one = {**indicators, "title": head}
        elif fld.startswith(("funds.", "annual.")):
            one = {**_MONEY, "title": key}
        else:
            one = _text(key or head)
        if key:
            block = props.setdefault(head, {"title": head, "type": "object", "additionalProperties": False,
                                            "properties": {}})
            block["properties"][key] = one
        else:
            props[head] = one
        if head not in required and head not in ("金额单位", m.K_LONG):
            required.append(head)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://perfgoals.invalid/schema/{form.id}.json",
        "title": form.title,
        "description": f"{form.users}；一个项目一个文件：data/<年度>/<单位>/<项目名称>.yaml",
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": props,
    }


SELFEVAL_ID = "https://perfgoals.invalid/schema/selfeval.json"


def selfeval_schema() -> dict[str, Any]:
    """The JSON Schema of a 自评表 file (``*.自评.yaml``), from `selfeval`'s key lists."""
    from . import selfeval as se
    number = {"type": ["number", "null"]}
    percent = {"type": ["string", "number", "null"], "description": "如 92.18%"}
    value = {"type": ["string", "number", "null"]}
    money_row = {"type": "object", "additionalProperties": False,
                 "properties": {k: {**number, "title": k} for k in se.MONEY_COLUMNS}}
    total_row = {"type": "object", "additionalProperties": False,
                 "properties": {**{k: {**number, "title": k} for k in se.MONEY_COLUMNS},
                                se.C_WEIGHT: {**number, "title": "分值", "description": "预算执行率的分值，通常为 10"},
                                se.C_RATE: {**percent, "title": "执行率"},
                                se.C_SCORE: {**number, "title": "得分"}}}
    row = {"type": "object", "title": "三级指标行", "additionalProperties": False, "properties": {
        se.I_NAME: {"type": ["string", "null"], "title": "三级指标"},
        se.I_TARGET: {**value, "title": "年度指标值", "description": "批复的目标，与目标表一致"},
        se.I_ACTUAL: {**value, "title": "实际完成值"},
        se.I_WEIGHT: {**number, "title": "分值"},
        se.I_SCORE: {**number, "title": "得分"},
        se.I_REASON: _text("偏差原因分析及改进措施", "未达到目标时必填"),
    }}
    level2 = {"type": ["array", "null"], "items": row}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SELFEVAL_ID,
        "title": forms.SELFEVAL_2020.title,
        "description": "目标表旁边的 <项目文件名>.自评.yaml（财预〔2020〕10号）",
        "type": "object",
        "additionalProperties": False,
        "required": list(se.REQUIRED_KEYS),
        "properties": {
            se.K_NAME: _text("项目名称"),
            se.K_YEAR: {"type": "integer", "title": "年度", "minimum": 1990, "maximum": 2100},
            se.K_DEPT: _text("主管部门"),
            se.K_UNIT: _text("实施单位"),
            se.K_MONEY_UNIT: {"title": "金额单位", "enum": list(m.MONEY_UNITS), "default": "万元"},
            se.K_MONEY: {"title": "项目资金", "type": "object", "additionalProperties": False, "properties": {
                k: ({**total_row, "title": k} if k == se.R_TOTAL else {**money_row, "title": k}) for k in se.MONEY_ROWS}},
            se.K_GOAL: {"title": "年度总体目标", "type": "object", "additionalProperties": False,
                        "properties": {k: _text(k) for k in se.GOAL_KEYS}},
            se.K_INDICATORS: {"title": "绩效指标", "type": "object", "additionalProperties": False, "properties": {
                name: {"title": name, "type": ["object", "null"], "additionalProperties": level2}
                for name in framework.LEVEL1_ORDER}},
            se.K_TOTAL: {**number, "title": "总分"},
        },
    }
