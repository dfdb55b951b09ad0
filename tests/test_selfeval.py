"""The 自评表: reading, scoring formulas (财预〔2020〕10号), its lint rules, `score` and `new --自评`."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfgoals import scoring, selfeval
from perfgoals.lint import lint_sources
from perfgoals.lint.config import default
from perfgoals.lint.engine import EvalSource
from perfgoals.lint.registry import RULES
from perfgoals import loader

from .conftest import EXAMPLES

EXAMPLE = EXAMPLES / "selfeval" / "社区助老服务补贴.自评.yaml"
BASE = EXAMPLE.read_text(encoding="utf-8")
QTY = "{三级指标: 助餐服务老人人数, 年度指标值: ≥200人, 实际完成值: 186人, 分值: 20, 得分: 18.6, 偏差原因分析及改进措施: 部分老人入住养老机构，明年按实际需求调整}"


def edit(old: str, new: str, text: str = BASE) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def load(text: str) -> selfeval.SelfEval:
    evaluation, problems = selfeval.load_text(text, "x.自评.yaml")
    assert problems == [] and evaluation is not None, problems
    return evaluation


def found(rule: str, text: str, target_text: str | None = None) -> list[str]:
    target = loader.load_text(target_text, "x.yaml")[0] if target_text else None
    result = lint_sources([EvalSource(load(text), target, 2024, "民政")], default())
    return [p.message for p in result.problems if p.rule == rule]


# -- formulas --------------------------------------------------------------------------------

def test_execution_rate_and_budget_points():
    assert scoring.execution_rate(D("300000.00"), D("276540.00")) == D("92.18")
    assert scoring.budget_points(D("92.18"), D(10)) == D("9.22")
    assert scoring.budget_points(D("105.00"), D(10)) == D(10)  # never above 分值
    assert scoring.execution_rate(D(0), D(0)) is None  # 全年预算数 0: nothing to execute
    assert scoring.execution_rate(None, D(5)) is None and scoring.execution_rate(D(5), None) is None


def test_higher_is_better_and_lower_is_better():
    assert scoring.quantitative(D(200), D(186), D(20), False) == D("18.60")
    assert scoring.quantitative(D(200), D(230), D(20), False) == D(20)
    assert scoring.quantitative(D(1500), D(1400), D(10), True) == D(10)
    assert scoring.quantitative(D(1500), D(2250), D(10), True) == D("5.00")
    assert scoring.quantitative(D(1500), D(3000), D(10), True) == D(0)  # B = 2A
    assert scoring.quantitative(D(1500), D(4000), D(10), True) == D(0)
    assert scoring.quantitative(D(0), D(3), D(10), False) == D(10)


def test_indicator_scores_by_the_target_s_direction_and_kind():
    def row(target, actual, weight="10", score=None):
        return scoring.indicator("p", selfeval.Row("x", target, actual, D(weight), D(score) if score else None,
                                                   None, score), scoring.Policy())
    assert row("≥95%", "80%").computed == D("8.42")
    assert row("≤300元/人", "450元/人").computed == D("5.00") and row("≤300元/人", "450元/人").method == "≤"
    assert row("300元/人以内", "290元/人").computed == D(10)
    late, on_time = row("10月底前", "11月15日"), row("10月底前", "10月20日")
    assert (late.computed, late.short, on_time.computed, on_time.short) == (D(0), True, D(10), False)
    blank = row("≥95%", None)
    assert blank.computed == D(0) and blank.short and blank.note == "实际完成值为空"
    partial = row("有效缓解", "基本缓解", score="11")
    assert (partial.tier, partial.band, partial.computed, partial.stated_ok) == ("部分达成", (D("6.00"), D("8.00")), D(8), False)
    assert row("健全", "健全", score="9").stated_ok and row("健全", "未建立", score="3").tier == "未达成"


def test_total_and_grade_of_the_example():
    s = scoring.score(load(BASE))
    assert (s.rate, s.budget_score, s.total, s.grade, s.weights) == (D("92.18"), D("9.22"), D("93.82"), "优", D(100))


def test_tolerance_is_one_unit_of_the_last_digit_shown():
    assert scoring.tolerance("9.22") == D("0.01") and scoring.tolerance("93.5") == D("0.1")
    assert scoring.tolerance("11") == D(1)


def test_policy_from_configuration(tmp_path):
    from perfgoals.lint import config as lconf
    conf = lconf.parse("score:\n  档次: {部分达成: [50, 70]}\n  等级: {优: 95, 良: 85, 中: 60, 差: 0}\n",
                       "c.yaml", default(), tmp_path)
    policy = conf.policy()
    assert policy.bands["部分达成"] == (D("0.5"), D("0.7"))
    assert scoring.grade(D("93.82"), policy) == "良"
    with pytest.raises(Exception, match="score.档次"):
        lconf.parse("score:\n  档次: {部分达成: [80, 60]}\n", "c.yaml", default(), tmp_path)


amounts = st.decimals(min_value=0, max_value=10000, places=2)


@given(target=st.decimals(min_value=D("0.01"), max_value=10000, places=2), a=amounts, b=amounts,
       weight=st.decimals(min_value=1, max_value=30, places=1), lower=st.booleans())
def test_a_score_never_exceeds_its_weight_and_never_falls_as_the_actual_improves(target, a, b, weight, lower):
    worse, better = (max(a, b), min(a, b)) if lower else (min(a, b), max(a, b))
    s_worse = scoring.quantitative(target, worse, weight, lower)
    s_better = scoring.quantitative(target, better, weight, lower)
    assert D(0) <= s_worse <= s_better <= weight


# -- the file ----------------------------------------------------------------------------------

def test_example_reads_formats_unchanged_and_lints_clean(run):
    evaluation = load(BASE)
    assert evaluation.name == "社区助老服务补贴" and evaluation.money_unit == "元"
    assert selfeval.format_text(BASE) == BASE
    body = json.loads(run("lint", "--format", "json", str(EXAMPLE)).stdout)
    assert body["problems"] == []


def test_schema_mistakes_name_line_and_key():
    _e, problems = selfeval.load_text(edit("总分: 93.82", "总份: 93.82"), "x.自评.yaml")
    assert [(p.line, p.rule) for p in problems][0] == (31, "schema") and "总分" in problems[0].message
    _e, problems = selfeval.load_text(edit("执行率: 92.18%", "执行率: 九成"), "x.自评.yaml")
    assert problems and "执行率" in problems[0].message and problems[0].line == 8


# -- lint rules: (rule, edit, findings) --------------------------------------------------------

CASES = [
    ("selfeval-score-mismatch", ("得分: 9.22}", "得分: 10}"), 1),
    ("selfeval-score-mismatch", ("执行率: 92.18%", "执行率: 95%"), 1),
    ("selfeval-score-mismatch", ("得分: 18.6,", "得分: 16,"), 2),  # the row, and 总分 no longer adds up
    ("selfeval-score-mismatch", ("得分: 18.6,", "得分: 18.60,"), 0),
    ("selfeval-score-mismatch", ("得分: 11,", "得分: 14,"), 2),  # 部分达成: 9–12; 总分 off too
    ("selfeval-full-marks-shortfall", ("得分: 18.6,", "得分: 20,"), 1),
    ("selfeval-full-marks-shortfall", ("实际完成值: 12月20日", "实际完成值: 12月28日"), 0),  # still before 12月底
    ("selfeval-full-marks-shortfall", ("实际完成值: 100%, 分值: 15", "实际完成值: 80%, 分值: 15"), 1),
    ("selfeval-full-marks-shortfall", ("实际完成值: 95%, 分值: 20", "实际完成值: 91%, 分值: 20"), 0),
    ("selfeval-weights", ("分值: 10, 执行率", "分值: 20, 执行率"), 1),
    ("selfeval-weights", ("分值: 10, 执行率", "分值: 10, 执行率"), 0),
    ("selfeval-reason-missing", ("偏差原因分析及改进措施: 部分老人入住养老机构，明年按实际需求调整", "偏差原因分析及改进措施: null"), 1),
    ("selfeval-reason-missing", ("实际完成值: 186人, 分值: 20, 得分: 18.6, 偏差原因分析及改进措施: 部分老人入住养老机构，明年按实际需求调整",
                                 "实际完成值: 200人, 分值: 20, 得分: 20, 偏差原因分析及改进措施: null"), 0),
    ("selfeval-money-sum", ("当年财政拨款: {年初预算数: 300000.00, 全年预算数: 300000.00, 全年执行数: 276540.00}",
                            "当年财政拨款: {年初预算数: 300000.00, 全年预算数: 300000.00, 全年执行数: 270000.00}"), 1),
    ("selfeval-money-sum", ("其他资金: {年初预算数: 0,", "其他资金: {年初预算数: null,"), 0),
    ("selfeval-overspent", ("全年执行数: 276540.00, 分值", "全年执行数: 310000.00, 分值"), 1),
    ("selfeval-overspent", ("全年执行数: 276540.00, 分值", "全年执行数: 300000.00, 分值"), 0),
    ("selfeval-amount-implausible", ("金额单位: 元", "金额单位: 万元"), 0),
    ("selfeval-amount-implausible", ("年初预算数: 300000.00, 全年预算数: 300000.00, 全年执行数: 276540.00, 分值",
                                     "年初预算数: 300000.00, 全年预算数: 145000000000000, 全年执行数: 276540.00, 分值"), 1),
]


@pytest.mark.parametrize("rule,change,expected", CASES)
def test_rule(rule, change, expected):
    assert len(found(rule, edit(*change))) == expected, found(rule, edit(*change))


def test_the_published_case_full_marks_on_80_percent():
    text = edit("{三级指标: 补贴发放准确率, 年度指标值: 100%, 实际完成值: 100%, 分值: 15, 得分: 15, 偏差原因分析及改进措施: null}",
                "{三级指标: 项目一次验收合格率, 年度指标值: 100%, 实际完成值: 80%, 分值: 15, 得分: 15, 偏差原因分析及改进措施: null}")
    [msg] = found("selfeval-full-marks-shortfall", text)
    assert "“项目一次验收合格率”实际完成值“80%”未达到年度指标值“100%”，却给了满分 15" in msg and "应为 12" in msg
    assert found("selfeval-score-mismatch", text) == []  # one cause, one finding


TARGET = """项目名称: 社区助老服务补贴
年度: 2024
项目类别: 经常性项目
主管部门: 上海市某区民政局
实施单位: 某街道社区事务受理服务中心
计划开始日期: 2024-01-01
计划完成日期: 2024-12-31
金额单位: 万元
项目资金: {项目资金总额: 30.00, 财政资金: 30.00, 其他资金: null}
年度资金: {年度资金申请总额: 30.00, 当年财政拨款: 30.00, 上年结转资金: null, 其他资金: null}
绩效目标: {总目标期间: 2024年-2024年, 项目总目标: 助餐, 年度总体目标: 助餐}
绩效指标:
  产出指标:
    数量指标:
      - {三级指标: 助餐服务老人人数, 年度指标值: ≥200人}
    质量指标:
      - {三级指标: 补贴发放准确率, 年度指标值: 100%}
    时效指标:
      - {三级指标: 补贴发放及时性, 年度指标值: 12月底前}
    成本指标:
      - {三级指标: 人均助餐补贴, 年度指标值: ≤1500元/人}
  效益指标:
    社会效益指标:
      - {三级指标: 高龄独居老人就餐困难, 年度指标值: 有效缓解}
  满意度指标:
    服务对象满意度指标:
      - {三级指标: 老人满意度, 年度指标值: ≥90%}
