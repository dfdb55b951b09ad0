"""The year-end 财政项目支出绩效自评表 (财预〔2020〕10号): its values and keys (`values`), reading
(`reader`) and writing (`writer`).

A 自评 file sits next to its target table as ``<project file name>.自评.yaml`` (and may stand
alone). Its keys are the form's own words.
"""

from __future__ import annotations

from .reader import load_bytes, load_file, load_text
from .values import (
    C_BUDGET, C_INITIAL, C_RATE, C_SCORE, C_SPENT, C_WEIGHT, G_ACHIEVED, G_EXPECTED, GOAL_KEYS, I_ACTUAL, I_NAME,
    I_REASON, I_SCORE, I_TARGET, I_WEIGHT, K_DEPT, K_GOAL, K_INDICATORS, K_MONEY, K_MONEY_UNIT, K_NAME, K_TOTAL,
    K_UNIT, K_YEAR, MONEY_COLUMNS, MONEY_ROWS, R_APPROPRIATION, R_CARRYOVER, R_OTHER, R_TOTAL, REQUIRED_KEYS,
    ROW_KEYS, SUFFIX, TOP_KEYS, TOTAL_ROW_KEYS, Group, MoneyRow, Row, SelfEval, in_wan, path_for,
    target_path,
)
from .writer import document, format_text, from_target, text

__all__ = [
    "C_BUDGET", "C_INITIAL", "C_RATE", "C_SCORE", "C_SPENT", "C_WEIGHT", "G_ACHIEVED", "G_EXPECTED", "GOAL_KEYS",
    "I_ACTUAL", "I_NAME", "I_REASON", "I_SCORE", "I_TARGET", "I_WEIGHT", "K_DEPT", "K_GOAL", "K_INDICATORS",
    "K_MONEY", "K_MONEY_UNIT", "K_NAME", "K_TOTAL", "K_UNIT", "K_YEAR", "MONEY_COLUMNS", "MONEY_ROWS",
    "R_APPROPRIATION", "R_CARRYOVER", "R_OTHER", "R_TOTAL", "REQUIRED_KEYS", "ROW_KEYS", "SUFFIX", "TOP_KEYS",
    "TOTAL_ROW_KEYS", "Group", "MoneyRow", "Row", "SelfEval", "in_wan", "path_for", "target_path",
    "load_bytes", "load_file", "load_text", "document", "format_text", "from_target", "text",
]
