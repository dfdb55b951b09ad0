"""Mistakes a Chinese keyboard makes in YAML, found by line, with the fix in plain words.

On a Chinese input method the colon after a key comes out as "：", the comma between the
parts of ``{三级指标: …, 年度指标值: …}`` as "，", quotes as “”, and an indent may hold a
full-width space "　". YAML sees none of these as punctuation, so the parser's own error
lands on a later line and says nothing useful. The loader asks this module, only once a file
has failed, for the first such mistake at or before the line the parser stopped at.
"""

from __future__ import annotations

import re

from . import framework
from . import model as m

KEYS = frozenset((*m.TOP_KEYS, *m.FUNDS_KEYS, *m.ANNUAL_KEYS, *m.GOAL_KEYS, *m.ROW_KEYS,
                  *framework.LEVEL1_ORDER, *framework.LEVEL2_PARENT))
_FULL_SPACE = re.compile(r"^[ ]*\u3000")
# a known key followed by a Chinese colon: "  项目资金总额：2.70", "- 三级指标：…", "{三级指标：…"
_KEY_COLON = re.compile(r"^(?P<lead>\s*(?:-\s+)?|.*?[{,，]\s*)(?P<quote>[“”\"']?)(?P<key>[^\s:：{},，“”\"']{1,12})"
                        r"(?P=quote)?[”“]?\s*：")
# inside a flow mapping, a Chinese comma before a known key: "{三级指标: x，年度指标值: y}"
_FLOW_COMMA = re.compile(r"，\s*(?P<key>" + "|".join(map(re.escape, sorted(KEYS, key=len, reverse=True))) + r")\s*[:：]")
_CURLY_KEY = re.compile(r"^\s*(?:-\s+)?[{]?\s*“(?P<key>[^”]{1,12})”\s*[:：]")


# a value that starts with a character YAML reserves: "年度指标值: >=1500人次", "{…, 年度指标值: *5}"
_VALUE_START = re.compile(r"^(?P<lead>\s*(?:-\s+)?|.*?[{,]\s*)(?P<key>[^\s:{},#\"']{1,16}):[ \t]+"
                          r"(?P<value>(?P<sign>[>|<*&!%@`])|-[ \t])")
_BLOCK_HEADER = re.compile(r"[|>][+-]?[1-9]?[+-]?[ \t]*(#.*)?")  # "项目总目标: |" starts a real block of text
_SIGN_MEANS = {">": "折叠文本", "|": "保留换行的文本", "*": "别名", "&": "锚点", "!": "标签", "%": "指令",
               "@": "保留字符", "`": "保留字符", "<": "保留字符", "-": "列表项"}
_COMPARISONS = ((">=", "≥"), ("=>", "≥"), ("<=", "≤"), ("=<", "≤"))


def value_start(line: str, known_keys: bool = False) -> tuple[int, str] | None:
    """(column, message with the fix) when a value on ``line`` starts with a character YAML
    reserves for itself, else None. ``known_keys``: only after a key of the form (a file that
    parses, with an anchor after a key of its own, is not a typing habit)."""
    body = line.split(" #", 1)[0].rstrip()
    hit = _VALUE_START.match(body)
    if hit is None or known_keys and hit.group("key") not in KEYS:
        return None
    value = body[hit.start("value"):]
    if (hit.group("sign") or "") in ("|", ">") and _BLOCK_HEADER.fullmatch(value):
        return None
    flow = "{" in body[: hit.start("key")]
    if flow:  # the value runs to the next comma or closing brace of the flow mapping
        value = re.split(r",\s|}", value, maxsplit=1)[0].rstrip()
    sign = "- " if value.startswith("-") else value[0]
    written = f"{hit.group('key')}: {value}"
    swapped = next((mark + value[len(typed):] for typed, mark in _COMPARISONS if value.startswith(typed)), None)
    quote = '"' if "'" in value else "'"
    quoted = f"{hit.group('key')}: {quote}{value}{quote}"
    fix = f"应写作“{hit.group('key')}: {swapped}”（或给值加引号：{quoted}）" if swapped else f"请给值加引号：{quoted}"
    means = _SIGN_MEANS[sign[0]] + ("（本工具不支持 YAML 锚点与别名）" if sign[0] in "&*" else "")
    return (hit.start("value") + 1, f"值不能以“{sign.strip()}”开头：在 YAML 中它表示{means}，“{written}”因此读不出来；{fix}")


