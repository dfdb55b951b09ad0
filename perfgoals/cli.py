"""The command line: it declares each command's options and calls the command's module in
`perfgoals.commands`, which does the work and returns the exit code. Nothing else lives here.

Exit codes (documented in README): 0 all good; 1 problems found (lint errors, files fmt would
change, differences with --exit-code); 2 usage error or input that cannot be read;
3 an internal error (a bug: please report it); 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any, NoReturn, Sequence

import click

from . import __version__, cli_zh
from .cli_zh import (CONTEXT, Group, config_option, data_option, format_option, jobs_option, money_unit_option,
                     output_option, unit_option, year_option)
from .commands.common import EXIT_BUG, EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK, os_message

cli_zh.install()


def _run(command: str, **options: Any) -> NoReturn:
    """Call a command's module with the options click parsed (the declaring function's
    ``locals()``), imported only now (lint never loads what render needs), and end with the exit
    code it returns."""
    module = importlib.import_module(f"perfgoals.commands.{command}")
    sys.exit(module.run(**options))


@click.group(cls=Group, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="perfgoals")
def cli() -> None:
    """perfgoals：把财政项目支出绩效目标表按 YAML 保存，并检查、汇总、对比、打印。

    \b
    常用：
      perfgoals lint                      检查 data/ 下全部绩效目标表
      perfgoals summary --by unit         按实施单位汇总资金
      perfgoals render --unit 妇联         生成官方表式（HTML）
    """


# -- lint ----------------------------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[路径]...")
@data_option
@year_option()
@unit_option("只检查该单位（文件夹名如 妇联，或实施单位全称）")
@format_option("perfgoals.lint.reporters:REPORTERS",
               help="输出格式（默认 text；在 GitHub Actions 中默认 github；gitlab 为 GitLab 代码质量报告；"
                   "用 -o 写入文件时按扩展名）")
@output_option("把结果写入文件（.json、.sarif、.txt 按扩展名选格式；- 为标准输出）")
@click.option("-q", "--quiet", is_flag=True, help="只报告错误，不显示警告、提示和统计行")
@click.option("--statistics", is_flag=True, help="只显示每条规则的问题数（从多到少）")
@click.option("--strict", is_flag=True, help="有警告也以退出码 1 结束")
@click.option("--exit-zero", is_flag=True, help="即使发现错误也以退出码 0 结束（只看报告，不拦截）")
@click.option("--select", multiple=True, metavar="RULE", help="只运行这些规则（可重复）")
@click.option("--ignore", "ignore_rules", multiple=True, metavar="RULE", help="不运行这些规则（可重复）")
@config_option()
@click.option("--baseline", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="基线文件（默认：数据目录旁的 .perfgoals-baseline.json，存在时自动使用）")
@click.option("--since", metavar="REV", help="只报告与 git 版本 REV 相比新出现的问题（含义同 diff --rev：REV 与 HEAD 的"
                                             "共同祖先；A..B、A...B 亦可）；已修复的计数")
@click.option("--write-baseline", is_flag=True, help="把当前全部问题写入基线，之后只报告新问题")
@click.option("--no-baseline", is_flag=True, help="不使用基线，报告全部问题")
@click.option("--no-cache", is_flag=True, help="不使用缓存（缓存在用户的缓存目录中，如 ~/.cache/perfgoals，可随时删除）")
@click.option("--color/--no-color", "colour", default=None,
              help="是否用颜色（默认：终端上用；环境变量 NO_COLOR 关闭、FORCE_COLOR 打开）")
@jobs_option
def lint(paths: tuple[Path, ...], data_dir: Path | None, year: int | None, unit: str | None, fmt: str | None,
         output: Path | None, quiet: bool, statistics: bool, strict: bool, exit_zero: bool,
         select: tuple[str, ...], ignore_rules: tuple[str, ...], config: Path | None, baseline: Path | None,
         since: str | None, write_baseline: bool, no_baseline: bool, no_cache: bool, colour: bool | None,
         jobs: int | None) -> None:
    """检查绩效目标表：格式、算术、目标与指标的质量。

    不给 PATHS 时检查数据目录下的全部项目。

    \b
    退出码：0 无错误；1 发现错误（加 --strict 时警告也算）；2 参数错误或输入无法读取。
    """
    _run("lint", **locals())


@cli.command(context_settings=CONTEXT)
@click.argument("rule_id", required=False, metavar="[规则]")
def rules(rule_id: str | None) -> None:
    """列出全部检查规则；给出规则名时显示其完整说明（检查什么、依据、正反例）。"""
    _run("rules", **locals())


# -- fmt -----------------------------------------------------------------------------------

@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[路径]...")
@data_option
@click.option("--check", is_flag=True, help="只检查不写入：有文件需要格式化时以退出码 1 结束并列出文件")
@click.option("--diff", "show_diff", is_flag=True, help="只显示将要做的改动（统一 diff 格式），不写入")
@click.option("--no-cache", is_flag=True, help="不使用缓存（已知规范的文件内容记在用户的缓存目录中，如 ~/.cache/perfgoals）")
@jobs_option
def fmt(paths: tuple[Path, ...], data_dir: Path | None, check: bool, show_diff: bool, no_cache: bool,
        jobs: int | None) -> None:
    """把项目文件改写为规范格式（键的顺序、缩进、引号），保留注释，绝不改变数据。

    写入是原子的：先写临时文件并核对数据未变，再替换原文件。
    """
    _run("fmt", **locals())


# -- import --------------------------------------------------------------------------------

@cli.command("import", context_settings=CONTEXT)
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False), metavar="源文件")
@year_option(help="表格年度（写入 data/<年度>/；默认取表上的年度）")
@click.option("--data", "data_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              metavar="DIR", help="写入的数据目录（默认：当前目录或上级目录中的 data/；给出的目录不存在时新建）")
@click.option("--out", "out_alias", type=click.Path(path_type=Path, file_okay=False), hidden=True)
@click.option("--force", is_flag=True, help="覆盖已存在的项目文件；表上年度与 --year 不符时也照样导入")
@click.option("--kind", type=cli_zh.Registry("perfgoals.importers:IMPORTERS", first=("auto",)), default="auto",
              help="源文件类型（默认按文件内容判断：PDF、Excel 工作簿或 PDF 提取的文本）")
def import_(source: Path, year: int | None, data_dir: Path | None, out_alias: Path | None, force: bool,
            kind: str) -> None:
    """把 PDF 提取的表格文本、官方表式的 Excel 工作簿或有文字层的 PDF 导入为每个项目一个 YAML 文件。

    原表的错误（算错的合计、奇怪的日期、抄来的指标）原样保留，交给 lint 发现；
    提取造成的错位、断字、占位行会被修复，有歧义之处会在 YAML 注释中说明所作的选择。
    全部文件先写入临时文件，全部成功后才一起放到位：中途出错时数据目录保持原样。
    """
    _run("import_", **locals())


# -- summary -------------------------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@data_option
@year_option(help="年度（默认：数据中最新的年度）")
@click.option("--by", "by", multiple=True, default=("unit",), show_default=True,
              type=cli_zh.Registry("perfgoals.summary:BY_CHOICES"),
              help="分组：unit 实施单位、category 项目类别、department 主管部门、nature 项目性质、"
                   "indicator-level 按一级/二级指标统计指标数；给两个 --by 得到交叉表")
@unit_option("只统计该单位（文件夹名或实施单位全称）")
@click.option("--department", metavar="NAME", help="只统计该主管部门")
@click.option("--category", metavar="NAME", help="只统计该项目类别（如 经常性项目；未勾选的写 （未勾选））")
@money_unit_option("金额单位")
@format_option("perfgoals.report:FORMATS", last=("xlsx",),
              help="输出格式（默认 text；用 -o 时按扩展名）；csv 带 BOM 供 Excel 直接打开；xlsx 含占比图")
@output_option("写入文件，格式按扩展名（.xlsx .csv .json .md .txt）；- 为标准输出")
def summary(data_dir: Path | None, year: int | None, by: tuple[str, ...], unit: str | None,
            department: str | None, category: str | None, money_unit: str, fmt: str | None,
            output: Path | None) -> None:
    """汇总资金：按实施单位、项目类别、主管部门统计项目数与各项金额（精确到分），及占比。"""
    _run("summary", **locals())


# -- diff ----------------------------------------------------------------------------------


REV_HELP = ("git 修订版本，含义同 git：REV 比较 REV 与 HEAD 的共同祖先和工作区（合并请求改了什么）；"
            "A..B 比较 A 与 B；A...B 比较 A 与 B 的共同祖先和 B")


@cli.command("diff", context_settings=CONTEXT)
@click.argument("years", nargs=-1, type=cli_zh.Year(), metavar="[旧年度 新年度]")
@click.option("--rev", metavar="REV", help=REV_HELP)
@data_option
@click.option("--year", "only_year", type=cli_zh.Year(), metavar="YEAR", help="与 --rev 一起用时只比较该年度")
@format_option("perfgoals.diffreport:FORMATS",
              help="输出格式（默认 text；用 -o 写入 .md/.json 文件时按扩展名）；markdown 可直接贴作合并请求评论")
@output_option("写入文件（.txt .md .json）；- 为标准输出")
@money_unit_option()
@click.option("--exit-code", is_flag=True, help="有变化时以退出码 1 结束（供脚本判断）")
@jobs_option
def diff_(years: tuple[int, ...], rev: str | None, data_dir: Path | None, only_year: int | None, fmt: str | None,
          output: Path | None, money_unit: str, exit_code: bool, jobs: int | None) -> None:
    """对比两个年度（perfgoals diff 2023 2024）或两个 git 版本（perfgoals diff --rev main）的绩效目标表。

    报告新增、取消、改名的项目（整个单位文件夹改名算一次改名），资金变化，表头与目标文字的改动，
    指标的增删、移动和指标值变化，并标出降低的目标（≥95% → ≥90%、12次 → 10次、每月 → 每季度、期限推后、≥ 改为 ≤）。
    """
    _run("diff", **locals())


@cli.command(context_settings=CONTEXT)
@click.option("--rev", required=True, metavar="REV", help=REV_HELP + "（如合并请求的目标分支 origin/main）")
@data_option
@year_option()
@unit_option()
@format_option("perfgoals.reviewreport:FORMATS",
              help="输出格式（默认 text；用 -o 写入 .md/.json 文件时按扩展名）；markdown 可直接作合并请求评论")
@output_option("写入文件（.md .txt .json）；- 为标准输出")
@config_option()
@money_unit_option()
@click.option("--trust-config", is_flag=True,
              help="被本次修改的检查配置或新加的忽略注释隐藏的错误不计入退出码（配置改动另行审核的仓库用）")
@jobs_option
def review(rev: str, data_dir: Path | None, year: int | None, unit: str | None, fmt: str | None,
           output: Path | None, config: Path | None, money_unit: str, trust_config: bool, jobs: int | None) -> None:
    """合并请求审核：一份报告说清这次改动做了什么。

    \b
    依次列出：本次对检查配置的修改（关闭的规则、新加的忽略注释、基线）及被它们隐藏的问题、
    新出现的检查问题（错误在前；与基准版本都有的旧问题不列）、降低的目标、各项目的变化
    （资金增加而目标降低的项目特别标出）、新增/取消/改名的项目、各单位资金合计。
    退出码：0 没有新错误；1 有新错误（或被本次配置隐藏的错误，除非 --trust-config）；2 参数错误或 git 历史不全。
    """
    _run("review", **locals())


# -- render --------------------------------------------------------------------------------



@cli.command(context_settings=CONTEXT)
@format_option("perfgoals.render:RENDERERS", default="html",
              help="html：网页（可在浏览器中打印为 A4）；xlsx：Excel 工作簿（每个项目一个工作表，另有汇总表）；"
                   "pdf：可打印、可公开的 PDF（另需在仓库根目录 pip install -e '.[pdf]' 及系统的 Pango 库，见 README）")
@unit_option("只生成该单位（文件夹名或实施单位全称）")
@click.option("--project", "project_name", metavar="NAME", help="只生成该项目（项目名称）")
@click.option("--all", "everything", is_flag=True, help="生成全部单位（不指定 --unit/--project 时的默认做法）")
@year_option(help="年度（默认：数据中有项目的最新年度）")
@output_option("输出目录（默认：data/ 旁的 out/，即仓库根目录下的 out/，无论在哪个目录运行）", "DIR", folder=True)
@click.option("--templates", "templates_dir", type=click.Path(path_type=Path, file_okay=False), metavar="DIR",
              help="自定义模板目录：其中的同名文件替换自带模板（project.html、unit.html、index.html、form.html、"
                   "print.html、base.html、style.css）")
@click.option("--official/--no-official", default=None,
              help="按纸质表的写法：三级指标前写“指标1：”，日期写作 2024.01.01，不列出没有指标的二级指标空行"
                   "（三种格式都默认如此；--no-official 不写“指标1：”、日期写作 2024-01-01 并列出空行）")
@click.option("--blank-slots/--no-blank-slots", default=None,
              help="是否像空白表那样列出没有指标的二级指标行（默认：--official 时否，否则是）")
@click.option("--自评", "--self-eval", "self_eval", is_flag=True,
              help="生成年终绩效自评表（*.自评.yaml）而不是目标表：每个单位一个网页文件夹、工作簿或 PDF")
@click.option("--监控", "--monitor", "monitor", is_flag=True, help="生成年中绩效监控表（*.监控.yaml），做法同 --自评")
@data_option
@jobs_option
def render(fmt: str, unit: str | None, project_name: str | None, everything: bool, year: int | None,
           output: Path | None, templates_dir: Path | None, official: bool | None, blank_slots: bool | None,
           self_eval: bool, monitor: bool, data_dir: Path | None, jobs: int | None) -> None:
    """生成官方表式的绩效目标表：HTML 网页、Excel 工作簿或 PDF。

    \b
    PDF：--project 一个项目一个文件；--unit 一个单位的全部表格一个文件；
    不加时生成全年度一个文件（封面、按单位的目录及页码、汇总表，然后是每一张表）。
    加 --自评 / --监控 时生成年终绩效自评表 / 年中绩效监控表，Excel 可再用 perfgoals import 导入。
    """
    _run("render", **locals())


# -- monitor -------------------------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[路径]...")
@data_option
@year_option()
@unit_option()
@format_option("perfgoals.monitor.report:FORMATS", last=("xlsx",),
               help="输出格式（默认 text；用 -o 写文件时按扩展名）")
@output_option("写入文件（.txt .json .csv .md .xlsx）；- 为标准输出")
@config_option("配置文件（默认：就近的 .perfgoals.yaml；其中 monitor: 一节可调整预警线 红、黄 和监控月份）")
def monitor(paths: tuple[Path, ...], data_dir: Path | None, year: int | None, unit: str | None, fmt: str | None,
            output: Path | None, config: Path | None) -> None:
    """年中绩效运行监控（*.监控.yaml）：预算执行进度与绩效目标实现程度（“双监控”），按预警由重到轻列出。

    \b
    序时进度 = N ÷ 12（1-N月）；执行率 = 执行数 ÷ 全年预算数；进度比 = 执行率 ÷ 序时进度。
    预警：红 进度比低于 60%，黄 60%–80%，绿 80% 及以上；预算为 0 或空白时为“无法计算”。
    可能无法完成的指标：全年预计完成情况达不到年度指标值，或完成目标可能性为 有可能 / 完全不可能。
    另列各单位的红黄绿个数与落后于序时进度的资金。
    """
    _run("monitor", **locals())


# -- score ---------------------------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[路径]...")
@data_option
@year_option()
@unit_option()
@format_option("perfgoals.scorereport:FORMATS", last=("xlsx",),
              help="输出格式（默认 text；用 -o 写文件时按扩展名）")
@output_option("写入文件（.txt .json .csv .xlsx）；- 为标准输出")
@config_option("配置文件（默认：就近的 .perfgoals.yaml；其中 score: 一节可调整档次、用词和等级）")
def score(paths: tuple[Path, ...], data_dir: Path | None, year: int | None, unit: str | None, fmt: str | None,
          output: Path | None, config: Path | None) -> None:
    """按财预〔2020〕10号的方法为年终绩效自评表（*.自评.yaml）计分，与表上所填的分数对照。

    \b
    执行率 = 全年执行数 ÷ 全年预算数；预算得分 = 执行率 × 分值（不超过分值）。
    定量指标：≥ 类实际 ÷ 目标 × 分值；≤ 类超过目标后线性递减，到目标的 2 倍为 0；期限指标按期完成得满分。
    定性指标按档次：达成 80–100%、部分达成 60–80%、未达成 0–60% 的分值。
    总分 = 预算得分 + 各指标得分；等级：优 ≥ 90，良 80–89，中 60–79，差 < 60。
    表上分数与计算不符、“自评打高分”等问题由 perfgoals lint 报告（selfeval-… 规则）。
    """
    _run("score", **locals())


# -- export --------------------------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[路径]...")
@data_option
@click.option("--year", type=cli_zh.Year(), metavar="YEAR", help="只导出该年度（默认：全部年度）")
@unit_option("只导出该单位（文件夹名或实施单位全称）")
@format_option("perfgoals.export:SINKS",
              help="csv（文件夹，内含 项目.csv 与 指标.csv）、sqlite（一个文件，表 项目 与 指标）或 parquet（文件夹）；"
                   "默认按 -o 的扩展名（.sqlite/.db 为 sqlite），否则为 csv")
@click.option("-o", "--output", "out", type=click.Path(path_type=Path), metavar="PATH",
              help="写到哪里（必填）：sqlite 为文件，csv 与 parquet 为文件夹")
def export(paths: tuple[Path, ...], data_dir: Path | None, year: int | None, unit: str | None, fmt: str | None,
           out: Path | None) -> None:
    """导出全部项目与指标，供 DuckDB、pandas、Excel 透视表或 BI 工具分析（逐个项目读写，内存不随数据量增长）。

    \b
    表“项目”：每个项目一行（表头、两栏资金、目标、指标数）；
    表“指标”：每个三级指标一行（所属项目、一级/二级指标、序号、名称、年度指标值及其比较符、数值、计量单位）。
    金额既有表上原样的文字，也有以“分”为单位的整数列（…_分，万元已换算），求和精确。
    """
    _run("export", **locals())


# -- new / schema --------------------------------------------------------------------------

@cli.command(context_settings=CONTEXT)
@click.argument("name", metavar="项目名称")
@year_option(required=True, help="年度（四位数字，如 2025）")
@unit_option(required=True,
             help="单位：文件夹名（如 妇联）或 data/units.yaml 中的实施单位全称（如 共青团浦江镇委员会）")
@click.option("--new-unit", is_flag=True, help="--unit 是一个新单位：新建其文件夹并记入 data/units.yaml")
@click.option("--department", metavar="NAME", help="主管部门（如 浦江镇人民政府）")
@click.option("--form", type=cli_zh.Registry("perfgoals.forms:NEW_CHOICES"), default="town2024", show_default=True,
              help="表式：town2024（即 2024：镇的绩效目标表，成本指标属产出指标）、shenbao101（即 101：申报表，"
                   "成本指标为一级指标）、national88（即 88：财预〔2015〕88号申报表，长期/年度指标）、province2021"
                   "（即 2021：带绩效标准列的省级目标表）；perfgoals forms 列出全部表式")
@click.option("--自评", "--self-eval", "self_eval", is_flag=True,
              help="为已有的项目新建年终绩效自评表（<项目文件>.自评.yaml），由其目标表预填指标和年初预算数")
@click.option("--监控", "--monitor", "monitor", is_flag=True,
              help="为已有的项目新建年中绩效监控表（<项目文件>.监控.yaml），由其目标表预填指标和预算数")
@click.option("--period", metavar="1-N月", help="--监控 的监控期间（默认 1-6月）")
@data_option
def new(name: str, year: int, unit: str, new_unit: bool, department: str | None, form: str, self_eval: bool,
        monitor: bool, period: str | None, data_dir: Path | None) -> None:
    """新建一张空白绩效目标表：表上每个一级、二级指标都留有空行，直接在编辑器中填写。

    单位必须是已有的单位（文件夹名或实施单位全称，写错时提示相近的单位）；新单位请加 --new-unit。
    加 --自评 时为已有项目新建年终自评表，放在目标表旁边。
    """
    _run("new", **locals())


@cli.command(context_settings=CONTEXT)
def forms() -> None:
    """列出本工具认识的全部官方表式：表式编号、标题、用于何处、示例文件。"""
    _run("forms")


@cli.command(context_settings=CONTEXT)
@click.option("--自评", "--self-eval", "self_eval", is_flag=True, help="输出自评表（*.自评.yaml）的 JSON Schema")
@click.option("--form", type=cli_zh.Registry("perfgoals.forms:NEW_CHOICES"), default=None,
              help="输出该表式的 JSON Schema（表式编号见 perfgoals forms；不写为上海的两种目标表）")
def schema(self_eval: bool, form: str | None) -> None:
    """输出项目文件的 JSON Schema（供 VS Code 等编辑器自动补全与校验）。"""
    _run("schema", **locals())


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: Chinese messages and documented exit codes, never a traceback."""
    try:
        # not standalone: click would turn Ctrl-C into "Aborted!" and exit code 1
        code = cli.main(args=argv, prog_name="perfgoals", standalone_mode=False)
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo("已中止（Ctrl-C），未完成的文件没有写入", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except BrokenPipeError:
        sys.exit(EXIT_OK)
    except OSError as e:
        click.echo(f"错误：{os_message(e)}", err=True)
        sys.exit(EXIT_INPUT)
    except Exception as e:  # a bug: say so plainly, in Chinese, with what to report
        click.echo(f"内部错误（请把以下信息报告给维护者）：{type(e).__name__}: {e}", err=True)
        sys.exit(EXIT_BUG)
    sys.exit(code if isinstance(code, int) else EXIT_OK)
