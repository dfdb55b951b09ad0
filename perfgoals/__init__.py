"""perfgoals: 财政项目支出绩效目标表 kept as YAML — checked, totalled, compared and printed."""

__version__ = "0.1.0"
