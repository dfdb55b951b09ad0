"""The package works however it is installed: built as a wheel and installed into a bare
``--target`` folder (the hardest case: no ``sys.prefix`` data, no repository beside it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import CLEAN, DATA, EXAMPLES, ROOT

SOURCES = ("perfgoals", "templates", "setup.py", "setup.cfg", "pyproject.toml", "README.md", "LICENSE", "MANIFEST.in")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the sources (the checkout itself is never written to)."""
    src = tmp_path_factory.mktemp("src")
    for name in SOURCES:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, src / name)
    out = src / "dist"
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(out), str(src)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "would be ignored" not in done.stderr and "SetuptoolsDeprecationWarning" not in done.stderr
    return next(out.glob("perfgoals-*.whl"))


def test_wheel_holds_templates_presets_and_licence(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in ("base.html", "project.html", "unit.html", "index.html", "style.css"):
        assert f"perfgoals/templates/{template}" in names
    assert any(n.endswith("licenses/LICENSE") for n in names)
    assert not any(n.startswith(("tests/", "data/")) for n in names)


def test_target_install_renders_and_lints(wheel, tmp_path):
    target = tmp_path / "target"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                           str(wheel)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    work = tmp_path / "work"
    (work / "data" / "2024" / "妇联").mkdir(parents=True)
    shutil.copy(CLEAN, work / "data" / "2024" / "妇联" / CLEAN.name)
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = "import perfgoals, sys; print(perfgoals.__file__); from perfgoals.cli import main; main(sys.argv[1:])"
    where = subprocess.run([sys.executable, "-c", code, "render", "--out", "out"], cwd=work, env=env,
                           capture_output=True, text=True)
    assert where.returncode == 0, where.stderr
    assert where.stdout.splitlines()[0].startswith(str(target))  # the installed copy, not the checkout
    page = (work / "out" / "2024" / "妇联" / "妇女儿童维权.html").read_text(encoding="utf-8")
    assert "财政项目支出绩效目标表" in page and "妇女儿童维权" in page
    lint = subprocess.run([sys.executable, "-c", code, "rules"], cwd=work, env=env, capture_output=True, text=True)
    assert lint.returncode == 0 and "funds-total-sum" in lint.stdout


def test_excel_import_needs_no_extra(wheel):
    """The first README command (pip install -e .) must be enough for `perfgoals import 表.xlsx`."""
    with zipfile.ZipFile(wheel) as z:
        meta = z.read(next(n for n in z.namelist() if n.endswith("METADATA"))).decode("utf-8")
    requires = [line for line in meta.splitlines() if line.startswith("Requires-Dist:")]
    assert any(line.startswith("Requires-Dist: openpyxl") and "extra ==" not in line for line in requires)
    assert "Requires-Python: >=3.11" in meta


def test_wheel_holds_every_subpackage(wheel):
    """Every folder of the package with an __init__.py is in the wheel (none listed by hand)."""
    names = set(zipfile.ZipFile(wheel).namelist())
    for init in (ROOT / "perfgoals").rglob("__init__.py"):
        assert f"perfgoals/{init.relative_to(ROOT / 'perfgoals').as_posix()}" in names


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed (not editable). Its dependencies are this test run's
    own (a path line in a .pth file: no network, and no .pth of this environment is run, so the
    checkout's editable install stays out of sight)."""
    import sysconfig
    env = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
                           str(wheel)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return env


def test_every_command_runs_from_a_wheel_in_a_fresh_venv(venv, tmp_path):
    """Each command once, as installed, from a folder that is not the repository."""
    script = venv / ("Scripts/perfgoals.exe" if os.name == "nt" else "bin/perfgoals")
    work = tmp_path / "某镇财政所"
    shutil.copytree(DATA / "2024" / "妇联", work / "data" / "2024" / "妇联")
    shutil.copytree(DATA / "2024" / "妇联", work / "data" / "2025" / "妇联")
    shutil.copy(DATA / "units.yaml", work / "data" / "units.yaml")
    shutil.copy(EXAMPLES / "selfeval" / "社区助老服务补贴.自评.yaml", work / "data" / "2024" / "妇联")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PERFGOALS_CACHE_DIR"] = str(tmp_path / "cache")

    def perfgoals(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(script), *args], cwd=work, env=env, capture_output=True, text=True)

    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import perfgoals; print(perfgoals.__file__)"],
                           cwd=work, env=env, capture_output=True, text=True)
    assert where.stdout.startswith(str(venv)), where  # the installed copy, not the checkout
    expected = {  # command → exit codes that mean it ran (lint finds the clerks' real errors: 1)
        ("lint",): (0, 1), ("fmt", "--check"): (0, 1), ("rules",): (0,), ("schema",): (0,), ("forms",): (0,),
        ("render", "--unit", "妇联"): (0,), ("render", "--unit", "妇联", "--format", "xlsx"): (0,),
        ("summary", "--by", "category"): (0,), ("diff", "2024", "2025"): (0,),
        ("new", "新项目", "--year", "2025", "--unit", "妇联"): (0,), ("score", "--year", "2024"): (0,),
        ("export", "-o", "导出"): (0,),
        ("new", "妇女儿童维权", "--year", "2024", "--unit", "妇联", "--监控", "--period", "1-7月"): (0,),
        ("monitor", "--year", "2024"): (0,), ("render", "--监控", "--format", "xlsx"): (0,),
    }
    for args, codes in expected.items():
        done = perfgoals(*args)
        assert done.returncode in codes, (args, done.returncode, done.stderr[-2000:])
        assert "Traceback" not in done.stderr and "内部错误" not in done.stderr, (args, done.stderr)
    assert (work / "out" / "2025" / "妇联").is_dir() and list((work / "out").rglob("*.xlsx"))
    assert (work / "data" / "2025" / "妇联" / "新项目.yaml").is_file()
    assert (work / "导出" / "指标.csv").is_file()
    assert (work / "out" / "2024" / "妇联-监控.xlsx").is_file()
