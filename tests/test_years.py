"""Rules across years: the same project's target tables and 自评表 of consecutive years."""

from __future__ import annotations

from perfgoals import loader, selfeval
from perfgoals.lint import lint_sources
from perfgoals.lint.config import default
from perfgoals.lint.engine import EvalSource, Source

from .test_selfeval import BASE as EVAL
from .test_selfeval import TARGET


def target(year: int, text: str = TARGET, unit: str = "民政") -> Source:
    project, problems = loader.load_text(text.replace("年度: 2024", f"年度: {year}"), f"{year}/x.yaml")
    assert problems == [] and project is not None
    return Source(project, year, unit)


def evaluation(year: int, text: str = EVAL, unit: str = "民政") -> EvalSource:
    ev, problems = selfeval.load_text(text.replace("年度: 2024", f"年度: {year}"), f"{year}/x.自评.yaml")
    assert problems == [] and ev is not None
    return EvalSource(ev, None, year, unit)


def found(rule: str, *sources: Source | EvalSource) -> list[str]:
    return [f"{p.path}:{p.line}: {p.message}" for p in lint_sources(list(sources), default()).problems
            if p.rule == rule]


def test_lowered_after_miss():
    lowered = TARGET.replace("年度指标值: ≥200人", "年度指标值: ≥180人")
    [msg] = found("lowered-after-miss", target(2023), evaluation(2023), target(2024, lowered))
    assert msg.startswith("2024/x.yaml:15: ") and "2023 年度目标“≥200人”自评实际只完成“186人”，本年度改为“≥180人”" in msg
    assert found("lowered-after-miss", target(2023), evaluation(2023), target(2024)) == []  # kept
    assert found("lowered-after-miss", target(2023), target(2024, lowered)) == []  # no 自评: no miss known
    met = EVAL.replace("实际完成值: 186人", "实际完成值: 200人")
    assert found("lowered-after-miss", target(2023), evaluation(2023, met), target(2024, lowered)) == []
    assert found("lowered-after-miss", target(2023), evaluation(2023), target(2024, lowered, unit="团委")) == []


def test_target_never_binding():
    far = EVAL.replace("实际完成值: 186人", "实际完成值: 260人")
    [msg] = found("target-never-binding", evaluation(2023, far), evaluation(2024, far.replace("260人", "250人")))
    assert msg.startswith("2024/x.自评.yaml:18: ") and "连续两年实际完成远超目标" in msg
    assert found("target-never-binding", evaluation(2023, far), evaluation(2024)) == []  # 186 < 1.2 × 200
    assert found("target-never-binding", evaluation(2024, far)) == []  # one year only
    cost = EVAL.replace("实际完成值: 1486.77元/人", "实际完成值: 2000元/人")  # ≤ target: never "too easy" by ratio
    assert found("target-never-binding", evaluation(2023, cost), evaluation(2024, cost)) == []


def test_indicators_copied_while_money_changed():
    more = TARGET.replace("年度资金申请总额: 30.00, 当年财政拨款: 30.00", "年度资金申请总额: 40.00, 当年财政拨款: 40.00") \
        .replace("项目资金总额: 30.00, 财政资金: 30.00", "项目资金总额: 40.00, 财政资金: 40.00")
    [msg] = found("indicators-copied", target(2023), target(2024, more))
    assert "全部 6 个指标及指标值与 2023 年度相同" in msg and "由 30 万元变为 40 万元（+33%）" in msg
    assert found("indicators-copied", target(2023), target(2024)) == []  # same money: nothing to re-measure
    raised = more.replace("年度指标值: ≥200人", "年度指标值: ≥260人")
    assert found("indicators-copied", target(2023), target(2024, raised)) == []


def test_target_lowered_needs_both_years_of_the_same_project():
    lowered = TARGET.replace("年度指标值: ≥90%", "年度指标值: ≥85%")
    [msg] = found("target-lowered", target(2023), target(2024, lowered))
    assert "“老人满意度”目标降低：2023 年度为“≥90%”，本年度为“≥85%”" in msg
    assert found("target-lowered", target(2023, lowered), target(2024)) == []  # raised
