"""Outputs go where outputs belong (issue 24, part 2): ``-o`` everywhere, ``-o -`` for standard
output, ``out/`` beside ``data/`` by default, and a path that is not a regular file is never
replaced: a device or FIFO is written through, a link's target written, a folder refused."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from perfgoals import atomic

from .conftest import ROOT

WOMEN = Path("data") / "2024" / "妇联"


def char_device(folder: Path) -> Path:
    """A character device like /dev/null made in ``folder`` (root may; otherwise /dev/null itself,
    which a non-root process could not replace either)."""
    path = folder / "null"
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        return Path("/dev/null")
    return path


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFO 仅在类 Unix 系统上存在")
@pytest.mark.parametrize("command", [("summary",), ("lint", "--exit-zero"), ("diff", "2024", "2024"),
                                     ("review", "--rev", "HEAD")])
def test_a_fifo_gets_the_output_and_stays_a_fifo(run, workdir, tmp_path, command):
    if command[0] == "review":
        subprocess.run(["git", "init", "-q"], cwd=workdir, check=True)
        subprocess.run(["git", "add", "-A"], cwd=workdir, check=True)
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "a"], cwd=workdir,
                       check=True)
    fifo = tmp_path / "管道"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    result = run(*command, "-o", str(fifo))
    reader.join(timeout=60)
    assert result.exit_code in (0, 1), result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert got and got[0].strip(), "the reader got nothing"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_character_device_is_written_through_never_replaced(run, tmp_path):
    device = char_device(tmp_path)
    before = os.lstat(device)
    for args in (("summary",), ("summary", "--format", "csv"), ("lint", "--exit-zero"), ("diff", "2024", "2024")):
        result = run(*args, "-o", str(device))
        assert result.exit_code == 0, (args, result.output)
        after = os.lstat(device)
        assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino and after.st_rdev == before.st_rdev
    assert [p.name for p in tmp_path.iterdir()] == ([device.name] if device.parent == tmp_path else [])


def test_write_atomic_writes_a_device_through_and_keeps_a_link(tmp_path):
    device = char_device(tmp_path)
    atomic.write_atomic(device, "任何内容")
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    real = tmp_path / "真的.txt"
    real.write_text("旧", encoding="utf-8")
    link = tmp_path / "链接.txt"
    link.symlink_to(real.name)
    atomic.write_atomic(link, "新")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "新"


def test_a_folder_as_output_file_is_refused_before_any_work(run, workdir):
    (workdir / "结果").mkdir()
    result = run("summary", "-o", "结果")
    assert result.exit_code == 2 and "文件夹" in result.output and "结果" in result.output
    assert (workdir / "结果").is_dir() and not list((workdir / "结果").iterdir())


def test_dash_writes_to_standard_output(run, workdir):
    csv = run("summary", "-o", "-", "--format", "csv")
    assert csv.exit_code == 0 and "实施单位" in csv.stdout and "已写入" not in csv.output
    assert not (workdir / "-").exists()
    lint = run("lint", "-o", "-", "--format", "json")
    assert lint.exit_code == 1 and lint.stdout.lstrip().startswith("{")
    diff = run("diff", "2024", "2024", "-o", "-")
    assert diff.exit_code == 0 and not (workdir / "-").exists()
    export = run("export", "-o", "-")
    assert export.exit_code == 2 and "标准输出" in export.output


def test_one_spelling_for_output_and_the_old_ones_still_work(run, workdir, tmp_path):
    for command in ("lint", "summary", "diff", "review", "score", "export", "render"):
        text = run(command, "--help").output
        assert "-o, --output" in text, command
        assert "--out " not in text and "--out\n" not in text, command
    assert run("summary", "--out", "旧写法.csv").exit_code == 0 and (workdir / "旧写法.csv").is_file()
    assert run("render", "--unit", "妇联", "--out", "旧目录").exit_code == 0 and (workdir / "旧目录" / "2024").is_dir()
    imported = run("import", str(workdir / "data" / "sources" / "浦江镇2024年绩效目标表.txt"), "--out",
                   str(tmp_path / "新数据"))
    assert imported.exit_code == 0 and (tmp_path / "新数据" / "2024").is_dir()
    assert "--out" not in run("import", "--help").output
    assert run("diff", "2024", "2024", "-o", "对比.md").exit_code == 0
    assert (workdir / "对比.md").read_text(encoding="utf-8").startswith("#")


def test_render_writes_out_beside_data_wherever_it_is_started(run, workdir):
    inside = workdir / WOMEN
    result = run("render", "--unit", "妇联", cwd=inside)
    assert result.exit_code == 0, result.output
    assert (workdir / "out" / "2024" / "妇联").is_dir()
    assert not (inside / "out").exists()
    assert str(workdir / "out") in result.output


def test_the_wheel_test_runs_every_command_that_writes():
    """Guard: the installed-wheel test names each command of the CLI (a new one cannot be missed)."""
    from perfgoals.cli import cli
    text = (ROOT / "tests" / "test_packaging.py").read_text(encoding="utf-8")
    for name in cli.commands:
        if name != "import" and name != "review":  # import needs a source, review a git history
            assert f'("{name}"' in text, name
    assert shutil.which("git") or sys.platform == "win32"
