"""The write path: canonical YAML through ruamel.yaml's round-trip mode (comments survive).

Only this module imports ruamel. It is used by the commands that write project files
(`import`, `new`, `fmt`); reading for every other command goes through `loader` (PyYAML's C
parser), which resolves scalars the same way (YAML 1.2).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any, Iterable, Mapping

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString

from . import forms, framework
from .forms import base
from . import model as m

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _yaml() -> YAML:
    y = YAML()  # round-trip: keeps comments, key order and the original number text
    # mapping=2 / sequence=4 / offset=2 is the layout the form's example uses
    # (``    数量指标:`` then ``      - {…}``) and the one ruamel reproduces byte for byte.
    y.indent(mapping=2, sequence=4, offset=2)
    y.preserve_quotes = True  # never requote a value a person quoted
    y.width = 4096  # long Chinese goal texts stay on one line instead of being folded
    y.allow_unicode = True  # write 汉字, not \u escapes
    # the same value twice (年初预算数 = 全年预算数) is written twice: never an anchor and alias,
    # which the loader refuses
    y.representer.ignore_aliases = lambda _data: True
    y.representer.add_representer(type(None), _represent_none)
    y.representer.add_representer(Decimal, _represent_decimal)
    y.representer.add_representer(KeepText, _represent_kept)
    # a value's text never changes: an impossible date (2024-02-30) or a signed number (+12) is
    # kept as written instead of failing (the date) or losing its sign (the number)
    y.constructor.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
    y.constructor.add_constructor("tag:yaml.org,2002:int", _signed(RoundTripConstructor.construct_yaml_int))
    y.constructor.add_constructor("tag:yaml.org,2002:float", _signed(RoundTripConstructor.construct_yaml_float))
    # TRUE stays TRUE (ruamel would write true), as a 年度指标值 or anything else
    y.constructor.add_constructor("tag:yaml.org,2002:bool", lambda _c, node: _kept(node))
    return y


class KeepText(str):
    """A scalar kept exactly as written, with the tag a reader resolves it to (so it stays plain)."""

    tag = "tag:yaml.org,2002:str"


def _kept(node: Any) -> KeepText:
    text = KeepText(node.value)
    text.tag = node.tag
    return text


def _represent_kept(rep: Any, data: KeepText) -> Any:
    return rep.represent_scalar(data.tag, str(data))


def _timestamp(constructor: Any, node: Any) -> Any:
    if not _ISO_DATE.fullmatch(node.value):  # a time of day, a "t" or spaces: kept as written
        return _kept(node)
    try:
        return constructor.construct_yaml_timestamp(node)
    except ValueError:  # 2024-02-30: not a date; lint reports it, fmt leaves it as it is
        return _kept(node)


def _signed(construct: Any) -> Any:
    """Numbers ruamel would write otherwise are kept as written: a sign (+12), a signed hex or
    octal (-0x1 would become 0x-1), .NaN and .Inf in any case."""
    def build(constructor: Any, node: Any) -> Any:
        text = node.value.lower()
        if text.startswith(("+", "-0x", "-0o")) or "nan" in text or "inf" in text:
            return _kept(node)
        return construct(constructor, node)
    return build


def _represent_none(rep: Any, _data: None) -> Any:
    # a blank on the form is written as an explicit null, never as an empty value
    return rep.represent_scalar("tag:yaml.org,2002:null", "null")


def _represent_decimal(rep: Any, data: Decimal) -> Any:
    # money keeps the digits the form shows: 2.70 stays 2.70, 12 stays 12
    text = format(data, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return rep.represent_scalar(tag, text)


def text_value(value: str | None) -> Any:
    """A text to write: one with line breaks as a block (``|``), keeping them."""
    if value is not None and "\n" in value:
        return LiteralScalarString(value)
    return value


_text = text_value


def _date(value: str | None) -> Any:
    if value is not None and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)  # written plain: 2024-01-01
        except ValueError:
            return value
    return value


def document(p: m.Project, notes: Mapping[str, str] | None = None, header: str | None = None) -> CommentedMap:
    """A project as a ruamel document in canonical key order, with optional comments.

    ``notes`` maps data paths (``项目类别``, ``绩效指标.产出指标.时效指标``,
    ``绩效指标.产出指标.时效指标[1]``) to end-of-line comments; ``header`` starts the file.
    """
    form = forms.of(p)
    doc = keyed_document(p, form) if form.layout else shanghai_document(p)
    for path, note in (notes or {}).items():
        own = form.yaml_path(path)
        if own is not None:
            _attach(doc, own, note)
    if header:
        doc.yaml_set_start_comment(header)
    return doc


def _tree(groups: tuple[m.Group, ...], row_keys: tuple[str, ...]) -> CommentedMap:
    tree = CommentedMap()
    for g in groups:
        level2s = tree.setdefault(g.level1, CommentedMap())
        seq = CommentedSeq()
        for row in g.rows:
            item = CommentedMap(zip(row_keys, (row.name, row.value, row.standard)))
            item.fa.set_flow_style()  # one row of the form = one line of YAML
            seq.append(item)
        level2s[g.level2] = seq
    return tree


def keyed_document(p: m.Project, form: forms.Form) -> CommentedMap:
    """A project of a form with its own words, keys in the form's order (`Form.layout`)."""
    doc = CommentedMap()
    for path, fld in form.layout:
        if fld == "term":
            value: Any = base.term_text(p.start, p.end)
        elif fld in ("groups", "long_groups"):
            value = _tree(getattr(p, fld), form.row_keys)
        elif "." in fld:
            block, attr = fld.split(".")
            value = getattr(getattr(p, block), attr)
        elif fld in ("goal_total", "goal_annual"):
            value = _text(getattr(p, fld))
        else:
            value = getattr(p, fld)
        head, _dot, key = path.partition(".")
        if key:
            doc.setdefault(head, CommentedMap())[key] = value
        else:
            doc[head] = value
    return doc