def _fixed(line: str, flow: bool = False) -> str:
    """The line as it should be written (Chinese punctuation in YAML syntax made ASCII)."""
    out = re.sub(r"^([ ]*)\u3000+", lambda h: h.group(1) + "  " * (len(h.group(0)) - len(h.group(1))), line)
    out = re.sub(r"“([^”]{1,12})”(\s*[:：])", r"\1\2", out)
    out = re.sub(r"([^\s:：{},，]{1,12})\s*：\s*", r"\1: ", out)
    if flow or "{" in out:
        out = re.sub(r"，\s*", ", ", out)
    return out.strip()


def find(text: str, upto: int | None = None) -> tuple[int, int, str] | None:
    """The first Chinese-keyboard mistake at or before line ``upto`` (1-based), nearest first:
    (line, column, message), or None."""
    lines = text.splitlines()
    last = min(len(lines), upto or len(lines))
    for number in range(last, 0, -1):
        hit = check_line(lines[number - 1])
        if hit is not None:
            column, what = hit
            return number, column, f"{what}：应写作“{_fixed(lines[number - 1])}”"
        start = value_start(lines[number - 1])
        if start is not None:
            return number, start[0], start[1]
    return None


def check_line(line: str) -> tuple[int, str] | None:
    """(column, what is wrong) for one line, or None."""
    body = line.split(" #", 1)[0]
    if _FULL_SPACE.match(body):
        return body.index("\u3000") + 1, "行首有全角空格“　”，YAML 只能用半角空格缩进"
    curly = _CURLY_KEY.match(body)
    if curly and curly.group("key") in KEYS:
        return curly.start("key"), f"键“{curly.group('key')}”两边用了中文引号“”，键不需要引号"
    colon = _KEY_COLON.match(body)
    if colon and colon.group("key") in KEYS and ": " not in body[: colon.start("key")].split("{")[0]:
        return colon.end() , f"键“{colon.group('key')}”后用了中文冒号“：”，YAML 的键后应为英文冒号加空格“: ”"
    comma = _FLOW_COMMA.search(body)
    if comma and "{" in body:
        return comma.start() + 1, f"“{comma.group('key')}”前用了中文逗号“，”，花括号中的各项应以英文逗号“, ”分隔"
    return None


def meant_key(key: str) -> str | None:
    """The known key a key in Chinese quotes stands for (“项目名称” → 项目名称), else None."""
    inner = key.strip().strip("“”\"'").strip()
    return inner if inner != key and inner in KEYS else None


def key_message(key: str) -> str | None:
    """For an unknown key made of known keys and Chinese punctuation ("三级指标：活动开展次数，年度指标值"),
    what went wrong; None when the key has no such punctuation."""
    meant = meant_key(key)
    if meant is not None:
        return f"键“{meant}”两边用了引号（{key[0]}{key[-1]}），键不需要引号：应写作“{meant}: …”"
    if not any(ch in key for ch in "：，“”\u3000"):
        return None
    pieces = [p for p in re.split(r"[：，“”\s\u3000]+", key) if p]
    if not any(p in KEYS for p in pieces):
        return None
    return (f"键“{key}”中用了中文标点（{''.join(sorted({ch for ch in key if ch in '：，“”'}))}）：键与值之间用英文冒号加空格"
            f"“: ”，花括号中各项之间用英文逗号“, ”，键不加引号；应写作“{_fixed(key, flow=True)}”")
