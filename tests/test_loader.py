"""The fast read path: YAML 1.2 values, positions, and a clear message for every bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfgoals import loader, yamlio
from perfgoals.loader import load_bytes, load_text

from .conftest import CLEAN, DATA


def one(text: str):
    project, problems = load_text(text, "x.yaml")
    return project, problems


def test_clean_file_loads_exact_money_and_positions(clean_text):
    p, problems = one(clean_text)
    assert problems == []
    assert p.funds.total == Decimal("2.70") and str(p.funds.total) == "2.70"
    assert p.funds.other is None  # blank stays null, never 0
    assert p.annual.carryover == Decimal("0.20")
    assert p.position("项目资金.项目资金总额") == (11, 11)
    assert p.position("绩效指标.产出指标.数量指标[1].年度指标值")[0] == 27
    assert [g.level2 for g in p.groups][:3] == ["数量指标", "质量指标", "时效指标"]


@pytest.mark.parametrize("value,expected", [
    ("1:1", "1:1"),  # YAML 1.1 would read 61
    ("no", "no"),  # YAML 1.1 would read False
    ("010", "010"),  # text fields keep the text as written
    ("0x1F", "0x1F"),
    ("2024-01-01", "2024-01-01"),
])
def test_text_fields_keep_yaml12_text(clean_text, value, expected):
    p, problems = one(clean_text.replace("2024-01-01", value, 1))
    assert problems == []
    assert p.start == expected


def test_plain_matches_yaml12_core_schema():
    assert loader.plain("a: 1:1\nb: no\nc: 010\nd: 2.70\ne: ~\nf: True\n") == \
        {"a": "1:1", "b": "no", "c": 10, "d": Decimal("2.70"), "e": None, "f": True}


def test_both_read_paths_agree_on_every_data_file():
    files = sorted(DATA.glob("*/*/*.yaml"))
    assert len(files) == 104
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert loader.plain(text) == yamlio.roundtrip_plain(text), path


@pytest.mark.parametrize("text,line,needle", [
    ("项目名称: [未闭合\n", 2, "YAML 语法错误"),
    ("项目名称: a\n项目名称: b\n", 2, "重复的键“项目名称”（第 1 行已出现）"),
    ("a: &x 1\nb: *x\n", 1, "锚点与别名"),  # the anchor itself is refused (a value typed "&5个" would vanish)
    ("项目名称: !!python/object:os.system x\n", 1, "不支持的 YAML 标签"),
    ("", 1, "文件是空的"),
    ("   \n\n", 1, "文件是空的"),
    ("- a\n- b\n", 1, "应为若干“键: 值”"),
])
def test_bad_yaml_is_one_clear_problem(text, line, needle):
    project, problems = load_bytes(text.encode(), "bad.yaml")
    assert project is None or problems
    assert problems[0].line == line
    assert needle in problems[0].message


def test_billion_laughs_is_refused_quickly():
    lol = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9))
    _project, problems = load_bytes(lol.encode(), "lol.yaml")
    assert "锚点与别名" in problems[0].message


def test_gbk_file_is_named_as_gbk(clean_text):
    _p, problems = load_bytes(clean_text.encode("gbk"), "gbk.yaml")
    assert "GBK" in problems[0].message and problems[0].rule == "syntax"


def test_bom_and_crlf_are_accepted(clean_text):
    data = b"\xef\xbb\xbf" + clean_text.replace("\n", "\r\n").encode()
    p, problems = load_bytes(data, "win.yaml")
    assert problems == [] and p.name == "妇女儿童维权"
    assert p.position("项目资金.项目资金总额") == (11, 11)


def test_binary_junk_is_refused():
    _p, problems = load_bytes(b"\x00\x01\x02PK\x03\x04", "junk.yaml")
    assert "NUL" in problems[0].message


def test_unknown_key_suggests_the_right_one(clean_text):
    _p, problems = one(clean_text.replace("实施单位:", "实施单住:"))
    messages = [p.message for p in problems]
    assert any("未知的键“实施单住”" in m and "是否应为“实施单位”" in m for m in messages)
    assert any("缺少必填项“实施单位”" in m for m in messages)


def test_wrong_types_are_reported_with_their_line(clean_text):
    text = clean_text.replace("项目资金总额: 2.70", "项目资金总额: 两万七").replace("年度: 2024", "年度: 二〇二四")
    _p, problems = one(text)
    by_path = {p.data_path: p for p in problems}
    assert by_path["项目资金.项目资金总额"].line == 11
    assert "应为金额数字" in by_path["项目资金.项目资金总额"].message
    assert by_path["年度"].line == 3


def test_quoted_number_is_not_money(clean_text):
    _p, problems = one(clean_text.replace("项目资金总额: 2.70", "项目资金总额: '2.70'"))
    assert [p.data_path for p in problems] == ["项目资金.项目资金总额"]


def test_unknown_level2_loads_for_lint_to_judge(clean_text):
    p, problems = one(clean_text.replace("可持续影响指标:", "可持续发展指标:"))
    assert problems == [] and "可持续发展指标" in [g.level2 for g in p.groups]


def test_suppression_comments_are_collected(clean_text):
    text = clean_text.replace("项目资金总额: 2.70", "项目资金总额: 2.70  # perfgoals: disable=funds-total-sum 原表如此")
    p, _ = one(text)
    assert p.suppressions == {11: ("funds-total-sum",)}


def test_oversized_file_is_refused():
    _p, problems = load_bytes(b"a: b\n" * (loader.MAX_BYTES // 5 + 10), "big.yaml")
    assert "文件过大" in problems[0].message


def test_clean_example_exists():
    assert CLEAN.is_file()


def test_pyyaml_and_the_pool_are_imported_only_when_needed(clean_text, tmp_path):
    """A run whose files are in fmt's layout never imports PyYAML (a fixed cost of every run,
    issue 29); the first file quickparse declines does, and reads as before."""
    import subprocess
    import sys
    (tmp_path / "fmt.yaml").write_text(clean_text, encoding="utf-8")
    code = (
        "import sys, pathlib\n"
        "from perfgoals import loader\n"
        "import perfgoals.lint, perfgoals.commands.lint\n"
        "text = pathlib.Path(sys.argv[1]).read_text(encoding='utf-8')\n"
        "p, problems = loader.load_text(text, 'x.yaml')\n"
        "assert p is not None and not problems, problems\n"
        "assert 'yaml' not in sys.modules and 'multiprocessing' not in sys.modules, 'imported too early'\n"
        "q, problems = loader.load_text(text.replace('项目名称:', '\"项目名称\":', 1), 'x.yaml')\n"
        "assert 'yaml' in sys.modules and q is not None and q.name == p.name, problems\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "fmt.yaml")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