def shanghai_document(p: m.Project) -> CommentedMap:
    """A project in the Shanghai files' keys (`model.TOP_KEYS`)."""
    doc = CommentedMap()
    doc[m.K_NAME] = p.name
    doc[m.K_YEAR] = p.year
    doc[m.K_CATEGORY] = p.category
    if forms.of(p).nature:  # the 申报表 has 项目性质
        doc[m.K_NATURE] = p.nature
    doc[m.K_DEPT] = p.department
    doc[m.K_UNIT] = p.unit
    doc[m.K_START] = _date(p.start)
    doc[m.K_END] = _date(p.end)
    doc[m.K_MONEY_UNIT] = p.money_unit
    doc[m.K_FUNDS] = CommentedMap(zip(m.FUNDS_KEYS, (p.funds.total, p.funds.fiscal, p.funds.other)))
    doc[m.K_ANNUAL] = CommentedMap(zip(m.ANNUAL_KEYS, (p.annual.total, p.annual.appropriation,
                                                       p.annual.carryover, p.annual.other)))
    doc[m.K_GOALS] = CommentedMap(zip(m.GOAL_KEYS, (p.period, _text(p.goal_total), _text(p.goal_annual))))
    doc[m.K_INDICATORS] = _tree(p.groups, m.ROW_KEYS)
    return doc


def _attach(doc: CommentedMap, path: str, note: str) -> None:
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    parent: Any = doc
    for part in parts[:-1]:
        parent = parent[int(part[1:-1])] if part.startswith("[") else parent[part]
    last = parts[-1]
    key: Any = int(last[1:-1]) if last.startswith("[") else last
    parent.yaml_add_eol_comment(note, key)


def mapping(pairs: Iterable[tuple[str, Any]] = (), flow: bool = False) -> CommentedMap:
    """A mapping to write, its keys in the order given; ``flow``: written on one line ({…})."""
    cmap = CommentedMap(pairs)
    if flow:
        cmap.fa.set_flow_style()
    return cmap


def dump(doc: Any) -> str:
    buf = io.StringIO()
    _yaml().dump(doc, buf)
    return buf.getvalue()


def project_text(p: m.Project, notes: Mapping[str, str] | None = None, header: str | None = None) -> str:
    """A project as canonical YAML text."""
    return dump(document(p, notes, header))


