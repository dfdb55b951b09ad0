"""The mid-year 绩效运行监控 (the stage between the targets and the 自评): the 监控表's values
(`values`), reading (`reader`), writing (`writer`) and what is computed from it (`status`).

A 监控 file sits next to its target table as ``<project file name>.监控.yaml`` (and may stand
alone). Its keys are the form's own words.
"""

from __future__ import annotations

from .reader import load_bytes, load_file, load_text
from .compute import GREEN, RED, UNKNOWN, YELLOW, Status, Thresholds, status
from .values import (
    LIKELIHOODS, REASONS, SUFFIX, Deviation, Group, Monitor, MoneyRow, Row, months_of, path_for,
)
from .writer import document, format_text, from_target, text

__all__ = ["LIKELIHOODS", "REASONS", "SUFFIX", "Deviation", "Group", "Monitor", "MoneyRow", "Row",
           "months_of", "path_for", "load_bytes", "load_file", "load_text", "document",
           "format_text", "from_target", "text", "GREEN", "RED", "UNKNOWN", "YELLOW", "Status", "Thresholds", "status"]
