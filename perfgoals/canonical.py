"""Deciding "this file is already canonical" without ruamel's round trip (`fmt --check`'s fast path).

ruamel's round trip costs some 4 ms a file; most files in a repository are canonical already.
This reads the file with the fast loader (PyYAML's C composer), writes the canonical text of
the project it holds the way `yamlio.project_text` lays it out, and compares: equal text means
canonical. It only ever answers True or "cannot tell" (None): whenever a value is one whose
canonical spelling it is not sure of (a string ruamel might quote or fold, a multi-line goal,
a comment other than the file's leading comment lines or an end-of-line comment), it steps
aside and the round trip decides. A property test checks that a True here is always what the
round trip says.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from . import forms, loader
from . import model as m
from .yamltree import INDICATORS

#: A string ruamel writes plain, as it is: no leading indicator, nothing a plain scalar cannot
#: hold, no character a flow mapping ({三级指标: …}) would take as structure.
_UNSAFE_START = set(INDICATORS)
_UNSAFE_ANY = re.compile(r"[\x00-\x1f\x7f\x85\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\ufeff]|: |:$| #|\s$|^~$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\ufeff\u2028\u2029]")
_UNSAFE_IN_FLOW = re.compile(r"[,\[\]{}]")
#: A number written plain in the file: the round trip keeps it as written (104, 90.00).
_PLAIN_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?")
_TIMESTAMP = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LONGEST = 1000
"""Past this many characters ruamel's line width might fold a plain scalar; leave it to the round trip."""


class _Unsure(Exception):
    pass


Spelling = tuple[str, ...]
"""The spellings of one value the round trip keeps as written (plain, '单引号'…); the first is ours."""
Line = tuple["str | Spelling", ...]


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _text(value: str | None, flow: bool = False) -> Spelling:
    """How a string may stand in a canonical file: plain when ruamel would write it plain (in a
    flow mapping when ``flow``), and in single quotes (ruamel keeps quotes a person wrote); or
    raise _Unsure."""
    if value is None:
        return ("null",)
    if not value or len(value) > _LONGEST or "\n" in value or _CONTROL.search(value):
        raise _Unsure
    quoted = _quoted(value)
    if (value[0] in _UNSAFE_START or _UNSAFE_ANY.search(value) or (flow and _UNSAFE_IN_FLOW.search(value))
            or loader.resolve(value) != "str" or _TIMESTAMP.match(value)):
        return (quoted,)  # it needs quotes: ruamel writes single ones
    return (value, quoted)


def _date(value: str | None) -> Spelling:
    if value is not None and _ISO_DATE.match(value):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise _Unsure from None
        return (value,)
    return _text(value)


def _amount(value: Decimal | None) -> Spelling:
    return ("null",) if value is None else (format(value, "f"),)


def _goal(value: str | None) -> Spelling:
    """A goal text; one with line breaks as ruamel's literal block (``|-`` then the lines)."""
    if value is None or "\n" not in value:
        return _text(value)
    lines = value.split("\n")
    if any(not line or line != line.strip() or _CONTROL.search(line) for line in lines):
        raise _Unsure  # blank lines, edge spaces, control characters: leave it to the round trip
    return ("|-\n" + "\n".join(f"    {line}" for line in lines),)


def _cell(value: str | None) -> Spelling:
    """A 三级指标 or 年度指标值: text, or a number the file may write plain or quoted (the loader
    keeps only its text)."""
    if value is not None and _PLAIN_NUMBER.fullmatch(value):
        return (value, _quoted(value))
    return _text(value, flow=True)


def emit(p: m.Project) -> list[Line]:
    """The canonical lines of a project (without comments), each a sequence of fixed text and
    the spellings a value may take there; raise _Unsure where the round trip must decide."""
    out: list[Line] = [(f"{m.K_NAME}: ", _text(p.name)), (f"{m.K_YEAR}: {'null' if p.year is None else p.year}",),
                       (f"{m.K_CATEGORY}: ", _text(p.category))]
    if forms.of(p).nature:
        out.append((f"{m.K_NATURE}: ", _text(p.nature)))
    out += [(f"{m.K_DEPT}: ", _text(p.department)), (f"{m.K_UNIT}: ", _text(p.unit)),
            (f"{m.K_START}: ", _date(p.start)), (f"{m.K_END}: ", _date(p.end)),
            (f"{m.K_MONEY_UNIT}: ", _text(p.money_unit)), (f"{m.K_FUNDS}:",)]
    out += [(f"  {k}: ", _amount(v)) for k, v in zip(m.FUNDS_KEYS, (p.funds.total, p.funds.fiscal, p.funds.other))]
    out.append((f"{m.K_ANNUAL}:",))
    out += [(f"  {k}: ", _amount(v)) for k, v in zip(m.ANNUAL_KEYS, (p.annual.total, p.annual.appropriation,
                                                                     p.annual.carryover, p.annual.other))]
    out.append((f"{m.K_GOALS}:",))
    out += [(f"  {k}: ", _goal(v)) for k, v in zip(m.GOAL_KEYS, (p.period, p.goal_total, p.goal_annual))]
    if not p.groups:
        raise _Unsure
    out.append((f"{m.K_INDICATORS}:",))
    seen: dict[str, set[str]] = {}
    for g in p.groups:
        if g.level1 not in seen:
            seen[g.level1] = set()
            out.append(("  ", _text(g.level1), ":"))
        elif list(seen)[-1] != g.level1 or g.level2 in seen[g.level1]:
            raise _Unsure  # a 一级 split in two, or a 二级 twice: the document would merge them
        seen[g.level1].add(g.level2)
        if not g.rows:
            raise _Unsure
        out.append(("    ", _text(g.level2), ":"))
        out += [(f"      - {{{m.K_ROW_NAME}: ", _cell(r.name), f", {m.K_ROW_VALUE}: ", _cell(r.value), "}")
                for r in g.rows]
    return out


_EOL_COMMENT = re.compile(r"^(.*?\S)(  # [^\n]*)$")


def is_canonical(text: str, path: str = "<文本>") -> bool | None:
    """True when ``text`` is certainly what `fmt` would write; None when the round trip must decide."""
    lines = text.split("\n")
    head = 0
    while head < len(lines) and lines[head].startswith("#"):
        head += 1
    body = []
    for line in lines[head:]:
        if "#" in line:
            hit = _EOL_COMMENT.match(line)
            # an end-of-line comment ruamel wrote ("value  # note"); anything else: not sure
            if hit is None or "#" in hit.group(1) or "'" in hit.group(1) or '"' in hit.group(1):
                return None
            line = hit.group(1)
        body.append(line)
    project, problems = loader.load_text(text, path, keep_positions=False)
    if project is None or problems:
        return None
    try:
        canonical = emit(project)
    except _Unsure:
        return None
    joined = "\n".join(body)
    if not joined.endswith("\n"):
        return None
    # a literal block spans lines: compare the whole text, one canonical line after another
    at = 0
    for parts in canonical:
        end = _line_end(joined, at, parts)
        if end is None:
            return None
        at = end
    return True if at == len(joined) else None


def _line_end(text: str, at: int, parts: Line) -> int | None:
    """Where the canonical line ``parts`` (and its newline) ends when it is spelled at ``at``."""
    def walk(i: int, k: int) -> int | None:
        if k == len(parts):
            return i + 1 if text.startswith("\n", i) else None
        part = parts[k]
        for spelling in ((part,) if isinstance(part, str) else part):
            if text.startswith(spelling, i):
                found = walk(i + len(spelling), k + 1)
                if found is not None:
                    return found
        return None
    return walk(at, 0)
