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

from .conftest import CLEAN, ROOT

SOURCES = ("perfgoals", "templates", "setup.cfg", "pyproject.toml", "README.md", "LICENSE", "MANIFEST.in")


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
