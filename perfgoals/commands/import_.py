"""`perfgoals import`: 把 PDF 提取的表格文本、官方表式的 Excel 工作簿或有文字层的 PDF 导入为每个项目一个 YAML 文件。"""

from __future__ import annotations

from pathlib import Path

import click

from ..atomic import write_all
from .common import EXIT_FOUND, EXIT_INPUT, EXIT_OK, fail, note, progress_bar, resolve_data


def run(source: Path, year: int | None, data_dir: Path | None, out_alias: Path | None, force: bool, kind: str) -> int:
    from .. import importing, units

    data_dir = data_dir or out_alias  # --out: the older spelling of --data
    if not source.is_file():
        fail(f"源文件不存在：{source}")
    data = resolve_data(data_dir, create=True)
    with progress_bar(0, f"读取 {source.name}"):  # a year's PDF takes some 20 s
        imported, failures = importing.read(source.read_bytes(), source.name, kind, year)
    for fl in failures:
        where = f"{source}:{fl.line}" if fl.line else str(source)
        table = f"第 {fl.index} 张表" if fl.index else "源文件"
        click.echo(f"{where}: 错误 {table}无法导入：{fl.message}", err=True)
    if not imported:
        return EXIT_INPUT
    years = sorted({i.project.year for i in imported if i.project.year is not None})
    target_year = year or (years[0] if len(years) == 1 else None)
    if target_year is None:
        fail(
            "无法确定年度：表上"
            + (f"有多个年度（{'、'.join(map(str, years))}）" if years else "没有年度")
            + "，请用 --year 指定"
        )
    mismatch = importing.other_years(imported, target_year)
    if mismatch:
        shown = "、".join(f"{y} 年度 {n} 张" for y, n in sorted(mismatch.items()))
        if not force:
            fail(
                f"表上的年度（{shown}）与 --year {target_year} 不符，未做任何写入；确认要放入 {target_year} 年度"
                f"请加 --force（文件中的“年度”仍按表上填写，lint 会报告 year-folder）"
            )
        note(f"警告：表上的年度（{shown}）与 --year {target_year} 不符，按 --force 仍写入 {target_year} 年度")
    registry = units.load(data)
    files, new_registry = importing.plan(imported, target_year, registry)
    existing = [f for f in files if (data / f.path).exists()]
    if existing and not force:
        shown = "\n  ".join(str(data / f.path) for f in existing[:10])
        more = f"\n  ……共 {len(existing)} 个" if len(existing) > 10 else ""
        click.echo(f"错误：以下文件已存在，未做任何写入（用 --force 覆盖）：\n  {shown}{more}", err=True)
        return EXIT_FOUND  # an import problem (README: exit 1), not a mistyped argument
    write_all(data, {**{f.path: f.text for f in files}, units.UNITS_FILE: units.text(new_registry, data)})
    from collections import Counter

    from ..forms import file_kind
    from ..forms.base import KIND_WORDS

    warned = [w for item in imported for w in item.warnings]
    for warning in warned:
        click.echo(f"警告 {warning}", err=True)
    kinds = Counter(file_kind(f.path) for f in files)
    what = "、".join(f"{n} 个项目" if kind == "target" else f"{n} 张{KIND_WORDS[kind]}"
                    for kind, n in sorted(kinds.items(), key=lambda kn: list(KIND_WORDS).index(kn[0])))
    touched = len({Path(f.path).parts[1] for f in files if len(Path(f.path).parts) > 2})
    click.echo(
        f"已导入 {what}到 {data / str(target_year)}（{touched} 个单位，"
        f"单位对照见 {data / units.UNITS_FILE}）"
        + (f"；{len(failures)} 张表无法导入" if failures else "")
        + (f"；{len(warned)} 处未能照原样读入，见上方警告" if warned else "")
    )
    return EXIT_FOUND if failures or warned else EXIT_OK
