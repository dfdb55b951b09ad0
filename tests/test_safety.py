"""No input can hurt: fuzzed and hostile files, output safety, atomic writes, concurrent runs."""

from __future__ import annotations

import dataclasses
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfgoals import fmt, loader, yamlio
from perfgoals.workspace import project_files

from .conftest import CLEAN, DATA, ROOT
from .strategies import generated

REAL = sorted(DATA.glob("2024/*/*.yaml"))


def data_of(p):
    return dataclasses.replace(p, path="", positions={}, suppressions={})


# -- fuzz ----------------------------------------------------------------------------------------

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated())
def test_generated_projects_round_trip_through_yaml_and_fmt(project):
    text = yamlio.project_text(project)
    back, problems = loader.load_text(text, "g.yaml")
    assert problems == [] and data_of(back) == project
    result = fmt.format_text(text, "g.yaml")
    assert result.problem is None and result.new == text  # what we write is already canonical


_JUNK = st.sampled_from([":", "-", "[", "]", "{", "}", "&a", "*a", "!!", "\t", "\x00", "\"", "'", "#", "|", ">",
                         "\n", "  ", "%", "@", "`", "？", "：", "\ufeff", "\r"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(REAL), st.data())
def test_mutated_and_truncated_files_never_raise(path, data):
    raw = path.read_bytes()
    kind = data.draw(st.sampled_from(["truncate", "insert", "flip", "delete-line"]))
    if kind == "truncate":
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    elif kind == "insert":
        at = data.draw(st.integers(0, len(raw)))
        raw = raw[:at] + data.draw(_JUNK).encode() + raw[at:]
    elif kind == "flip":
        at = data.draw(st.integers(0, len(raw) - 1))
        raw = raw[:at] + bytes([raw[at] ^ data.draw(st.integers(1, 255))]) + raw[at + 1:]
    else:
        lines = raw.split(b"\n")
        del lines[data.draw(st.integers(0, len(lines) - 1))]
        raw = b"\n".join(lines)
    project, problems = loader.load_bytes(raw, "m.yaml")  # must not raise
    assert project is not None or problems
    for p in problems:
        assert p.line >= 1 and p.message and p.rule in ("syntax", "schema")
    if project is not None and not problems:
        from perfgoals.lint import lint_sources
        from perfgoals.lint.config import default
        from perfgoals.lint.engine import Source
        lint_sources([Source(project, 2024, "x")], default())  # rules cope with whatever loads


# -- hostile files ---------------------------------------------------------------------------------

def lint_one(run, tmp_path: Path, name: str, data: bytes):
    target = tmp_path / "data" / "2024" / "单位" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    start = time.monotonic()
    result = run("lint", "--format", "json", "--no-cache", cwd=tmp_path)
    return result, time.monotonic() - start


def _billion_laughs() -> bytes:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for prev, cur in zip("abcdefgh", "bcdefghi"):
        refs = ", ".join(["*" + prev] * 9)
        lines.append(f"{cur}: &{cur} [{refs}]")
    return ("\n".join(lines) + "\n").encode()


HOSTILE = {
    "billion-laughs.yaml": (_billion_laughs(), "锚点与别名"),
    "deep-flow.yaml": (b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n", "嵌套"),
    "deep-block.yaml": ("".join("  " * i + "- \n" for i in range(300)).encode(), "嵌套"),
    "binary.yaml": (bytes(range(256)) * 8, "NUL"),
    "invalid-utf8.yaml": ("项目名称: 测试\n".encode() + b"\xff\xfe\xfa" + b"\n", "UTF-8"),
    "gbk.yaml": ("项目名称: 测试项目\n主管部门: 浦江镇人民政府\n".encode("gbk"), "GBK"),
    "tabs.yaml": ("项目名称: 测试\n绩效目标:\n\t项目总目标: x\n".encode(), "Tab"),
    "python-object.yaml": (b"a: !!python/object/apply:os.system ['echo pwned']\n", "不支持的 YAML 标签"),
    "duplicate.yaml": ("项目名称: a\n项目名称: b\n".encode(), "重复的键"),
    "multi-doc.yaml": ("项目名称: a\n---\n项目名称: b\n".encode(), "只能有一个 YAML 文档"),
    "list.yaml": (b"- 1\n- 2\n", "映射"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_gives_a_clear_message(run, tmp_path, name):
    data, needle = HOSTILE[name]
    result, _elapsed = lint_one(run, tmp_path, name, data)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    import json
    body = json.loads(result.stdout)
    [problem] = [p for p in body["problems"] if p["rule"] in ("syntax", "schema")][:1]
    assert needle in problem["message"], problem


def test_hundred_megabyte_file_is_refused_without_reading_it(run, tmp_path):
    target = tmp_path / "data" / "2024" / "单位" / "huge.yaml"
    target.parent.mkdir(parents=True)
    with open(target, "wb") as fh:
        fh.truncate(100 * 1024 * 1024)  # sparse: 100 MB on paper
        fh.seek(0)
        fh.write(b"a: b\n")
    result = run("lint", "--format", "json", "--no-cache", cwd=tmp_path)
    assert "文件过大" in result.output


def test_bom_crlf_file_loads(run, tmp_path):
    data = b"\xef\xbb\xbf" + CLEAN.read_bytes().replace(b"\n", b"\r\n")
    result, _ = lint_one(run, tmp_path, "windows.yaml", data)
    assert result.exit_code == 0


def test_symlink_out_of_data_is_not_followed(run, tmp_path):
    secret = tmp_path / "outside" / "secret.yaml"
    secret.parent.mkdir()
    secret.write_text("项目名称: 机密\n", encoding="utf-8")
    unit = tmp_path / "data" / "2024" / "单位"
    unit.mkdir(parents=True)
    (unit / "a.yaml").write_bytes(CLEAN.read_bytes())
    os.symlink(secret, unit / "link.yaml")
    os.symlink(tmp_path / "outside", unit / "linkdir")
    files = project_files([tmp_path / "data"], tmp_path / "data")
    assert [f.path.name for f in files] == ["a.yaml"]
    assert "机密" not in run("lint", cwd=tmp_path).output


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.sampled_from(["单位", "单位-2", "单位 2", "单位.1", "a", "a-b", "a0", "A", "妇联"]),
                      min_size=1, max_size=6, unique=True),
       files=st.lists(st.sampled_from(["x.yaml", "x-1.yaml", "x.自评.yaml", "y.yml", "中.yaml", "units.yaml", "z.txt"]),
                      min_size=1, max_size=4, unique=True))
def test_a_listing_comes_in_path_order_and_gives_back_both_paths(tmp_path_factory, names, files):
    """The walk yields files in the order of their path strings without a sort (a folder sorts as
    "name/"), and a file keeps its path on disk and its shown path although it stores one tail."""
    root = tmp_path_factory.mktemp("listing") / "data"
    for unit in names:
        for name in files:
            (root / "2024" / unit).mkdir(parents=True, exist_ok=True)
            (root / "2024" / unit / name).write_text("x", encoding="utf-8")
    (root / "2024" / names[0] / "nested").mkdir()
    (root / "2024" / names[0] / "nested" / "深.yaml").write_text("x", encoding="utf-8")
    os.symlink(root / "2024", root / "2024" / names[0] / "loop")  # a link back up is walked once
    listed = project_files([root], root, kind="all")
    shown = [f.shown for f in listed]
    assert shown == sorted(shown) and len(set(shown)) == len(shown)
    expected = sorted(str(p) for p in root.rglob("*") if p.suffix.lower() in (".yaml", ".yml")
                      and p != root / "units.yaml" and "loop" not in p.parts)  # only data/units.yaml is special
    assert sorted(f.raw for f in listed) == expected  # nothing through the loop
    assert all(f.path == Path(f.raw) and f.raw.endswith(f.shown.split("/", 1)[-1]) for f in listed)
    assert {f.unit for f in listed} == {Path(e).relative_to(root).parts[1] for e in expected}
    assert {f.year for f in listed} == {2024}
    from perfgoals.workspace import ProjectFile
    for raw, seen in (("/a/b/x.yaml", "b2/x.yaml"), ("x.yaml", "x.yaml"), ("/r/data/y.yaml", "data/y.yaml"), ("/p/q", "z")):
        f = ProjectFile(raw, seen, 2024, "妇联")
        assert (f.raw, f.shown) == (raw, seen)


def test_listing_a_year_unit_by_unit_leaves_no_reference_cycles(workdir):
    """Large runs pause the garbage collector (`runtime.bulk`): a walk that left a reference cycle
    behind (a closure calling itself) kept every walk's memory — 60 MB in a 50,000-project diff."""
    import gc

    from perfgoals.workspace import YearListing

    gc.collect()
    gc.disable()
    try:
        listing = YearListing(workdir / "data", 2024)
        files = [f for unit in listing.units for f in listing.files(unit)]
        project_files([workdir / "data"], workdir / "data")
        assert gc.collect() == 0
    finally:
        gc.enable()
    assert len(files) == 104 and len(listing.units) > 10


def test_import_never_writes_outside_the_output_directory(run, tmp_path):
    source = tmp_path / "evil.txt"
    text = (DATA / "sources" / "浦江镇2024年绩效目标表.txt").read_text(encoding="utf-8").split("\n")[:70]
    text[6] = text[6].replace("政府零星维修", "../../../逃逸")
    text[7] = text[7].replace("浦江镇机关事务管理所", "../../单位")
    source.write_text("\n".join(text), encoding="utf-8")
    out = tmp_path / "out"
    assert run("import", str(source), "--year", "2024", "--out", str(out)).exit_code == 0
    written = [p for p in tmp_path.rglob("*.yaml")]
    assert written and all(out in p.parents for p in written)


def test_windows_reserved_and_dot_names_are_safe(tmp_path):
    from perfgoals.naming import safe_name
    for bad in ("CON", "nul", "aux.yaml", "LPT1", ".git", "..", "a:b", "a|b"):
        name = safe_name(bad)
        assert name and not name.startswith(".") and name.split(".")[0].upper() not in {"CON", "NUL", "AUX", "LPT1"}
        (tmp_path / name).write_text("x", encoding="utf-8")


# -- no lost data ----------------------------------------------------------------------------------

WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from perfgoals.atomic import write_atomic
    target, payload = Path(sys.argv[1]), sys.argv[2]
    print("ready", flush=True)
    i = 0
    while True:
        write_atomic(target, (payload * 200000) + str(i % 2))
        i += 1
""")


def test_killing_a_write_leaves_the_old_or_the_new_file(tmp_path):
    target = tmp_path / "项目.yaml"
    old = "旧" * 200000 + "0"
    target.write_text(old, encoding="utf-8")
    allowed = {old, "新" * 200000 + "0", "新" * 200000 + "1"}
    rng = random.Random(7)
    for _ in range(12):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target), "新"], stdout=subprocess.PIPE,
                                cwd=ROOT)
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0, 0.05))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert target.read_text(encoding="utf-8") in allowed
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != target.name]
    assert all(n.startswith(".") and n.endswith(".tmp") for n in leftovers)  # never a visible half file


def test_two_fmt_runs_at_once_leave_valid_files(tmp_path):
    messy = (ROOT / "tests" / "examples" / "valid" / "妇女儿童维权.yaml").read_text(encoding="utf-8")
    messy = messy.replace("项目名称: 妇女儿童维权\n年度: 2024\n", "年度: 2024\n项目名称: 妇女儿童维权\n")
    for i in range(40):
        target = tmp_path / "data" / "2024" / "单位" / f"p{i:02d}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(messy.replace("妇女儿童维权", f"项目{i}"), encoding="utf-8")
    cmd = [sys.executable, "-m", "perfgoals", "fmt", "--no-cache"]
    procs = [subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(2)]
    assert all(p.wait(timeout=120) in (0, 2) for p in procs)
    for target in (tmp_path / "data").rglob("*.yaml"):
        project, problems = loader.load_file(target)
        assert problems == [] and project.name.startswith("项目")
        assert fmt.format_text(target.read_text(encoding="utf-8")).new == target.read_text(encoding="utf-8")


@pytest.mark.parametrize("text,line,col", [("项目名称: a\x07b\n", 1, 8), ("项目名称: ok\n年度: 2024\n实施单位: x\x01\n", 3, 8)])
def test_control_characters_are_reported_at_their_line(text, line, col):
    _p, [problem] = loader.load_bytes(text.encode(), "c.yaml")
    assert (problem.line, problem.column) == (line, col) and "控制字符" in problem.message


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(REAL), st.data())
def test_syntax_messages_are_chinese(path, data):
    raw = path.read_bytes()
    at = data.draw(st.integers(0, len(raw)))
    raw = raw[:at] + data.draw(st.sampled_from([":", "- ", "[", "{", "&", "* ", "!<", "%", "\x07", "\t", "\""])).encode() + raw[at:]
    _p, problems = loader.load_bytes(raw, "m.yaml")
    for p in problems:
        if p.rule == "syntax":
            import re
            assert not re.search(r"[A-Za-z]{6}", p.message.replace("YAML", "")), p.message


_CONFIG_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=12)
    | st.sampled_from(["off", "error", "goal-vague", "data/**", "default", "1e400", "[", "{", "&a", "*a"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["rules", "ignore", "per-path", "paths", "extends", "goal-vague", "level", "enable", "x"]),
        inner, max_size=3),
    max_leaves=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(config=st.dictionaries(st.sampled_from(["rules", "ignore", "per-path", "extends", "colour"]),
                              _CONFIG_VALUES, max_size=4))
def test_any_config_file_is_exit_0_1_or_2(run, tmp_path, config):
    import json as _json
    root = tmp_path / "cfg"
    (root / "data" / "2024" / "妇联").mkdir(parents=True, exist_ok=True)
    shutil.copy(CLEAN, root / "data" / "2024" / "妇联" / CLEAN.name)
    (root / ".perfgoals.yaml").write_text(_json.dumps(config, ensure_ascii=False), encoding="utf-8")
    result = run("lint", cwd=root)
    assert result.exit_code in (0, 1, 2), result.output
    assert "内部错误" not in result.output


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(units=st.lists(st.sampled_from(["单位", "单位-2", "a", "a0", "妇联", "2023"]), min_size=1, max_size=4, unique=True),
       files=st.lists(st.sampled_from(["x.yaml", "x.自评.yaml", "y.yml", "z.txt"]), min_size=0, max_size=3, unique=True),
       top=st.lists(st.sampled_from(["t.yaml", "t.自评.yaml"]), max_size=2, unique=True),
       kind=st.sampled_from(["target", "selfeval", "all"]))
def test_a_year_listed_unit_by_unit_is_the_year_listed_at_once(tmp_path_factory, units, files, top, kind):
    """diff lists a year a unit at a time (`YearListing`): the units it finds and their files, one
    after another, are exactly what `project_files` lists for the year, links and stray files included."""
    from perfgoals.workspace import YearListing

    root = tmp_path_factory.mktemp("year") / "data"
    year = root / "2024"
    for unit in units:
        (year / unit).mkdir(parents=True)
        for name in files:
            (year / unit / name).write_text("x", encoding="utf-8")
    for name in top:
        (year / name).write_text("x", encoding="utf-8")
    (year / units[0] / "sub").mkdir()
    (year / units[0] / "sub" / "深.yaml").write_text("x", encoding="utf-8")
    os.symlink(year / units[0], year / "链接单位")  # a unit folder that is a link inside the year
    (root / "outside").mkdir()
    (root / "outside" / "o.yaml").write_text("x", encoding="utf-8")
    os.symlink(root / "outside", year / "外部")  # a link out of the year is never listed
    whole = project_files([year], root, year=2024, kind=kind)
    listing = YearListing(root, 2024, kind)
    assert set(listing.units) == {f.unit or "" for f in whole}
    for unit in listing.units:
        assert ([(f.raw, f.shown, f.year, f.unit) for f in listing.files(unit)]
                == [(f.raw, f.shown, f.year, f.unit) for f in whole if (f.unit or "") == unit])


def test_a_relative_output_folder_is_where_the_current_directory_is_now(tmp_path, monkeypatch):
    """The output folder's resolved path is cached: a relative ``--out`` given in one folder must
    not lead a later render, in another folder of the same process, back to the first."""
    from perfgoals.render.common import inside

    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        monkeypatch.chdir(tmp_path / name)
        assert inside(Path("o"), "2024/a.pdf") == (tmp_path / name / "o" / "2024" / "a.pdf").resolve()


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("a中 \t\n\r\x00\x1f\x7f\x85\xa0\u2028\u2029\u3000\ufeff")), max_size=12))
def test_one_line_takes_the_short_way_only_when_nothing_is_replaced(text):
    """`one_line` skips the pattern for printable text: its answer is the pattern's all the same."""
    from perfgoals.textsafe import _CONTROL, one_line

    assert one_line(text) == _CONTROL.sub(" ", text).strip()