"""


def test_checked_against_the_approved_target_table():
    for rule in ("selfeval-target-changed", "selfeval-indicators-changed", "selfeval-initial-budget"):
        assert found(rule, BASE, TARGET) == [], rule
        assert found(rule, BASE) == [], rule  # alone: nothing to compare with
    [msg] = found("selfeval-target-changed", edit("年度指标值: ≥200人", "年度指标值: ≥180人"), TARGET)
    assert "“≥180人”与批复的目标表“≥200人”不同" in msg
    assert len(found("selfeval-indicators-changed", BASE, TARGET.replace("老人满意度", "子女满意度"))) == 2
    [msg] = found("selfeval-initial-budget", BASE, TARGET.replace("年度资金申请总额: 30.00", "年度资金申请总额: 28.00"))
    assert "年初预算数 30 万元" in msg and "28 万元" in msg


def test_every_selfeval_rule_has_a_failing_and_a_passing_case():
    own = {"selfeval-target-changed", "selfeval-indicators-changed", "selfeval-initial-budget"}
    ids = {rid for rid, r in RULES.items() if r.kind == "selfeval"}
    assert {c[0] for c in CASES if c[2]} | own == ids
    assert {c[0] for c in CASES if not c[2]} | own == ids


# -- commands ------------------------------------------------------------------------------------

def test_score_command_json_and_units(run, workdir):
    folder = workdir / "data" / "2024" / "妇联"
    shutil.copy(EXAMPLE, folder / "社区助老服务补贴.自评.yaml")
    (folder / "短缺.自评.yaml").write_text(edit("得分: 18.6,", "得分: 20,").replace("总分: 93.82", "总分: 95.22")
                                          .replace("社区助老服务补贴", "短缺"), encoding="utf-8")
    body = json.loads(run("score", "--format", "json").stdout)
    by_name = {b["项目名称"]: b for b in body}
    assert by_name["社区助老服务补贴"]["总分"] == "93.82" and by_name["社区助老服务补贴"]["等级"] == "优"
    assert by_name["短缺"]["表上总分"] == "95.22" and by_name["短缺"]["总分"] == "93.82" and by_name["短缺"]["差额"] == "1.40"
    text = run("score").stdout
    assert "各单位自评得分" in text and "妇联" in text
    csv_out = run("score", "--format", "csv").stdout
    assert csv_out.splitlines()[0].lstrip("\ufeff").startswith("文件,项目名称,实施单位,表上执行率")
    summary = run("summary", "--format", "json")  # target-table commands leave the 自评表 alone
    assert summary.exit_code == 0 and json.loads(summary.stdout)["total"]["项目数"] == 104
    lint = json.loads(run("lint", "--format", "json", str(folder)).stdout)
    assert "selfeval-full-marks-shortfall" in {p["rule"] for p in lint["problems"]}


def test_score_without_any_selfeval_says_so(run):
    result = run("score")
    assert result.exit_code == 2 and "没有自评表" in result.output


def test_new_selfeval_prefills_from_the_target_table(run, workdir):
    run("new", "--自评", "--year", "2024", "--unit", "妇联", "妇女儿童维权")
    path = workdir / "data" / "2024" / "妇联" / "妇女儿童维权.自评.yaml"
    evaluation = load(path.read_text(encoding="utf-8"))
    target = loader.load_file(workdir / "data" / "2024" / "妇联" / "妇女儿童维权.yaml")[0]
    assert evaluation.row_money("年度资金总额").initial == target.annual.total
    assert [(r.name, r.target) for _p, _g, _i, r in evaluation.rows()] == \
        [(r.name, r.value) for _p, _g, _i, r in target.rows() if r.name and r.name != "无"]
    again = run("new", "--自评", "--year", "2024", "--unit", "妇联", "妇女儿童维权")
    assert again.exit_code == 2 and "文件已存在" in again.output  # never overwrites a filled-in 自评表
    result = run("new", "--自评", "--year", "2024", "--unit", "妇联", "没有这个项目")
    assert result.exit_code == 2 and "找不到目标表" in result.output
    assert run("fmt", "--check", str(path)).exit_code == 0


# -- print and import ------------------------------------------------------------------------------

def _with_examples(workdir):
    folder = workdir / "data" / "2024" / "妇联"
    shutil.copy(EXAMPLE, folder / "社区助老服务补贴.自评.yaml")
    short = edit("{三级指标: 补贴发放准确率, 年度指标值: 100%, 实际完成值: 100%",
                 "{三级指标: 项目一次验收合格率, 年度指标值: 100%, 实际完成值: 80%").replace("社区助老服务补贴", "老年助餐点改造")
    (folder / "老年助餐点改造.自评.yaml").write_text(short, encoding="utf-8")
    return folder


def test_render_selfeval_html_shows_the_form_and_the_computed_total(run, workdir):
    _with_examples(workdir)
    result = run("render", "--自评", "--unit", "妇联", "--out", str(workdir / "out"))
    assert result.exit_code == 0, result.output
    page = (workdir / "out" / "2024" / "妇联" / "老年助餐点改造-自评.html").read_text(encoding="utf-8")
    for text in ("财政项目支出绩效自评表", "年初预算数", "全年执行数", "执行率", "偏差原因分析及改进措施",
                 "项目一次验收合格率", "92.18%", "总分 90.82（优）", "表上总分 93.82，与计算不符"):
        assert text in page, text
    assert page.count("<tr") == 19  # header 11 rows, indicator head, 6 rows, 总分
    assert page.count("<thead>") == 2  # the goals' and the indicators' headers, repeated on every printed page


def test_selfeval_excel_round_trip(run, workdir, tmp_path):
    _with_examples(workdir)
    assert run("render", "--自评", "--format", "xlsx", "--out", str(workdir / "out")).exit_code == 0
    book = workdir / "out" / "2024" / "妇联-自评.xlsx"
    fresh = tmp_path / "repo"
    (fresh / "data").mkdir(parents=True)
    result = run("import", str(book), "--year", "2024", "--data", str(fresh / "data"), cwd=fresh)
    assert result.exit_code == 0 and "2 张自评表" in result.output, result.output
    [back] = (fresh / "data" / "2024").glob("*/社区助老服务补贴.自评.yaml")
    body = back.read_text(encoding="utf-8").split("\n", 1)[1]
    assert body == BASE.split("\n", 1)[1]  # the same file but for its first (comment) line
    again = run("import", str(book), "--year", "2024", "--data", str(fresh / "data"), cwd=fresh)
    assert again.exit_code == 1 and "已存在" in again.output  # never overwritten without --force


def test_render_selfeval_pdf(run, workdir):
    from .conftest import require_weasyprint
    require_weasyprint()
    _with_examples(workdir)
    result = run("render", "--自评", "--unit", "妇联", "--format", "pdf", "--out", str(workdir / "out"))
    assert result.exit_code == 0, result.output
    import pdfplumber
    with pdfplumber.open(workdir / "out" / "2024" / "妇联-自评.pdf") as pdf:
        texts = ["".join((page.extract_text() or "").split()) for page in pdf.pages]  # wrapped lines joined
    assert len(texts) == 2  # one page per 自评表
    assert all("财政项目支出绩效自评表" in t and "实际完成值" in t and "全年执行数" in t for t in texts)
    assert "老年助餐点改造" in texts[1] and "社区助老服务补贴" in texts[0]
    assert ["第1页/共2页" in texts[0], "第2页/共2页" in texts[1]] == [True, True]  # one count for the file


def test_a_long_selfeval_prints_whole_rows_with_header_and_labels_on_every_page(run, workdir):
    """Issue 30 #1: a 自评表 of 24 indicators runs onto a second page: no row is split, the
    second page repeats the indicator header and the 一级/二级 names of its first row, and the
    outline has the unit and the form."""
    from .conftest import require_weasyprint
    require_weasyprint()
    folder = workdir / "data" / "2024" / "妇联"
    rows = "\n".join(f"      - {{三级指标: 示范项目第{i}项验收合格率, 年度指标值: 100%, 实际完成值: 100%, 分值: 2, 得分: 2, "
                     f"偏差原因分析及改进措施: null}}" for i in range(1, 25))
    text = edit("    质量指标:\n", "    质量指标:\n" + rows + "\n")
    (folder / "社区助老服务补贴.自评.yaml").write_text(text, encoding="utf-8")
    result = run("render", "--自评", "--unit", "妇联", "--format", "pdf", "--out", str(workdir / "out"))
    assert result.exit_code == 0, result.output
    import pdfplumber
    with pdfplumber.open(workdir / "out" / "2024" / "妇联-自评.pdf") as pdf:
        assert len(pdf.pages) >= 2
        outline = [(level, title) for level, title, *_ in pdf.doc.get_outlines()]
        second = pdf.pages[1]
        words = second.extract_words()
        page_text = "".join(w["text"] for w in words)
        assert "一级指标" in page_text and "三级指标" in page_text  # the header again
        assert "产出指标" in page_text and "质量指标" in page_text  # the labels carried over
        assert "第2页/共2页" in "".join((second.extract_text() or "").split())
        # every row is whole: each indicator name sits on one page with its values beside it
        for page in pdf.pages:
            flat = "".join((page.extract_text() or "").split())
            for i in range(1, 25):
                name = f"示范项目第{i}项验收合格率"
                if name in flat:
                    assert flat.count(name) == 1
    assert outline == [(1, "某街道社区事务受理服务中心"), (2, "社区助老服务补贴")]  # the unit as the form names it


def test_render_selfeval_without_any_says_so(run, workdir):
    result = run("render", "--自评", "--out", str(workdir / "out"))
    assert result.exit_code == 2 and "没有自评表" in result.output


def test_selfeval_schema_accepts_the_example_and_rejects_a_wrong_key(run):
    import jsonschema
    validator = jsonschema.Draft202012Validator(json.loads(run("schema", "--自评").stdout))
    assert list(validator.iter_errors(loader.plain(BASE))) == []
    assert list(validator.iter_errors(loader.plain(edit("总分: 93.82", "总份: 93.82"))))
    assert list(validator.iter_errors(loader.plain(edit("得分: 18.6,", "得分: 很高,"))))