class FormatError(Exception):
    """ruamel could not parse the text; ``line`` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def load_roundtrip(text: str) -> Any:
    """A document for rewriting (comments, order and number text kept); FormatError if unparsable."""
    try:
        return _yaml().load(text)
    except YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise FormatError(str(getattr(e, "problem", e)), mark.line + 1 if mark else 1) from None


def format_text(text: str) -> str:
    """Canonical text of a project file: form key order, fixed layout, comments kept."""
    doc = load_roundtrip(text)
    split = flow_comments(text)  # read before the round trip, which drops them
    own = forms.by_keys(doc) if isinstance(doc, CommentedMap) else None
    if isinstance(doc, CommentedMap) and own is not None:
        reorder(doc, tuple(own.blocks))
        for head, keys in own.blocks.items():
            if isinstance(doc.get(head), CommentedMap) and keys != ("",):
                reorder(doc[head], keys)
        for path, fld in own.layout:
            if fld in ("groups", "long_groups"):
                indicators(doc.get(path), own.row_keys, split)
    elif isinstance(doc, CommentedMap):
        reorder(doc, m.TOP_KEYS)
        for key, order in ((m.K_FUNDS, m.FUNDS_KEYS), (m.K_ANNUAL, m.ANNUAL_KEYS), (m.K_GOALS, m.GOAL_KEYS)):
            if isinstance(doc.get(key), CommentedMap):
                reorder(doc[key], order)
        indicators(doc.get(m.K_INDICATORS), m.ROW_KEYS, split)
    return dump(doc)


def format_beside(text: str, top: tuple[str, ...], money: tuple[str, tuple[str, ...], tuple[str, ...]],
                  goal: tuple[str, tuple[str, ...]], rows: tuple[str, tuple[str, ...]]) -> str:
    """Canonical text of a form kept beside a target table (a 自评表, a 监控表): its ``top`` keys in
    order; ``money`` = (key, its rows in order, the keys of a row, each row one line); ``goal`` =
    (key, its keys); ``rows`` = (the indicators' key, a row's keys). Comments are kept."""
    doc = load_roundtrip(text)
    if isinstance(doc, CommentedMap):
        reorder(doc, top)
        money_key, money_rows, money_row_keys = money
        if isinstance(doc.get(money_key), CommentedMap):
            reorder(doc[money_key], money_rows)
            for row in doc[money_key].values():
                if isinstance(row, CommentedMap):
                    reorder(row, money_row_keys)
                    row.fa.set_flow_style()
        if isinstance(doc.get(goal[0]), CommentedMap):
            reorder(doc[goal[0]], goal[1])
        indicators(doc.get(rows[0]), rows[1], flow_comments(text))
    return dump(doc)


def indicators(tree: Any, row_keys: tuple[str, ...], split: Mapping[int, list[str]]) -> None:
    """The 绩效指标 tree of a target table or a 自评表 in canonical order: 一级 in form order,
    二级 in form order (other names after, as written), each row one line with its comments."""
    if not isinstance(tree, CommentedMap):
        return
    reorder(tree, framework.LEVEL1_ORDER)
    for level1, sub in tree.items():
        if isinstance(sub, CommentedMap):
            reorder(sub, tuple(sorted(sub, key=lambda k: framework.level2_order(level1, k))))
            for rows in sub.values():
                if isinstance(rows, CommentedSeq):
                    for i, row in enumerate(rows):
                        if isinstance(row, CommentedMap):
                            reorder(row, row_keys)
                            _one_line_row(rows, i, row, split.get(row.lc.line, []))


_FLOW_START = re.compile(r"^\s*-\s+\{")


def flow_comments(text: str) -> dict[int, list[str]]:
    """Comments written inside a flow row spread over lines (``- {三级指标: 深化家庭教育,  # 见批文``
    then ``年度指标值: 提升}``), by the row's first line (0-based): ruamel drops them, so they are
    read here and put back on the row's one line."""
    found: dict[int, list[str]] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if not _FLOW_START.match(lines[i]):
            i += 1
            continue
        start, depth, said = i, 0, []
        while i < len(lines):
            code, comment = _split_comment(lines[i])
            depth += code.count("{") - code.count("}")
            if comment:
                said.append(comment)
            i += 1
            if depth <= 0:
                break
        if said and i - start > 1:
            found[start] = said
    return found


def _split_comment(line: str) -> tuple[str, str]:
    """A line's code and its comment text ("" when none): a "#" after a space, outside quotes."""
    quote = ""
    for k, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (k == 0 or line[k - 1] in " \t"):
            return line[:k], line[k + 1:].strip()
    return line, ""


def _one_line_row(rows: CommentedSeq, index: int, row: CommentedMap, inside: list[str] | None = None) -> None:
    """An indicator row as one flow-style line. Comments written inside a block-style row
    (after its keys, or on lines of their own between them) cannot stay inside ``{…}``: they
    become the row's end-of-line comment, joined by "；"; own-line comments after its last key,
    which are about what follows, keep their lines after it."""
    said: list[str] = list(inside or [])  # comments of a flow row spread over lines (`flow_comments`)
    after = ""
    keys = list(row)
    for position, key in enumerate(keys):
        entry = row.ca.items.pop(key, None)
        token = entry[2] if entry and len(entry) > 2 else None
        if token is None or not isinstance(getattr(token, "value", None), str):
            continue
        head, _newline, rest = token.value.partition("\n")
        if head.strip().startswith("#"):
            said.append(head.strip()[1:].strip())
        lines = [line for line in rest.split("\n") if line.strip().startswith("#")]
        if position == len(keys) - 1:
            after = "".join(f"{line}\n" for line in lines)
        else:
            said += [line.strip()[1:].strip() for line in lines]
    row.fa.set_flow_style()
    said = [text for text in said if text]
    if said:
        rows.yaml_add_eol_comment("# " + "；".join(said), index)
    if after:
        existing = rows.ca.items.get(index)
        token = existing[0] if existing else None
        if token is not None:
            token.value = token.value.rstrip("\n") + "\n" + after
        else:
            rows.yaml_add_eol_comment("#", index)
            rows.ca.items[index][0].value = "\n" + after


