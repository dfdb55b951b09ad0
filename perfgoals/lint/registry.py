"""Every lint rule, by id. CLI choices, docs and the default preset all come from this dict."""

from __future__ import annotations

from typing import Mapping

from . import rules_corpus as corpus
from . import rules_form as form
from . import rules_goals as goals
from . import rules_indicators as ind
from . import rules_money as money
from . import rules_monitor as monitor
from . import rules_selfeval as selfeval
from . import rules_years as years
from .engine import Rule

RULES: Mapping[str, Rule] = {r.id: r for r in (
    form.required_fields, form.category_missing, form.department_name, form.department_is_unit,
    form.category_one_off, form.date_format, form.date_order,
    form.date_year, form.period_format, form.year_folder,
    money.funds_total_sum, money.annual_total_sum, money.funds_missing, money.annual_vs_total,
    money.amount_positive, money.amount_implausible, money.amount_precision,
    goals.goal_missing, goals.goal_vague, goals.goal_past_tense, goals.goal_truncated, goals.goal_stale_reference, goals.goal_unmeasured,
    goals.goal_date_outside_plan,
    ind.level1_missing, ind.quantity_missing, ind.level2_name, ind.level2_parent, ind.placeholder_row,
    ind.empty_value, ind.empty_name, ind.duplicate_indicator,
    ind.cost_missing, ind.trivial_target, ind.benefit_misfiled, ind.effect_bare_percent, ind.timeliness_misplaced, ind.cost_misuse, ind.satisfaction_misplaced, ind.rate_without_percent,
    ind.number_without_unit, ind.percent_range, ind.quantity_not_count, ind.timeliness_no_deadline,
    ind.vague_qualitative, ind.reversed_direction, ind.satisfaction_format, ind.target_in_name,
    corpus.copied_subject, corpus.same_indicator_set, corpus.duplicate_project_name,
    years.target_lowered, years.lowered_after_miss, years.target_never_binding, years.indicators_copied,
    selfeval.score_mismatch, selfeval.full_marks_shortfall, selfeval.weights, selfeval.reason_missing,
    selfeval.money_sum, selfeval.overspent, selfeval.amount_implausible, selfeval.target_changed,
    selfeval.indicators_changed, selfeval.initial_budget,
    monitor.money_sum, monitor.money_order, monitor.behind_no_reason, monitor.likelihood_mismatch,
    monitor.target_changed, monitor.forecast_missed, monitor.period,
)}

#: Problems the loader itself reports; not rules one can turn off, but listed for `perfgoals rules`.
BUILTIN = {
    "syntax": "文件无法按 YAML 解析（语法错误、编码不是 UTF-8、含二进制内容等）",
    "schema": "文件结构不符合格式（未知的键、缺少必填项、类型不对、重复的键）",
    "unknown-rule": "行内忽略注释（# perfgoals: disable=…）中写了不存在的规则名，该注释因此不起作用（警告）",
}