def reorder(cmap: CommentedMap, order: tuple[str, ...]) -> None:
    """Put known keys in ``order`` (unknown keys keep their place at the end), moving comments too.

    ruamel keeps a comment that stands on its own line as the tail of the key *before* it; a
    comment is about the key that follows it (``# perfgoals: disable=…`` is), so before keys
    move such comments are attached to the key that follows them."""
    keys = list(cmap.keys())
    wanted = [k for k in order if k in cmap] + [k for k in keys if k not in order]
    if wanted == keys:
        return
    _own_line_comments_to_next_key(cmap, keys)
    items = [(k, cmap[k], cmap.ca.items.get(k)) for k in wanted]
    for k in keys:
        del cmap[k]
    for k, v, comment in items:
        cmap[k] = v
        if comment is not None:
            cmap.ca.items[k] = comment


def _own_line_comments_to_next_key(cmap: CommentedMap, keys: list[Any]) -> None:
    for key, following in zip(keys, keys[1:]):
        entry = cmap.ca.items.get(key)
        token = entry[2] if entry and len(entry) > 2 else None
        if token is None or not isinstance(getattr(token, "value", None), str):
            continue
        head, newline, rest = token.value.partition("\n")
        own = [line.strip() for line in rest.split("\n") if line.strip().startswith("#")]
        if not newline or not own:
            continue
        token.value = head + "\n"  # the end-of-line comment stays with its own key
        indent = len(rest) - len(rest.lstrip(" "))
        cmap.yaml_set_comment_before_after_key(following, before="\n".join(line[1:].strip() for line in own),
                                               indent=indent)


def roundtrip_plain(text: str) -> Any:
    """The document as plain values read by ruamel (tests compare this with `loader.plain`)."""
    return _plain(_yaml().load(text))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, KeepText) and value.tag.endswith(":bool"):
        return value.lower() == "true"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return Decimal(repr(float(value)))
    return str(value)


UNITS_HEADER = "单位文件夹 → 该文件夹所含项目的实施单位全称（由 perfgoals import 维护，可手工调整）"


def units_text(units: Mapping[str, list[str]]) -> str:
    """The data directory's units file (folder → full 实施单位 names)."""
    doc = CommentedMap()
    for folder, names in units.items():
        seq = CommentedSeq(names)
        doc[folder] = seq
    doc.yaml_set_start_comment(UNITS_HEADER)
    return dump(doc)


def units_update(existing: str, units: Mapping[str, list[str]]) -> str:
    """The units file ``existing`` with every folder and name of ``units`` in it, everything it
    already says (comments a person wrote, its order) kept: a new folder goes in sorted place, a
    new full name at the end of its folder's list."""
    doc = _yaml().load(existing) if existing.strip() else None
    if not isinstance(doc, CommentedMap):
        return units_text(units)
    for folder in sorted(units):
        names = units[folder]
        if folder not in doc:
            keys = list(doc.keys())
            at = next((i for i, k in enumerate(keys) if str(k) > folder), len(keys))
            doc.insert(at, folder, CommentedSeq(names))
            continue
        seq = doc[folder]
        if not isinstance(seq, list):
            continue
        for name in names:
            if name not in seq:
                seq.append(name)
    return dump(doc)


def load_units(text: str) -> dict[str, list[str]]:
    """Parse a units file; raise FormatError when it is not folder → list of names."""
    try:
        doc = _yaml().load(text)
    except YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise FormatError(str(getattr(e, "problem", e)), mark.line + 1 if mark else 1) from None
    if doc is None:
        return {}
    if not isinstance(doc, dict) or not all(isinstance(v, list) for v in doc.values()):
        raise FormatError("单位文件应为“文件夹: [实施单位全称, …]”", 1)
    return {str(k): [str(x) for x in v] for k, v in doc.items()}
